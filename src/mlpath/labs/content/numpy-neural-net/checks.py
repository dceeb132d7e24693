"""Checks for the NumPy two-layer network lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, at_least, at_most, check, close, expect

PARAM_SHAPES = {"W1": (5, 7), "b1": (7,), "W2": (7, 3), "b2": (3,)}
GRAD_REL_ERROR = 1e-6


def spiral(n_per_class, n_classes, rng):
    """Interleaved 2-D spirals, one arm per class."""
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.normal(0.0, 0.2, n_per_class)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(n_per_class, k))
    return np.vstack(X), np.concatenate(y)


def small_problem():
    """A small batch and fixed parameters for the forward and gradient checks."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(16, 5))
    y = rng.integers(0, 3, size=16)
    params = {name: rng.normal(0.0, 0.7, size=shape) for name, shape in PARAM_SHAPES.items()}
    return X, y, params


def ref_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ref_loss(params, X, y):
    h = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    probs = ref_softmax(h @ params["W2"] + params["b2"])
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


def central_differences(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = f()
        x[idx] = old - eps
        f_minus = f()
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


@cache
def trained(lab):
    X, y = spiral(100, 3, np.random.default_rng(0))
    params, losses = lab.train(X, y, n_hidden=64, lr=1.0, n_steps=300, rng=np.random.default_rng(1))
    return X, y, params, losses


@check("init_params: shapes, zero biases, random weights")
def check_init(lab):
    params = lab.init_params(5, 7, 3, np.random.default_rng(0))
    expect(
        isinstance(params, dict), f"init_params must return a dict, got {type(params).__name__}."
    )
    expect(
        set(params) == set(PARAM_SHAPES),
        f"init_params must return the keys W1, b1, W2, b2; got {sorted(params)}.",
    )
    for name, shape in PARAM_SHAPES.items():
        got = np.shape(params[name])
        expect(got == shape, f"init_params(5, 7, 3): {name} must have shape {shape}, got {got}.")
    for name in ("b1", "b2"):
        close(
            params[name], np.zeros(PARAM_SHAPES[name]), what=f"bias {name} (start biases at zero)"
        )
    for name in ("W1", "W2"):
        w = np.asarray(params[name])
        expect(
            np.unique(w).size == w.size,
            f"{name} must be random (all entries different) to break the symmetry between hidden units.",
        )
    big = lab.init_params(400, 200, 10, np.random.default_rng(1))
    for name, fan_in in (("W1", 400), ("W2", 200)):
        std, he = float(np.std(big[name])), np.sqrt(2.0 / fan_in)
        expect(
            he / 2 <= std <= 2 * he,
            f"init_params(400, 200, 10): the entries of {name} have standard deviation {std:.3g}; use He scaling "
            f"std = sqrt(2 / fan_in) = {he:.3g} (anything within a factor of 2 is accepted). Too small and the "
            "signal vanishes, too large and it explodes.",
        )


@check("init_params draws from the rng it is given")
def check_init_rng(lab):
    np.random.seed(1)
    a = lab.init_params(5, 7, 3, np.random.default_rng(3))
    np.random.seed(2)
    b = lab.init_params(5, 7, 3, np.random.default_rng(3))
    c = lab.init_params(5, 7, 3, np.random.default_rng(4))
    same = all(np.array_equal(a[k], b[k]) for k in ("W1", "W2"))
    expect(
        same,
        "init_params with the same rng seed gave different weights after a different global "
        "np.random seed: draw from the rng argument (rng.normal(...)), not from np.random.",
    )
    expect(
        not np.array_equal(a["W1"], c["W1"]),
        "init_params gave the same weights for rngs seeded 3 and 4: draw from the rng argument.",
    )


@check("softmax: rows are probabilities, no overflow")
def check_softmax(lab):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 4))
    p = np.asarray(lab.softmax(z))
    expect(p.shape == z.shape, f"softmax(z) must keep the shape of z {z.shape}, got {p.shape}.")
    expect(
        np.allclose(p.sum(axis=1), 1.0),
        "each row of softmax(z) must sum to 1: normalise over the classes (axis=1), one row per sample.",
    )
    close(p, ref_softmax(z), rtol=1e-10, atol=1e-12, what="softmax(z)")
    big = z * 1000.0
    p_big = np.asarray(lab.softmax(big))
    expect(
        np.isfinite(p_big).all(),
        "softmax(1000 * z) contains NaN or inf: subtract each row's maximum before np.exp.",
    )
    close(p_big, ref_softmax(big), rtol=1e-10, atol=1e-12, what="softmax of large scores")


