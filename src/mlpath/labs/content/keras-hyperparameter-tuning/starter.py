"""Lab: hyperparameter tuning in Keras 3 — a learning-rate range test, a validation search, a schedule.

Written against Keras 3 (`import keras`), so it runs on TensorFlow, JAX or PyTorch as the backend;
the checker runs it on the torch backend (KERAS_BACKEND=torch) when TensorFlow is not installed.
Data: scikit-learn's bundled digits (8x8 images, 64 features, 10 classes), split 60/20/20 and
standardized by the checker, which passes the arrays in (X float32, y int64).
make_model and batches are given. Run `mlpath check hyperparameter-tuning`.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import itertools
import math

import keras
import numpy as np


def make_model(n_in, width, n_out):
    """Given: Input(n_in) -> Dense(width, relu) -> Dense(n_out), which outputs LOGITS (no softmax)."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(n_out),
        ]
    )


def batches(n, batch_size):
    """Given: an endless stream of index arrays of size batch_size, reshuffled every pass over the data."""
    while True:
        order = np.random.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def accuracy(model, X, y):
    """Fraction of rows of X (N, 64) whose predicted class equals y (N,); a float in [0, 1].

    The predicted class is the argmax of the model's logits, computed in INFERENCE mode
    (model.predict(X, verbose=0) or model(X, training=False)), so that dropout is off.
    Checked on a model with known predictions (3 of 5 right: 0.6) and on a model with a Dropout
    layer (same answer on every call, equal to its inference-mode accuracy).
    """
    raise NotImplementedError


def lr_range_test(model, X, y, *, lr_min, lr_max, n_steps, batch_size):
    """Learning-rate range test: one SGD step per mini-batch while the lr grows geometrically.

    Compile the model with keras.optimizers.SGD(learning_rate=lr_min, momentum=0.9) and
    keras.losses.SparseCategoricalCrossentropy(from_logits=True). Take mini-batches from
    batches(len(X), batch_size). Step i (0-based) uses lr_i = lr_min * ratio**i with
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1)): set model.optimizer.learning_rate = lr_i BEFORE
    the step, then loss_i = float(model.train_on_batch(X[idx], y[idx])) (the loss of that batch,
    computed before the update). Record lr_i and loss_i. Stop early once the loss is not finite or
    above 4 times the lowest loss so far (divergence). Return (lrs, losses), two lists of the same length.
    Checked (lr_min=1e-4, lr_max=10, n_steps=100, batch_size=64, model make_model(64, 64, 10)):
    lrs geometric (rtol=1e-6) and each step really trained with its lr; the run stopped before
    n_steps; the first loss is the untrained model's (rtol=0.15); the lowest is at most half of it;
    on 64 rows with batch_size=64 (full batch) the losses equal the checker's own run (rtol=1e-3).
    """
    raise NotImplementedError


def suggest_lr(lrs, losses):
    """Suggest a learning rate from a range test: where the loss falls fastest, before divergence.

    1. Smooth the losses with a bias-corrected exponential moving average, beta=0.8:
       avg = beta * avg + (1 - beta) * loss_i (avg starts at 0); smoothed_i = avg / (1 - beta**(i + 1)).
    2. Keep the points up to and including the minimum of the smoothed losses.
    3. slope = np.gradient(smoothed, np.log10(lrs)) on those points; return the lr (a float) where
       the slope is most negative.
    Checked: on a synthetic curve falling fastest at lr=0.01, within a factor of 3 of 0.01; on the
    real range test, between 1e-3 and 1 and below the lr of the lowest loss.
    """
    raise NotImplementedError


def train_model(X, y, *, lr, batch_size, width, epochs, seed):
    """Train make_model(64, width, 10) for `epochs` epochs with model.fit; return the compiled model.

    Start with keras.utils.set_random_seed(seed) (so that a configuration's score is reproducible),
    then compile with SGD(learning_rate=lr, momentum=0.9) and
    SparseCategoricalCrossentropy(from_logits=True), and fit with batch_size, epochs,
    shuffle=True, verbose=0.
    Checked: epochs × ceil(rows / batch_size) updates, all at lr; the model's size; the compiled loss
    is the cross-entropy of the logits; same seed, same model; another seed, another model.
    """
    raise NotImplementedError


def grid_search(splits, grid, *, epochs, seed):
    """Try every combination of grid["lr"] x grid["batch_size"] x grid["width"] (itertools.product).

    splits: dict {"train": (X, y), "val": (X, y), "test": (X, y)}. Train each configuration with
    train_model on the TRAINING split and score it with accuracy on the VALIDATION split.
    Do NOT touch splits["test"] here (checked).
    Return a list of dicts {"lr", "batch_size", "width", "val_acc"}, one per combination.
    Checked: each combination once; val_acc equals the validation accuracy of train_model's model.
    """
    raise NotImplementedError


def best_config(results):
    """Return the result dict with the highest "val_acc" (checked: it is the argmax; best >= 0.93)."""
    raise NotImplementedError


def test_accuracy(splits, config, *, epochs, seed):
    """Train `config` with train_model on the training split; return its accuracy on the test split.

    This is the single, final use of the test split. Checked: at least 0.92.
    """
    raise NotImplementedError


def cosine_lr(epoch, base_lr, eta_min, T_max):
    """Cosine annealing in closed form: eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.

    Checked for epochs 0..T_max against keras.optimizers.schedules.CosineDecay(base_lr, T_max,
    alpha=eta_min / base_lr) (rtol=1e-5).
    """
    raise NotImplementedError


def train_with_schedule(model, X, y, *, epochs, batch_size, base_lr):
    """Train with SGD(learning_rate=base_lr, momentum=0.9) and a cosine schedule changed once per EPOCH.

    Epoch e (0-based) must train all its batches with cosine_lr(e, base_lr, 0.0, epochs); use
    keras.callbacks.LearningRateScheduler (a LearningRateSchedule such as CosineDecay given to the
    optimizer is evaluated at every batch instead). Fit with batch_size, epochs, verbose=0.
    Return the list of `epochs` learning rates, one per epoch (history.history["learning_rate"]).
    Checked: the lr the optimizer used at every batch, and the list you return (rtol=1e-5).
    """
    raise NotImplementedError
