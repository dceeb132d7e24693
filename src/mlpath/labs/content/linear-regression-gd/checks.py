"""Checks for the linear-regression-gd lab.

References: sklearn's mean_squared_error, StandardScaler and LinearRegression, and a
central-difference numerical gradient computed here.
"""

from functools import cache

import numpy as np
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.preprocessing import StandardScaler

from mlpath.labs.checking import check, close, expect, forbid

# Columns in very different units (think m², rooms, metres, dollars): the reason to standardize.
SCALES = np.array([0.5, 3.0, 40.0, 2000.0])
OFFSETS = np.array([2.0, 10.0, 150.0, 30000.0])


@cache
def _raw_data():
    X, y = make_regression(n_samples=200, n_features=4, noise=10.0, bias=50.0, random_state=0)
    return X * SCALES + OFFSETS, y


def _data():
    X, y = _raw_data()
    return X.copy(), y.copy()


def _small_problem(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 3))
    return X, rng.normal(size=30), rng.normal(size=3), float(rng.normal())


def _numerical_gradient(X, y, w, b, h=1e-5):
    """Central differences of the MSE: (J(θ + h) - J(θ - h)) / 2h, exact for a quadratic up to rounding."""

    def cost(w, b):
        return np.mean((X @ w + b - y) ** 2)

    grad_w = np.array([(cost(w + h * e, b) - cost(w - h * e, b)) / (2 * h) for e in np.eye(len(w))])
    return grad_w, (cost(w, b + h) - cost(w, b - h)) / (2 * h)


_SOLVERS = (
    "numpy.linalg.lstsq",
    "numpy.linalg.solve",
    "numpy.linalg.pinv",
    "numpy.linalg.inv",
    "scipy.linalg.lstsq",
    "scipy.linalg.solve",
    "sklearn.linear_model.LinearRegression",
    "sklearn.linear_model.SGDRegressor",
)
_RULE = "Fit the weights by gradient descent, as the README asks, not with a least-squares solver."


def _reference_descent(X, y, lr, n_iters):
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(n_iters):
        residuals = X @ w + b - y
        history.append(np.mean(residuals**2))
        w, b = w - lr * 2 / len(y) * X.T @ residuals, b - lr * 2 / len(y) * residuals.sum()
    return w, b, np.array(history)


def _finite(values, message):
    expect(np.all(np.isfinite(np.asarray(values, dtype=float))), message)


@check("Mean squared error")
def cost(lab):
    X, y, w, b = _small_problem(0)
    got = lab.mse(X, y, w.copy(), b)
    expect(
        np.ndim(got) == 0,
        f"mse must return a single number, got an array of shape {np.shape(got)}.",
    )
    close(
        got,
        mean_squared_error(y, X @ w + b),
        rtol=1e-10,
        what="MSE (1/n) * sum of squared residuals",
    )


@check("Gradient of the MSE matches a numerical gradient")
def gradient(lab):
    for seed in (1, 2):
        X, y, w, b = _small_problem(seed)
        grad_w, grad_b = lab.mse_gradient(X, y, w.copy(), b)
        num_w, num_b = _numerical_gradient(X, y, w, b)
        expect(
            np.shape(grad_w) == w.shape,
            f"grad_w must have the shape of w {w.shape}, got {np.shape(grad_w)}.",
        )
        close(
            grad_w,
            num_w,
            rtol=1e-5,
            atol=1e-8,
            what="gradient of the MSE w.r.t. w (check the sign of the residual and the factor 2/n)",
        )
        close(
            grad_b, num_b, rtol=1e-5, atol=1e-8, what="gradient of the MSE w.r.t. the intercept b"
        )


@check("Feature standardization matches StandardScaler")
def standardization(lab):
    X, _ = _data()
    scaler = StandardScaler().fit(X)
    Z, mean, std = lab.standardize(X.copy())
    close(mean, scaler.mean_, rtol=1e-10, what="column means")
    close(std, scaler.scale_, rtol=1e-10, what="column standard deviations (population, ddof=0)")
    close(Z, scaler.transform(X), rtol=1e-10, atol=1e-12, what="standardized features")


