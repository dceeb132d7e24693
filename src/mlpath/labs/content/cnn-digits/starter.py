"""Lab: a convolutional network on the 8x8 digits.

Part 1: the output size of a convolution or pooling layer, checked against nn.Conv2d and
nn.MaxPool2d. Part 2: a small CNN on scikit-learn's bundled digits with a stratified
train/validation/test split, which must reach at least 97% test accuracy.

Check your work with:  mlpath check convolutional-networks
"""

import copy  # noqa: F401  (copy.deepcopy(model.state_dict()) keeps the best epoch)

import numpy as np
import torch
from sklearn.model_selection import train_test_split  # noqa: F401
from torch import nn  # noqa: F401


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """Output size along one spatial dimension of nn.Conv2d (and nn.MaxPool2d) with these settings.

    All arguments are ints; returns an int. Must equal what PyTorch produces exactly
    (checked for several combinations, including stride > 1 and dilation > 1).
    """
    raise NotImplementedError


def to_tensor(X):
    """Raw digits rows X (N, 64) with pixel values 0..16 -> float32 tensor (N, 1, 8, 8) with values in [0, 1]."""
    raise NotImplementedError


def split_indices(y, seed):
    """Stratified 60/20/20 split of the row indices range(len(y)).

    Returns (train_idx, val_idx, test_idx), integer arrays that together hold every index
    once, with each digit in the same proportion in every part (within 2 images). Use
    `seed` as the random state so the same seed gives the same split.
    """
    # TODO: train_test_split twice: 20% test off everything, then 25% of the rest (= 20% of all) for validation.
    raise NotImplementedError


def build_cnn(n_classes=10):
    """A small CNN: input (N, 1, 8, 8) float32 -> logits (N, n_classes).

    For example: Conv2d(1, 16, 3, padding=1), ReLU, Conv2d(16, 32, 3, padding=1), ReLU,
    MaxPool2d(2), Flatten, Dropout, Linear(32 * 4 * 4, 64), ReLU, Linear(64, n_classes).
    conv_output_size tells you the flattened size.
    """
    raise NotImplementedError


def accuracy(model, X, y):
    """Fraction of rows of X that model classifies as y."""
    return float((predict(model, X) == np.asarray(y)).mean())


def train_cnn(X_train, y_train, X_val, y_val, seed, epochs=30):
    """Train build_cnn() for `epochs` epochs on raw digits rows (N, 64) and labels; return the trained model.

    Set torch.manual_seed(seed) first, so that the seed alone decides the result (checked
    with one-epoch runs: seeds 1, 1 after different global seeds, and 2). Mini-batches of
    64, Adam (lr about 3e-3), about 30 epochs; train each epoch in training mode, measure
    the validation accuracy in eval mode, keep the weights of the epoch with the best one.
    Shifting each batch by up to one pixel (data augmentation) makes the result more robust.
    Must run in a few seconds on a CPU.
    """
    raise NotImplementedError


def predict(model, X):
    """Predicted labels (N,) as an int numpy array for raw digits rows X (N, 64): eval mode, no gradients.

    Checked also on a model with dropout handed over in training mode.
    """
    raise NotImplementedError
