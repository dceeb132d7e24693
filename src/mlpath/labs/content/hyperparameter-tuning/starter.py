"""Lab: hyperparameter tuning — a learning-rate range test, a validation search, a schedule.

Data: scikit-learn's bundled digits (8x8 images, 64 features, 10 classes), split 60/20/20 and
standardized by the checker, which passes the arrays in (X float32, y int64).
make_model, accuracy and batches are given. Run `mlpath check hyperparameter-tuning`.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import itertools
import math

import numpy as np
import torch
from torch import nn


def make_model(n_in, width, n_out):
    """Given: Linear -> ReLU -> Linear."""
    return nn.Sequential(nn.Linear(n_in, width), nn.ReLU(), nn.Linear(width, n_out))


def accuracy(model, X, y):
    """Given: fraction of rows of X whose predicted class equals y."""
    model.eval()
    with torch.no_grad():
        return (model(torch.as_tensor(X)).argmax(dim=1) == torch.as_tensor(y)).float().mean().item()


def batches(n, batch_size):
    """Given: an endless stream of index tensors of size batch_size, reshuffled every pass over the data."""
    while True:
        order = torch.randperm(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def lr_range_test(model, X, y, *, lr_min, lr_max, n_steps, batch_size):
    """Learning-rate range test: one SGD step per mini-batch while the lr grows geometrically.

    Use torch.optim.SGD(model.parameters(), lr=lr_min, momentum=0.9) and mini-batches from
    batches(len(X), batch_size). Step i (0-based) uses lr_i = lr_min * ratio**i with
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1)) — set it in every optimizer.param_groups entry
    before the step. Record lr_i and the mini-batch loss (a float) of every step. Stop early once the
    loss is not finite or above 4 times the lowest loss so far (divergence).
    Return (lrs, losses), two lists of the same length.
    Checked (lr_min=1e-4, lr_max=10, n_steps=100, batch_size=64, model make_model(64, 64, 10)):
    lrs geometric (rtol=1e-6), the run stopped before n_steps, the first loss is about ln(10)
    and the lowest is at most half of it.
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
    """Train make_model(64, width, 10) for `epochs` epochs; return the model.

    Start with torch.manual_seed(seed) (so that a configuration's score is reproducible), then
    SGD(lr=lr, momentum=0.9) on cross-entropy over shuffled mini-batches (torch.randperm) of batch_size.
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

    Checked for epochs 0..T_max against torch.optim.lr_scheduler.CosineAnnealingLR (rtol=1e-6).
    """
    raise NotImplementedError


def train_with_schedule(model, X, y, *, epochs, batch_size, base_lr):
    """Train with SGD(lr=base_lr, momentum=0.9) and CosineAnnealingLR(optimizer, T_max=epochs).

    Record optimizer.param_groups[0]["lr"] at the START of every epoch; call scheduler.step() once
    per epoch, after that epoch's optimizer steps. Return the list of `epochs` learning rates.
    Checked against torch's own CosineAnnealingLR trajectory (rtol=1e-6).
    """
    raise NotImplementedError
