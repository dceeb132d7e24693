"""Checks for the gradient-check lab. Exact gradients are derived here, on seeded inputs."""

import numpy as np

from mlpath.labs.checking import at_most, check, close, expect

EPS = 1e-4  # the step the checks pass to numerical_gradient
NUM_TOL = {"rtol": 1e-6, "atol": 1e-7}  # central differences with EPS are accurate to ~1e-8


def _wavy(x):
    return float(np.sum(np.sin(x) * x**2))


def _wavy_grad(x):
    return np.cos(x) * x**2 + 2 * x * np.sin(x)


def _layer(v):
    return lambda W: float(np.sum(np.tanh(W @ v)))


def _layer_grad(W, v):
    return (1 - np.tanh(W @ v) ** 2)[:, None] * v[None, :]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _logistic_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 3))
    y = (rng.random(40) < _sigmoid(X @ np.array([1.5, -2.0, 0.5]))).astype(float)
    w = rng.normal(size=3) * 0.5
    return w, X, y


def _logistic_loss(w, X, y):
    p = _sigmoid(X @ w)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _logistic_grad(w, X, y):
    return X.T @ (_sigmoid(X @ w) - y) / len(y)


def _forward_difference(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x)) / eps
    return grad


def _verdict(result):
    expect(
        isinstance(result, tuple) and len(result) == 2,
        f"gradient_check must return a tuple (ok, error); got {result!r}.",
    )
    return result


def _matches(got, candidate):
    return np.shape(got) == np.shape(candidate) and np.allclose(
        got, candidate, rtol=1e-7, atol=1e-9
    )


def _check_numerical(got, x, f, exact, what):
    """Compare with the exact gradient, naming the usual mistakes when one is recognised."""
    got = np.asarray(got, dtype=float)
    expect(
        got.shape == x.shape, f"{what}: expected shape {x.shape} (the shape of x), got {got.shape}."
    )
    expect(
        not _matches(got, _forward_difference(f, x, EPS)),
        f"{what}: your values equal a forward difference (f(x + eps) - f(x)) / eps, whose error "
        "shrinks only like eps. Use central differences (f(x + eps) - f(x - eps)) / (2 eps).",
    )
    expect(
        got.size < 2 or not np.allclose(got, got.flat[0], rtol=1e-9, atol=1e-12),
        f"{what}: every element of your gradient is the same number: you nudged all of x at "
        "once. Nudge only x[i] (a unit array e_i times eps), one index at a time.",
    )
    expect(
        not _matches(got, 2 * exact),
        f"{what}: your values are twice the gradient: divide the central difference by 2 * eps.",
    )
    close(got, exact, **NUM_TOL, what=what)


@check("numerical_gradient matches the exact gradient of a vector function")
def numerical_vector(lab):
    x = np.random.default_rng(1).normal(size=6)
    got = lab.numerical_gradient(_wavy, x.copy(), EPS)
    _check_numerical(got, x, _wavy, _wavy_grad(x), "numerical gradient of sum(sin(x) x²)")


@check("numerical_gradient works when x is a matrix")
def numerical_matrix(lab):
    rng = np.random.default_rng(2)
    W, v = rng.normal(size=(3, 4)), rng.normal(size=4)
    got = lab.numerical_gradient(_layer(v), W.copy(), EPS)
    _check_numerical(
        got,
        W,
        _layer(v),
        _layer_grad(W, v),
        "numerical gradient of sum(tanh(W v)) w.r.t. W (3 x 4)",
    )


def _cube(x):
    return float(np.sum(x**3))


@check("numerical_gradient uses the eps it is given")
def numerical_uses_eps(lab):
    # For sum(x³) the central difference is exactly 3x² + eps², whatever x: a large eps shows it.
    x = np.random.default_rng(8).normal(size=4)
    for eps in (0.1, 0.3):
        got = np.asarray(lab.numerical_gradient(_cube, x.copy(), eps), dtype=float)
        expect(
            got.shape == x.shape, f"numerical_gradient: expected shape {x.shape}, got {got.shape}."
        )
        expect(
            not np.allclose(got, 3 * x**2, rtol=1e-6, atol=1e-6),
            f"numerical_gradient ignores its eps argument: with eps={eps} the central difference "
            f"of sum(x³) is 3x² + eps² = 3x² + {eps**2:g}, but yours is 3x² (a tiny fixed step). "
            "Use the eps passed in.",
        )
        close(
            got,
            3 * x**2 + eps**2,
            rtol=1e-9,
            atol=1e-9,
            what=f"central difference of sum(x³) with eps={eps} (exactly 3x² + eps²)",
        )


@check("numerical_gradient leaves x unchanged")
def numerical_keeps_x(lab):
    x = np.random.default_rng(3).normal(size=5)
    before = x.copy()
    lab.numerical_gradient(_wavy, x, EPS)
    worst = int(np.argmax(np.abs(x - before)))
    expect(
        np.array_equal(x, before),
        f"numerical_gradient changed its input x (x[{worst}] went from {before[worst]:.6g} to "
        f"{x[worst]:.6g}): restore x[i] after each perturbation, or work on a copy of x.",
    )


