"""Lab: hyperparameter tuning — a learning-rate range test, a validation search, a schedule."""

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
    """One SGD step per mini-batch with a geometrically increasing lr; returns (lrs, losses)."""
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr_min, momentum=0.9)
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1))
    lrs, losses = [], []
    model.train()
    for step, idx in zip(range(n_steps), batches(len(X), batch_size)):
        lr = lr_min * ratio**step
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
        lrs.append(lr)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]) or losses[-1] > 4 * min(losses):
            break
    return lrs, losses


def smooth(losses, beta=0.8):
    """Bias-corrected exponential moving average of the losses."""
    avg, out = 0.0, []
    for i, loss in enumerate(losses):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta ** (i + 1)))
    return np.array(out)


def suggest_lr(lrs, losses):
    """The lr where the smoothed loss falls fastest (most negative slope per log10 lr) before its minimum."""
    lrs, smoothed = np.asarray(lrs), smooth(losses)
    end = int(np.argmin(smoothed)) + 1
    slope = np.gradient(smoothed[:end], np.log10(lrs[:end]))
    return float(lrs[int(np.argmin(slope))])


def train_model(X, y, *, lr, batch_size, width, epochs, seed):
    """Train make_model with SGD (momentum 0.9) for `epochs` epochs; returns the model."""
    torch.manual_seed(seed)
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    model = make_model(X.shape[1], width, int(y.max()) + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
    return model


def grid_search(splits, grid, *, epochs, seed):
    """Train every combination of the grid on the training split, score it on the validation split."""
    X_train, y_train = splits["train"]
    X_val, y_val = splits["val"]
    results = []
    for lr, batch_size, width in itertools.product(grid["lr"], grid["batch_size"], grid["width"]):
        model = train_model(
            X_train, y_train, lr=lr, batch_size=batch_size, width=width, epochs=epochs, seed=seed
        )
        results.append(
            {
                "lr": lr,
                "batch_size": batch_size,
                "width": width,
                "val_acc": accuracy(model, X_val, y_val),
            }
        )
    return results


def best_config(results):
    """The result with the highest validation accuracy (the first one on ties)."""
    return max(results, key=lambda r: r["val_acc"])


def test_accuracy(splits, config, *, epochs, seed):
    """Train the chosen configuration on the training split and score it once on the test split."""
    X_train, y_train = splits["train"]
    model = train_model(
        X_train,
        y_train,
        lr=config["lr"],
        batch_size=config["batch_size"],
        width=config["width"],
        epochs=epochs,
        seed=seed,
    )
    X_test, y_test = splits["test"]
    return accuracy(model, X_test, y_test)


def cosine_lr(epoch, base_lr, eta_min, T_max):
    """Closed-form cosine annealing from base_lr (epoch 0) down to eta_min (epoch T_max)."""
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2


def train_with_schedule(model, X, y, *, epochs, batch_size, base_lr):
    """SGD with CosineAnnealingLR(T_max=epochs), stepped once per epoch; returns the lr of every epoch."""
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    optimizer = torch.optim.SGD(model.parameters(), lr=base_lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    lrs = []
    model.train()
    for _ in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        order = torch.randperm(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
        scheduler.step()
    return lrs
