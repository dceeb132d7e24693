"""Checks for the hyperparameter-tuning lab."""

import math
from functools import cache

import numpy as np
import torch

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect
from mlpath.labs.content._shared.tuning import (
    SEED,
    expect_best_chosen,
    expect_every_combination,
    expect_test_score,
    expect_test_unread,
    expect_validation_scores,
    searched,
    splits,
)

torch.set_num_threads(1)  # tiny models: one thread is fastest and never oversubscribes the CPU

EPOCHS = 8
RANGE = {"lr_min": 1e-4, "lr_max": 10.0, "n_steps": 100, "batch_size": 64}


def accuracy(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(torch.as_tensor(X)).argmax(dim=1).numpy() == y).mean()


@cache
def range_test(lab):
    torch.manual_seed(SEED)
    X, y = splits()["train"]
    return lab.lr_range_test(lab.make_model(64, 64, 10), X, y, **RANGE)


def torch_cosine(base_lr, eta_min, T_max, n_steps):
    """The lr trajectory of torch's own CosineAnnealingLR, one value per scheduler step."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    lrs = []
    for _ in range(n_steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


@check("lr_range_test: learning rates grow geometrically, the run stops when the loss blows up")
def check_range_lrs(lab):
    lrs, losses = range_test(lab)
    lrs = np.asarray(lrs, dtype=float)
    expect(
        len(lrs) == len(losses) >= 10,
        f"lr_range_test must return two lists of the same length (one entry per step), got {len(lrs)} lrs and {len(losses)} losses.",
    )
    ratio = (RANGE["lr_max"] / RANGE["lr_min"]) ** (1 / (RANGE["n_steps"] - 1))
    close(
        lrs,
        RANGE["lr_min"] * ratio ** np.arange(len(lrs)),
        rtol=1e-6,
        what="learning rates of the range test (geometric: lr_min * ratio**step, ratio = (lr_max / lr_min) ** (1 / (n_steps - 1)))",
    )
    expect(
        len(lrs) < RANGE["n_steps"],
        f"the range test ran all {RANGE['n_steps']} steps up to lr={lrs[-1]:.3g} without stopping: stop once the loss is not finite or above 4 times the lowest loss so far (set each step's lr in optimizer.param_groups).",
    )


@check("lr_range_test: the loss first falls, then diverges")
def check_range_losses(lab):
    _, losses = range_test(lab)
    losses = np.asarray(losses, dtype=float)
    close(
        losses[0],
        math.log(10),
        rtol=0.15,
        what="first loss of the range test (an untrained 10-class model scores about ln(10))",
    )
    at_most(
        np.nanmin(losses),
        0.5 * losses[0],
        what="lowest loss of the range test (it must fall well below the first one as the lr grows)",
    )


@check("suggest_lr: where the smoothed loss falls fastest (synthetic curve)")
def check_suggest_synthetic(lab):
    lrs = np.geomspace(1e-4, 10.0, 100)
    x = np.log10(lrs)
    losses = (
        2.3
        - 2.0 / (1 + np.exp(-3 * (x + 2)))
        + np.exp(3 * (x - 0.5))
        + np.random.default_rng(0).normal(0, 0.02, 100)
    )
    steepest = 0.01
    suggestion = lab.suggest_lr(list(lrs), list(losses))
    expect(
        steepest / 3 <= suggestion <= steepest * 3,
        f"on a curve that falls fastest at lr=0.01 and is lowest near lr={lrs[np.argmin(losses)]:.2g}, suggest_lr returned {suggestion:.3g}; it must be within a factor of 3 of 0.01. Smooth the losses, keep the points before the minimum, and take the most negative slope against log10(lr).",
    )


@check("suggest_lr: a sane suggestion for the real range test")
def check_suggest_real(lab):
    lrs, losses = range_test(lab)
    suggestion = lab.suggest_lr(lrs, losses)
    lowest = lrs[int(np.nanargmin(losses))]
    expect(
        1e-3 <= suggestion <= 1.0,
        f"suggest_lr returned {suggestion:.3g}; for this model and data a sane suggestion lies between 1e-3 and 1.",
    )
    expect(
        suggestion < lowest,
        f"suggest_lr returned {suggestion:.3g}, not below lr={lowest:.3g} where the loss was lowest: that is the edge of divergence. Suggest where the (smoothed) loss falls fastest, before the minimum.",
    )


@check("grid_search: every combination once, scored on validation data")
def check_grid(lab):
    expect_every_combination(searched(lab, EPOCHS)[0])


@check("grid_search: the test split is not used for selection")
def check_no_test(lab):
    expect_test_unread(searched(lab, EPOCHS)[1])


@check("grid_search: val_acc is the validation accuracy of train_model's model")
def check_val_scores(lab):
    results, _ = searched(lab, EPOCHS)
    expect_validation_scores(lab, results, accuracy, EPOCHS, "seed with torch.manual_seed(seed)")


@check("train_model uses its seed: same seed, same model; another seed, another model")
def check_seeds(lab):
    X, y = splits()["train"]
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        torch.manual_seed(global_seed)
        model = lab.train_model(
            X[:200], y[:200], lr=0.05, batch_size=50, width=8, epochs=1, seed=seed
        )
        runs.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    expect(
        torch.equal(runs[0], runs[1]),
        "train_model(seed=1) gave different models after different global seeds: it relies on the "
        "global random state. Call torch.manual_seed(seed) at its start, before make_model.",
    )
    expect(
        not torch.equal(runs[0], runs[2]),
        "train_model(seed=1) and train_model(seed=2) gave the same model: the seed is ignored.",
    )


@check("best_config: the configuration with the highest validation accuracy")
def check_best(lab):
    expect_best_chosen(lab, searched(lab, EPOCHS)[0])


@check("test_accuracy: the chosen configuration, scored once on the test split")
def check_test(lab):
    expect_test_score(lab, searched(lab, EPOCHS)[0], EPOCHS)


@check("cosine_lr: matches torch.optim.lr_scheduler.CosineAnnealingLR")
def check_cosine(lab):
    expected = torch_cosine(0.1, 0.001, 10, 11)
    got = [lab.cosine_lr(epoch, 0.1, 0.001, 10) for epoch in range(11)]
    close(
        got,
        expected,
        rtol=1e-6,
        atol=1e-12,
        what="cosine learning rates for epochs 0..10 (base_lr=0.1, eta_min=0.001, T_max=10)",
    )


@check("train_with_schedule: the lr of every epoch follows torch's CosineAnnealingLR")
def check_schedule(lab):
    X, y = splits()["train"]
    torch.manual_seed(SEED)
    lrs = lab.train_with_schedule(
        lab.make_model(64, 32, 10), X, y, epochs=6, batch_size=128, base_lr=0.05
    )
    expected = torch_cosine(0.05, 0.0, 6, 6)
    expect(len(lrs) == 6, f"train_with_schedule must return one lr per epoch (6), got {len(lrs)}.")
    if not np.allclose(lrs, expected, rtol=1e-6):
        steps_per_epoch = math.ceil(len(X) / 128)
        per_batch = torch_cosine(0.05, 0.0, 6, 6 * steps_per_epoch)[::steps_per_epoch]
        if np.allclose(lrs, per_batch, rtol=1e-6):
            raise CheckFailed(
                "your learning rate moves once per mini-batch: with CosineAnnealingLR(T_max=epochs) call scheduler.step() once per epoch, after that epoch's optimizer steps."
            )
    close(
        lrs,
        expected,
        rtol=1e-6,
        atol=1e-12,
        what="lr at the start of each epoch (torch CosineAnnealingLR, T_max=epochs, stepped once per epoch)",
    )
