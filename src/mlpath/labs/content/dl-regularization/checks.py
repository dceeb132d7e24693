"""Checks for the regularization lab."""

import copy
from functools import cache

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler
from torch import nn

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect
from mlpath.labs.content._shared.modes import dropout_calls, expect_train_and_eval_modes

torch.set_num_threads(1)  # small models: one thread is fastest and never oversubscribes the CPU

EPOCHS = 100
REGULARIZED = {"p_drop": 0.5, "weight_decay": 0.1}
MARGIN = 0.92


def numpy(t):
    expect(isinstance(t, torch.Tensor), f"expected a torch.Tensor, got {type(t).__name__}.")
    return t.detach().numpy()


def reference_early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return best, epoch
    return best, len(val_losses) - 1


@cache
def noisy_digits():
    """200 training and 500 validation digits, each with 300 extra pure-noise features."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    X = np.hstack([X[order], rng.normal(size=(len(y), 300))])
    y = y[order]
    scaler = StandardScaler().fit(X[:200])
    as_x = lambda a: torch.tensor(scaler.transform(a), dtype=torch.float32)  # noqa: E731
    return as_x(X[:200]), torch.tensor(y[:200]), as_x(X[200:700]), torch.tensor(y[200:700])


@cache
def curves(lab):
    result = {}
    for name, settings in (
        ("plain", {"p_drop": 0.0, "weight_decay": 0.0}),
        ("regularized", REGULARIZED),
    ):
        torch.manual_seed(0)
        with dropout_calls() as calls:
            curve = lab.validation_curve(*noisy_digits(), epochs=EPOCHS, **settings)
        result[name] = np.asarray(curve, dtype=float)
        result[f"{name} calls"] = tuple(calls)
    return result


@check("dropout: identity in evaluation mode")
def check_dropout_eval(lab):
    x = torch.randn(50, 20, generator=torch.Generator().manual_seed(0))
    out = lab.dropout(x, 0.3, training=False, generator=torch.Generator().manual_seed(1))
    close(numpy(out), numpy(x), what="dropout(x, p=0.3, training=False) (must return x unchanged)")


@check("dropout: inverted dropout in training (drop rate p, survivors scaled by 1/(1-p))")
def check_dropout_train(lab):
    p = 0.3
    x = torch.rand(400, 250, generator=torch.Generator().manual_seed(0)) + 0.5
    out = numpy(lab.dropout(x, p, training=True, generator=torch.Generator().manual_seed(1)))
    x = numpy(x)
    expect(out.shape == x.shape, f"dropout must keep the shape {x.shape}, got {out.shape}.")
    dropped = out == 0
    rate = dropped.mean()
    expect(
        abs(rate - p) < 0.01,
        f"dropout zeroed a fraction {rate:.3f} of the entries; it should be about p = {p} (±0.01).",
    )
    kept = ~dropped
    if np.allclose(out[kept], x[kept], rtol=1e-5):
        raise CheckFailed(
            f"the kept entries are unchanged: inverted dropout scales them by 1/(1-p) = {1 / (1 - p):.4g} so that the expected value of every unit is the same in training and evaluation."
        )
    close(out[kept], x[kept] / (1 - p), rtol=1e-5, what="kept entries (must be x / (1 - p))")
    close(
        out.mean(),
        x.mean(),
        rtol=0.01,
        what="mean of the output (inverted dropout keeps the expected value)",
    )
    small = torch.ones(20, 30)
    torch.manual_seed(10)
    a = numpy(lab.dropout(small, 0.5, training=True, generator=torch.Generator().manual_seed(7)))
    torch.manual_seed(11)
    b = numpy(lab.dropout(small, 0.5, training=True, generator=torch.Generator().manual_seed(7)))
    c = numpy(lab.dropout(small, 0.5, training=True, generator=torch.Generator().manual_seed(8)))
    expect(
        np.array_equal(a, b) and not np.array_equal(a, c),
        "dropout must draw its mask from the generator it is given (torch.rand(x.shape, "
        "generator=generator)): the same generator seed must give the same mask whatever the "
        "global seed, and another seed another mask.",
    )


@check(
    "weight decay: optimizer weight_decay and the explicit penalty wd/2 * sum(w**2) give the same SGD step"
)
def check_weight_decay(lab):
    g = torch.Generator().manual_seed(2)
    X, y = torch.randn(32, 5, generator=g), torch.randint(0, 3, (32,), generator=g)
    torch.manual_seed(3)
    start = nn.Linear(5, 3)
    lr, wd = 0.1, 0.05
    model = copy.deepcopy(start)
    loss = nn.functional.cross_entropy(model(X), y)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    expected = [numpy(p - lr * (gr + wd * p)) for p, gr in zip(model.parameters(), grads)]
    names = [name for name, _ in start.named_parameters()]
    for step_fn, how in (
        (lab.sgd_step_weight_decay, "SGD(weight_decay=wd)"),
        (lab.sgd_step_l2_penalty, "plain SGD on loss + wd/2 * sum(w**2)"),
    ):
        model = copy.deepcopy(start)
        step_fn(model, X, y, lr, wd)
        for name, p, want in zip(names, model.parameters(), expected):
            close(
                numpy(p),
                want,
                rtol=1e-5,
                atol=1e-7,
                what=f"{name} after one step of {how} (expected w - lr * (grad + wd * w); the penalty must be wd / 2 * sum(w**2) over all parameters)",
            )


@check("batchnorm_forward: training mode matches nn.BatchNorm1d (output and running statistics)")
def check_batchnorm_train(lab):
    # Two settings, so that a momentum or eps fixed inside the function is caught.
    for momentum, eps in ((0.1, 1e-5), (0.3, 0.1)):
        _batchnorm_train_case(lab, momentum, eps)


def _batchnorm_train_case(lab, momentum, eps):
    setting = f"momentum={momentum}, eps={eps:g}"
    g = torch.Generator().manual_seed(4)
    x = torch.randn(32, 6, generator=g) * 3 + 2
    bn = nn.BatchNorm1d(6, momentum=momentum, eps=eps)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(6, generator=g) + 0.5)
        bn.bias.copy_(torch.randn(6, generator=g))
        bn.running_mean.copy_(torch.randn(6, generator=g))
        bn.running_var.copy_(torch.rand(6, generator=g) + 0.5)
    gamma, beta = bn.weight.detach().clone(), bn.bias.detach().clone()
    rm, rv = bn.running_mean.clone(), bn.running_var.clone()
    bn.train()
    with torch.no_grad():
        want = bn(x)
    out, new_rm, new_rv = lab.batchnorm_forward(
        x, gamma, beta, rm, rv, training=True, momentum=momentum, eps=eps
    )
    expect(
        tuple(out.shape) == (32, 6),
        f"batchnorm_forward must return out with the shape of x (32, 6), got {tuple(out.shape)}.",
    )
    unbiased = gamma * (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=True) + eps) + beta
    if torch.allclose(out, unbiased, rtol=1e-5, atol=1e-6):
        raise CheckFailed(
            "the output is normalized with the unbiased variance (divide by n - 1): in training mode batch norm normalizes with the biased batch variance (divide by n, unbiased=False); only the running variance uses the unbiased one."
        )
    close(
        numpy(out),
        numpy(want),
        rtol=1e-5,
        atol=1e-5,
        what=f"batch-norm output in training mode with {setting} (vs nn.BatchNorm1d; use the eps argument)",
    )
    close(
        numpy(new_rm),
        numpy(bn.running_mean),
        rtol=1e-5,
        atol=1e-6,
        what=f"updated running mean with {setting} ((1 - momentum) * old + momentum * batch mean, with the momentum argument)",
    )
    close(
        numpy(new_rv),
        numpy(bn.running_var),
        rtol=1e-5,
        atol=1e-6,
        what=f"updated running variance with {setting} ((1 - momentum) * old + momentum * UNBIASED batch variance)",
    )


@check("batchnorm_forward: evaluation mode uses the running statistics")
def check_batchnorm_eval(lab):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(16, 4, generator=g)
    bn = nn.BatchNorm1d(4)
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(4, generator=g))
        bn.running_var.copy_(torch.rand(4, generator=g) + 0.5)
        bn.weight.copy_(torch.rand(4, generator=g) + 0.5)
        bn.bias.copy_(torch.randn(4, generator=g))
    bn.eval()
    with torch.no_grad():
        want = bn(x)
    rm, rv = bn.running_mean.clone(), bn.running_var.clone()
    out, new_rm, new_rv = lab.batchnorm_forward(
        x, bn.weight.detach(), bn.bias.detach(), rm, rv, training=False
    )
    close(
        numpy(out),
        numpy(want),
        rtol=1e-5,
        atol=1e-5,
        what="batch-norm output in evaluation mode (normalize with the running mean and variance)",
    )
    close(
        numpy(new_rm),
        numpy(bn.running_mean),
        what="running mean in evaluation mode (must not change)",
    )
    close(
        numpy(new_rv),
        numpy(bn.running_var),
        what="running variance in evaluation mode (must not change)",
    )


@check("early_stopping: best epoch and stop epoch with patience")
def check_early_stopping(lab):
    rng = np.random.default_rng(6)
    noisy = list(np.linspace(1.0, 0.5, 12) + rng.normal(0, 0.03, 12)) + list(
        np.linspace(0.52, 0.9, 10)
    )
    cases = [
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65, 0.66], 3),
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65, 0.66], 5),
        ([0.9, 0.8, 0.8, 0.8, 0.7], 2),
        ([0.5, 0.4, 0.3, 0.2], 2),
        ([float(v) for v in noisy], 4),
    ]
    for losses, patience in cases:
        got = tuple(int(v) for v in lab.early_stopping(losses, patience))
        want = reference_early_stopping(losses, patience)
        expect(
            got == want,
            f"early_stopping({[round(v, 3) for v in losses]}, patience={patience}) returned (best_epoch, stop_epoch) = {got}, expected {want}: stop at the first epoch that is `patience` epochs after the best one (an equal loss is no improvement); never stopping gives the last epoch.",
        )


@check("validation_curve trains in training mode and validates in evaluation mode")
def check_curve_modes(lab):
    calls = curves(lab)["regularized calls"]
    expect_train_and_eval_modes(calls, 500, 200, "the model in eval mode")


@check(
    f"overfitting experiment: dropout + weight decay lower the best validation loss by at least {1 - MARGIN:.0%}"
)
def check_experiment(lab):
    result = curves(lab)
    plain, regularized = result["plain"], result["regularized"]
    for name in ("plain", "regularized"):
        curve = result[name]
        expect(
            len(curve) == EPOCHS,
            f"validation_curve must return one validation loss per epoch ({EPOCHS}), got {len(curve)} for the {name} model.",
        )
    expect(
        plain[-1] > plain.min() + 0.01,
        f"the unregularized model should overfit (its validation loss rises after epoch {int(plain.argmin())}), but its final loss {plain[-1]:.3f} is its best: is it trained with AdamW(lr=1e-3) for {EPOCHS} full-batch epochs?",
    )
    at_most(
        regularized.min(),
        MARGIN * plain.min(),
        what=f"best validation loss with dropout {REGULARIZED['p_drop']} and weight decay {REGULARIZED['weight_decay']} (the unregularized best is {plain.min():.3f}; required at most {MARGIN} times that)",
    )