@check("quadratic_gradient is the gradient of 1/2 xᵀAx - bᵀx for a non-symmetric A")
def quadratic(lab):
    rng = np.random.default_rng(4)
    A, b, x = rng.normal(size=(5, 5)), rng.normal(size=5), rng.normal(size=5)
    got = np.asarray(lab.quadratic_gradient(A, b, x), dtype=float)
    expect(got.shape == (5,), f"quadratic_gradient: expected shape (5,), got {got.shape}.")
    expect(
        not (_matches(got, A @ x - b) or _matches(got, A.T @ x - b)),
        "quadratic_gradient: A x - b is the gradient only when A is symmetric; this A is not. "
        "Differentiate 1/2 xᵀAx term by term: it gives 1/2 (A + Aᵀ) x.",
    )
    close(
        got,
        0.5 * (A + A.T) @ x - b,
        rtol=1e-10,
        atol=1e-12,
        what="gradient of 1/2 xᵀAx - bᵀx w.r.t. x",
    )


@check("logistic_gradient is the gradient of the mean cross-entropy")
def logistic(lab):
    w, X, y = _logistic_data()
    exact = _logistic_grad(w, X, y)
    got = np.asarray(lab.logistic_gradient(w.copy(), X.copy(), y.copy()), dtype=float)
    expect(got.shape == (3,), f"logistic_gradient: expected shape (3,) like w, got {got.shape}.")
    expect(
        not _matches(got, -exact),
        "logistic_gradient: the sign is flipped. The gradient is Xᵀ(p - y) / n (prediction minus "
        "label); Xᵀ(y - p) / n points uphill of the loss you minimise.",
    )
    expect(
        not _matches(got, len(y) * exact),
        "logistic_gradient: your values are n times too large: the loss is a mean, so divide by n.",
    )
    close(got, exact, rtol=1e-8, atol=1e-12, what="gradient of the logistic loss w.r.t. w")


@check("relative_error is ||a - b|| / (||a|| + ||b||), and 0 for two zero arrays")
def relative(lab):
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    expected = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    got = lab.relative_error(a, b)
    by_max = np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))
    expect(
        not np.isclose(float(np.asarray(got, dtype=float).ravel()[0]), by_max, rtol=1e-10),
        "relative_error: you divided by the larger of ||a|| and ||b||; the lab's relative error "
        "divides by their sum, ||a|| + ||b|| (so that it lies between 0 and 1).",
    )
    close(got, expected, rtol=1e-10, what="relative_error of two 3 x 4 arrays")
    close(lab.relative_error(a, a.copy()), 0.0, atol=1e-15, what="relative_error(a, a)")
    close(lab.relative_error(a, -a), 1.0, rtol=1e-10, what="relative_error(a, -a)")
    zeros = np.zeros(4)
    close(
        lab.relative_error(zeros, zeros),
        0.0,
        atol=0.0,
        what="relative_error of two zero arrays (use max(..., 1e-12))",
    )


@check("gradient_check accepts a correct gradient")
def accepts_correct(lab):
    w, X, y = _logistic_data()
    ok, error = _verdict(
        lab.gradient_check(lambda v: _logistic_loss(v, X, y), lambda v: _logistic_grad(v, X, y), w)
    )
    at_most(error, 1e-7, what="relative error reported for a correct logistic gradient")
    expect(
        ok,
        f"gradient_check said False for a correct gradient (error {float(error):.3g}); ok must be error < tol.",
    )


@check("gradient_check rejects a gradient that is 1% too large")
def rejects_wrong(lab):
    w, X, y = _logistic_data()
    exact = _logistic_grad(w, X, y)
    wrong = 1.01 * exact
    expected = np.linalg.norm(wrong - exact) / (np.linalg.norm(wrong) + np.linalg.norm(exact))
    ok, error = _verdict(
        lab.gradient_check(
            lambda v: _logistic_loss(v, X, y), lambda v: 1.01 * _logistic_grad(v, X, y), w
        )
    )
    close(error, expected, rtol=1e-3, what="relative error reported for a gradient 1% too large")
    expect(
        not ok,
        f"gradient_check said ok for a gradient 1% too large (error {float(error):.3g} is not below tol=1e-7).",
    )


@check("gradient_check passes its eps to numerical_gradient and compares with its tol")
def check_uses_arguments(lab):
    x = np.random.default_rng(9).normal(size=5)
    exact = 3 * x**2
    eps = 0.1  # the numerical gradient is exactly exact + eps², so the error is known in advance
    error = np.linalg.norm(np.full(5, eps**2)) / (
        np.linalg.norm(exact) + np.linalg.norm(exact + eps**2)
    )
    ok, got = _verdict(lab.gradient_check(_cube, lambda v: 3 * v**2, x.copy(), eps, 10 * error))
    expect(
        float(got) > 1e-6,
        f"gradient_check reported error {float(got):.3g} with eps={eps}: it did not pass its eps "
        "to numerical_gradient (with this step the numerical gradient of sum(x³) is 3x² + eps², "
        f"so the error is {error:.4g}).",
    )
    close(got, error, rtol=1e-6, what=f"relative error reported with eps={eps}")
    expect(
        ok,
        f"gradient_check said False for error {error:.3g} with tol={10 * error:.3g}: compare the "
        "error with the tol argument, not with a fixed number.",
    )
    ok, _ = _verdict(lab.gradient_check(_cube, lambda v: 3 * v**2, x.copy(), eps, error / 10))
    expect(
        not ok,
        f"gradient_check said ok for error {error:.3g} with tol={error / 10:.3g}: ok must be "
        "error < tol, using the tol argument.",
    )
