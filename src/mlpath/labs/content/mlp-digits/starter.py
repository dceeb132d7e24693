"""Lab: an MLP on scikit-learn's digits with a train/validation/test split and early stopping.

Data: sklearn.datasets.load_digits() — 1797 images of 8x8 pixels (64 features, values 0..16),
10 classes, bundled with scikit-learn (no download). The checker loads it and passes it in.
Run `mlpath check pytorch-training` to check your work.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import copy

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn


def split_indices(y, seed):
    """Stratified 60/20/20 split of the row indices 0..len(y)-1.

    Return (train_idx, val_idx, test_idx): 1-D integer arrays. Use `seed` as random_state.
    Checked: the parts are disjoint and together contain every index once; sizes 60/20/20 % (±3 samples);
    every class's share in each part is within 0.01 of its share in y (stratified).
    Hint: split off the test set first, then split the REST into train and validation.
    """
    raise NotImplementedError


def prepare_data(X, y, seed):
    """Split with split_indices(y, seed) and standardize the features.

    Fit the scaler on the TRAINING rows only, then transform all three parts with it.
    Return a dict with keys "X_train", "X_val", "X_test" (float32 arrays) and "y_train", "y_val",
    "y_test" (int64 arrays), rows in the order of the indices.
    Checked against StandardScaler fit on X[train_idx] (rtol=1e-4, atol=1e-4).
    """
    raise NotImplementedError


def build_mlp(n_in, n_hidden, n_out, p_drop):
    """Return nn.Sequential(Linear(n_in, n_hidden), ReLU, Dropout(p_drop), Linear(n_hidden, n_out))."""
    raise NotImplementedError


def evaluate_loss(model, X, y):
    """Mean cross-entropy (a float) of `model` on the float32 array X and int labels y.

    In evaluation mode (dropout off) and without gradients: this is how train_mlp measures
    the validation loss. Checked on a model with dropout handed over in training mode.
    """
    raise NotImplementedError


def train_mlp(
    X_train, y_train, X_val, y_val, *, n_hidden, p_drop, lr, batch_size, max_epochs, patience
):
    """Train build_mlp(64, n_hidden, 10, p_drop) with Adam(lr) on shuffled mini-batches of cross-entropy.

    Early stopping: after every epoch compute the validation loss with evaluate_loss (eval mode,
    no gradients), then make sure the next epoch trains in training mode again. Remember the best epoch and a copy of its weights; stop once `patience`
    epochs in a row brought no improvement, or after max_epochs. Load the best weights back.
    Return (model, history) with history = {"train_loss": [...], "val_loss": [...], "best_epoch": int}
    (one value per epoch run; best_epoch is 0-based).
    The checker calls torch.manual_seed(0) first, then passes n_hidden=128, p_drop=0.2, lr=3e-3,
    batch_size=128, max_epochs=60, patience=8.
    Checked: best_epoch is the argmin of val_loss; training stopped after best_epoch + patience
    (or ran all epochs); the returned model's validation loss equals the best one (rtol=1e-4);
    training batches ran in training mode and validation in eval mode.
    """
    # TODO: the loop over epochs; inside it model.train() and a loop over torch.randperm mini-batches
    # TODO: then the validation loss in eval mode, and the early-stopping bookkeeping
    raise NotImplementedError


def predict(model, X):
    """Predicted class labels (numpy int array, shape (n,)) for the float32 array X, in eval mode.

    Checked: two calls on the same input give identical labels; test accuracy >= 0.95.
    """
    raise NotImplementedError