@check("Gradient descent on standardized features converges to the least-squares fit")
def descent(lab):
    X, y = _data()
    Z = StandardScaler().fit_transform(X)
    ref = LinearRegression().fit(Z, y)
    with np.errstate(all="ignore"):
        with forbid(lab, *_SOLVERS, rule=_RULE):
            w, b, history = lab.gradient_descent(Z, y, 0.1, 300)
    history = np.asarray(history, dtype=float)
    expect(
        history.shape == (300,),
        f"history must hold one MSE per step (300), got shape {history.shape}.",
    )
    _finite(
        history,
        "the MSE became inf/NaN: gradient descent diverged (check the sign of the update: w - lr * grad).",
    )
    rises = np.flatnonzero(np.diff(history) > 1e-9 * history[:-1])
    expect(
        rises.size == 0,
        f"the MSE went UP at step {rises[:1] + 1}: each step must move against the gradient.",
    )
    close(
        w,
        ref.coef_,
        rtol=1e-6,
        atol=1e-6,
        what="weights after 300 steps of gradient descent (standardized data)",
    )
    close(
        b,
        ref.intercept_,
        rtol=1e-6,
        atol=1e-6,
        what="intercept after 300 steps (update b with its own gradient; it starts at 0)",
    )


@check("Gradient descent takes exactly n_iters steps of size lr from w = 0, b = 0")
def descent_steps(lab):
    X, y = _data()
    Z = StandardScaler().fit_transform(X)
    lr, n_iters = 0.05, 7
    ref_w, ref_b, ref_history = _reference_descent(Z, y, lr, n_iters)
    with np.errstate(all="ignore"), forbid(lab, *_SOLVERS, rule=_RULE):
        w, b, history = lab.gradient_descent(Z.copy(), y.copy(), lr, n_iters)
    history = np.asarray(history, dtype=float)
    expect(
        history.shape == (n_iters,),
        f"with n_iters={n_iters}, history must hold {n_iters} values (one per step), got shape "
        f"{history.shape}.",
    )
    start = np.mean(y**2)
    if not np.isclose(history[0], start, rtol=1e-9):
        after = _reference_descent(Z, y, lr, n_iters + 1)[2][1:]
        expect(
            not np.allclose(history, after, rtol=1e-9),
            "history holds the MSE AFTER each step; record it BEFORE each step, so that history[0] "
            f"is the cost at w = 0, b = 0 (mean(y²) = {start:.6g}).",
        )
        expect(
            False,
            f"history[0] is {history[0]:.6g}; it must be the MSE before the first step, at w = 0, "
            f"b = 0: mean(y²) = {start:.6g}. Start from zeros and record the cost before each step.",
        )
    for other in (0.1, 0.01, 0.001):
        expect(
            not np.allclose(history, _reference_descent(Z, y, other, n_iters)[2], rtol=1e-9),
            f"your steps use a learning rate of {other}, not the lr={lr} you were given: "
            "use the lr argument in w - lr * grad_w.",
        )
    close(history, ref_history, rtol=1e-9, what=f"MSE before each of {n_iters} steps with lr={lr}")
    close(w, ref_w, rtol=1e-9, atol=1e-12, what=f"weights after {n_iters} steps with lr={lr}")
    close(b, ref_b, rtol=1e-9, atol=1e-12, what=f"intercept after {n_iters} steps with lr={lr}")


@check("Fit on raw features matches LinearRegression in original units")
def fit(lab):
    X, y = _data()
    ref = LinearRegression().fit(X, y)
    with np.errstate(all="ignore"):
        with forbid(lab, *_SOLVERS, rule=_RULE):
            w, b = lab.fit_linear_regression(X.copy(), y.copy(), lr=0.1, n_iters=1000)
    _finite(
        np.append(w, b),
        "fit_linear_regression returned inf/NaN: gradient descent diverged. With features in "
        "such different units one learning rate cannot fit all of them: standardize the "
        "features, run gradient descent on them, then convert w and b back.",
    )
    unscaled = " (converted back to original units: w = w_z / std)"
    close(w, ref.coef_, rtol=1e-5, atol=1e-9, what=f"coefficients{unscaled}")
    close(
        b,
        ref.intercept_,
        rtol=1e-5,
        atol=1e-6,
        what="intercept in original units (b = b_z - sum(mean * w_z / std))",
    )