@check("forward: probabilities of affine -> ReLU -> affine -> softmax")
def check_forward(lab):
    X, _, params = small_problem()
    probs, _ = lab.forward(params, X)
    expect(
        np.shape(probs) == (16, 3),
        f"forward(params, X) must return probs of shape (n, n_out) = (16, 3), got {np.shape(probs)}.",
    )
    h = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    close(
        probs,
        ref_softmax(h @ params["W2"] + params["b2"]),
        rtol=1e-10,
        atol=1e-12,
        what="forward probabilities",
    )


@check("cross_entropy: mean negative log-probability of the true class")
def check_cross_entropy(lab):
    X, y, params = small_problem()
    h = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    probs = ref_softmax(h @ params["W2"] + params["b2"])
    close(
        lab.cross_entropy(probs, y), ref_loss(params, X, y), rtol=1e-10, what="mean cross-entropy"
    )


@check("numerical_gradient: central differences")
def check_numerical_gradient(lab):
    x = np.random.default_rng(2).normal(size=(3, 4))
    before = x.copy()
    grad = lab.numerical_gradient(lambda v: float(np.sum(np.sin(v) * v**2)), x)
    close(x, before, what="x after numerical_gradient (put every entry back after nudging it)")
    close(
        grad,
        np.cos(x) * x**2 + 2 * x * np.sin(x),
        rtol=1e-6,
        atol=1e-8,
        what="numerical gradient of sum(sin(x) * x**2)",
    )


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


@check(
    f"backward: every gradient matches central differences (relative error < {GRAD_REL_ERROR:g})"
)
def check_backward(lab):
    X, y, params = small_problem()
    _, cache = lab.forward({k: v.copy() for k, v in params.items()}, X)
    grads = lab.backward(params, cache, y)
    expect(
        isinstance(grads, dict) and set(grads) >= set(PARAM_SHAPES),
        "backward must return a dict with the gradients 'W1', 'b1', 'W2', 'b2'.",
    )
    errors, ratios = {}, {}
    for name, shape in PARAM_SHAPES.items():
        got = np.asarray(grads[name], dtype=float)
        expect(
            got.shape == shape,
            f"gradient of {name} must have the shape of {name} {shape}, got {got.shape}.",
        )
        numeric = central_differences(lambda: ref_loss(params, X, y), params[name])
        errors[name] = relative_error(got, numeric)
        ratios[name] = np.linalg.norm(got) / max(np.linalg.norm(numeric), 1e-12)
    bad = [name for name, err in errors.items() if err >= GRAD_REL_ERROR]
    if not bad:
        return
    message = (
        " ".join(
            f"gradient of the loss w.r.t. {name}: relative error {errors[name]:.2g} against central differences."
            for name in bad
        )
        + f" Each must be below {GRAD_REL_ERROR:g}."
    )
    n = len(y)
    if all(abs(ratios[name] - n) < 0.05 * n for name in bad):
        message += (
            f" Your gradients are about {n} times too large, and {n} is the batch size:"
            " the loss is a mean, so divide the gradients by n."
        )
    elif set(bad) <= {"W1", "b1"}:
        message += " W2 and b2 are right, so look at the step back through the ReLU (where z1 <= 0 no gradient flows)."
    raise CheckFailed(message)


@check("train: 300 full-batch steps on three spirals reduce the loss")
def check_train_loss(lab):
    X, y, _, losses = trained(lab)
    expect(len(losses) == 300, f"train must return one loss per step (300), got {len(losses)}.")
    start = lab.init_params(2, 64, 3, np.random.default_rng(1))
    initial = float(lab.cross_entropy(lab.forward(start, X)[0], y))  # with the learner's own pieces
    expect(
        np.isclose(losses[0], initial, rtol=1e-8),
        f"the first recorded loss is {losses[0]:.6g}, but the loss of the initial parameters "
        f"(init_params(2, 64, 3, rng)) is {initial:.6g}: build the parameters with "
        "init_params(..., rng) and record each step's loss before the update, so that "
        "losses[0] is the loss you start from.",
    )
    expect(
        np.isfinite(losses).all(),
        "the training loss became NaN or inf: check the gradients (and their scale).",
    )
    at_most(losses[-1], 0.5 * losses[0], what=f"final training loss (first was {losses[0]:.3f})")


@check("predict: training accuracy on the spirals is at least 0.90")
def check_train_accuracy(lab):
    X, y, params, _ = trained(lab)
    pred = np.asarray(lab.predict(params, X))
    expect(
        pred.shape == y.shape,
        f"predict must return one class index per row, shape {y.shape}, got {pred.shape}.",
    )
    at_least(np.mean(pred == y), 0.90, what="training accuracy on the spirals")
