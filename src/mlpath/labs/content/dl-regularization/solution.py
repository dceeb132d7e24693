"""Lab: regularization in practice — dropout, weight decay, batch normalization, early stopping."""

import torch
from torch import nn


def dropout(x, p, training, generator):
    """Inverted dropout: in training zero each entry with probability p and scale the rest by 1/(1-p)."""
    if not training or p == 0:
        return x
    keep = torch.rand(x.shape, generator=generator) >= p
    return x * keep / (1 - p)


def sgd_step_weight_decay(model, X, y, lr, wd):
    """One SGD step on the cross-entropy with the optimizer's weight_decay=wd."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=wd)
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(X), y).backward()
    optimizer.step()


def sgd_step_l2_penalty(model, X, y, lr, wd):
    """One plain SGD step on the cross-entropy plus the explicit penalty wd/2 * sum of squared parameters."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    optimizer.zero_grad()
    penalty = sum((p**2).sum() for p in model.parameters())
    loss = nn.functional.cross_entropy(model(X), y) + wd / 2 * penalty
    loss.backward()
    optimizer.step()


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, *, training, momentum=0.1, eps=1e-5
):
    """Batch normalization of x (n, d); returns (out, new_running_mean, new_running_var)."""
    if training:
        mean = x.mean(dim=0)
        var = x.var(dim=0, unbiased=False)
        n = x.shape[0]
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    out = gamma * (x - mean) / torch.sqrt(var + eps) + beta
    return out, running_mean, running_var


def early_stopping(val_losses, patience):
    """(best_epoch, stop_epoch): stop once `patience` epochs in a row brought no new lowest loss."""
    best_epoch = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best_epoch]:
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def make_model(n_in, n_out, p_drop):
    """Two hidden layers of 256 ReLU units, each followed by Dropout(p_drop)."""
    return nn.Sequential(
        nn.Linear(n_in, 256),
        nn.ReLU(),
        nn.Dropout(p_drop),
        nn.Linear(256, 256),
        nn.ReLU(),
        nn.Dropout(p_drop),
        nn.Linear(256, n_out),
    )


def validation_curve(X_train, y_train, X_val, y_val, *, p_drop, weight_decay, epochs):
    """Full-batch AdamW(lr=1e-3) training; the validation loss (eval mode) after every epoch."""
    model = make_model(X_train.shape[1], int(y_train.max()) + 1, p_drop)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=weight_decay)
    losses = []
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X_train), y_train).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            losses.append(nn.functional.cross_entropy(model(X_val), y_val).item())
    return losses
