"""Lab: regularization in practice — dropout, weight decay, batch normalization, early stopping.

Tensors are float32 torch tensors; the checker generates them with fixed seeds. The experiment uses
scikit-learn's bundled digits with 300 extra pure-noise features (200 training, 500 validation rows).
Run `mlpath check dl-regularization` to check your work.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import torch
from torch import nn


def dropout(x, p, training, generator):
    """Inverted dropout by hand (0 <= p < 1).

    training=False: return x unchanged. training=True: draw uniform numbers with
    torch.rand(x.shape, generator=generator), zero the entries whose number is < p, and multiply the
    kept ones by 1 / (1 - p) so that every unit keeps its expected value.
    Checked: identity in eval mode; about a fraction p zeroed (±0.01); kept entries equal x / (1 - p).
    """
    raise NotImplementedError


def sgd_step_weight_decay(model, X, y, lr, wd):
    """One step of torch.optim.SGD(model.parameters(), lr=lr, weight_decay=wd) on cross-entropy(model(X), y).

    Changes the model's parameters in place; returns nothing.
    Checked: every parameter equals w - lr * (grad + wd * w) (rtol=1e-5).
    """
    raise NotImplementedError


def sgd_step_l2_penalty(model, X, y, lr, wd):
    """One step of plain SGD(lr=lr) (no weight_decay) on cross-entropy + wd / 2 * (sum of p**2 over ALL parameters).

    Checked: gives exactly the same parameters as sgd_step_weight_decay (rtol=1e-5) — L2 in the
    optimizer and an explicit L2 penalty are the same thing for SGD.
    """
    raise NotImplementedError


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, *, training, momentum=0.1, eps=1e-5
):
    """Batch normalization of x (n, d) over the batch dimension, like nn.BatchNorm1d.

    training=True: normalize with the batch mean and the BIASED batch variance (divide by n):
        out = gamma * (x - mean) / sqrt(var + eps) + beta
      and update the running statistics (return new tensors):
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var + momentum * UNBIASED batch variance (divide by n - 1)
    training=False: normalize with running_mean and running_var, and return them unchanged.
    Return (out, running_mean, running_var). Checked against nn.BatchNorm1d (rtol=1e-5, atol=1e-5).
    """
    raise NotImplementedError


def early_stopping(val_losses, patience):
    """Replay early stopping on a list of validation losses, one per epoch (0-based).

    An epoch improves when its loss is strictly lower than the best so far. Training stops at the
    first epoch that is `patience` epochs after the best epoch; if that never happens it runs to the
    last epoch. Return (best_epoch, stop_epoch), the best epoch being the best one seen up to the stop.
    Example: [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9], patience=3 -> (2, 5).
    """
    raise NotImplementedError


def make_model(n_in, n_out, p_drop):
    """Linear(n_in, 256) -> ReLU -> Dropout(p_drop) -> Linear(256, 256) -> ReLU -> Dropout(p_drop) -> Linear(256, n_out)."""
    raise NotImplementedError


def validation_curve(X_train, y_train, X_val, y_val, *, p_drop, weight_decay, epochs):
    """Train make_model(n_features, 10, p_drop) and return the validation loss after every epoch.

    Full batch: every epoch is one step of torch.optim.AdamW(model.parameters(), lr=1e-3,
    weight_decay=weight_decay) on the cross-entropy of the whole training set (model.train()).
    After the step compute the mean cross-entropy on the validation set in eval mode without
    gradients. Return a list of `epochs` floats. The checker seeds torch.manual_seed(0) before each call.
    Checked with 100 epochs: without regularization (p_drop=0, weight_decay=0) the model overfits;
    with p_drop=0.5 and weight_decay=0.1 the best validation loss is at most 0.92 times the unregularized best.
    """
    raise NotImplementedError
