"""Lab: a Keras MLP on scikit-learn's digits with a train/validation/test split and early stopping.

Written against Keras 3 (`import keras`), so it runs on TensorFlow, JAX or PyTorch as the backend.
Data: sklearn.datasets.load_digits() — 1797 images of 8x8 pixels (64 features, values 0..16),
10 classes, bundled with scikit-learn (no download). The checker loads it and passes it in.
Run `mlpath check keras-training` to check your work.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import keras
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


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


def build_model(n_in, n_hidden, n_out, dropout, lr):
    """Return a COMPILED keras model: Input(n_in) -> Dense(n_hidden, relu) -> Dropout(dropout) -> Dense(n_out, softmax).

    Compile with keras.optimizers.Adam(learning_rate=lr), loss "sparse_categorical_crossentropy"
    (integer labels) and metrics ["accuracy"].
    Checked: parameter count, one Dropout(dropout), the optimizer's learning rate, and that the outputs
    are probabilities (rows sum to 1).
    """
    raise NotImplementedError


def train_model(data, *, n_hidden, dropout, lr, batch_size, max_epochs, patience):
    """Build a model (64 inputs, 10 classes) and fit it on data["X_train"], data["y_train"].

    Pass validation_data=(X_val, y_val), epochs=max_epochs, batch_size, verbose=0, and an
    EarlyStopping callback that monitors "val_loss" with `patience` and restores the best weights.
    Return (model, history) where history is the dict `model.fit(...).history`.
    The checker calls keras.utils.set_random_seed(0) first and passes n_hidden=128, dropout=0.2,
    lr=3e-3, batch_size=128, max_epochs=60, patience=8.
    Checked: training stopped `patience` epochs after the lowest val_loss (or ran all epochs) and
    the returned model's validation loss equals the best val_loss (rtol=1e-3).
    """
    raise NotImplementedError


def predict_classes(model, X):
    """Predicted class labels (numpy int array, shape (n,)) for the float32 array X.

    Checked: deterministic, equal to the argmax of model.predict; test accuracy >= 0.95.
    """
    raise NotImplementedError
