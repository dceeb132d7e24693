"""Checks for the regularization lab: references are scikit-learn's Ridge and Lasso on seeded data."""

from functools import cache

import numpy as np
from sklearn.datasets import make_regression
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import mean_squared_error

from mlpath.labs.checking import check, close, expect, forbid

LASSO_OBJECTIVE = "sklearn's objective: (1/(2n))·||y - Xw - b||² + alpha·||w||₁"
ALPHAS = np.logspace(-2, 3, 11)


@cache
def _ridge_data():
    X, y = make_regression(n_samples=50, n_features=5, noise=10.0, bias=30.0, random_state=1)
    return X + np.array([5.0, -3.0, 10.0, 0.0, 2.0]), y  # columns not centred, so centring matters


@cache
def _lasso_data():
    X, y = make_regression(
        n_samples=100, n_features=8, n_informative=3, noise=5.0, bias=10.0, random_state=2
    )
    return X + np.arange(8) * 3.0 - 7.0, y  # columns not centred, so centring matters


@cache
def _validation_data():
    """40 training and 40 validation rows, 30 features of which 5 matter: ridge needs a penalty."""
    X, y = make_regression(n_samples=80, n_features=30, n_informative=5, noise=20.0, random_state=6)
    return X[:40], y[:40], X[40:], y[40:]


_ESTIMATORS = tuple(
    f"sklearn.linear_model.{name}"
    for name in (
        "Ridge",
        "RidgeCV",
        "Lasso",
        "LassoCV",
        "ElasticNet",
        "LinearRegression",
        "lasso_path",
    )
)
_RULE = "Implement ridge and the lasso yourself, as the README asks, not with scikit-learn's estimators."


def _call(lab, name, *args):
    with forbid(lab, *_ESTIMATORS, rule=_RULE):
        return getattr(lab, name)(*args)


def _copies(*arrays):
    return tuple(a.copy() for a in arrays)


def _ridge_with_penalized_intercept(X, y, alpha):
    """The usual mistake: a column of ones appended to X and penalized like the other weights."""
    A = np.column_stack([X, np.ones(len(X))])
    coef = np.linalg.solve(A.T @ A + alpha * np.eye(A.shape[1]), A.T @ y)
    return coef[:-1], coef[-1]


def _sklearn_curve(X_train, y_train, X_val, y_val):
    return np.array(
        [
            mean_squared_error(y_val, Ridge(alpha=a).fit(X_train, y_train).predict(X_val))
            for a in ALPHAS
        ]
    )


@check("Ridge in closed form matches sklearn Ridge (intercept not penalized)")
def ridge(lab):
    X, y = _ridge_data()
    for alpha in (0.1, 10.0, 100.0):
        ref = Ridge(alpha=alpha).fit(X, y)
        scaled = Ridge(alpha=alpha * len(y)).fit(X, y)
        w, b = _call(lab, "ridge_closed_form", *_copies(X, y), alpha)
        expect(
            np.shape(w) == (X.shape[1],), f"w must have shape ({X.shape[1]},), got {np.shape(w)}."
        )
        wrong_w, wrong_b = _ridge_with_penalized_intercept(X, y, alpha)
        expect(
            not (np.allclose(w, wrong_w) and np.isclose(b, wrong_b)),
            f"for alpha={alpha} your ridge penalizes the intercept (a column of ones inside the penalty). "
            "sklearn's Ridge does not: centre X and y, solve for w, then b = mean(y) - mean(X) @ w.",
        )
        expect(
            not np.allclose(w, scaled.coef_, rtol=1e-8),
            f"for alpha={alpha} your ridge penalty is n times too strong: it is the lasso's "
            "convention (a mean of squares). Ridge's objective is the plain sum of squares "
            "||y - Xw - b||² + alpha·||w||², so the system is (XcᵀXc + alpha·I) w = Xcᵀyc.",
        )
        close(w, ref.coef_, rtol=1e-8, atol=1e-10, what=f"ridge coefficients for alpha={alpha}")
        close(
            b,
            ref.intercept_,
            rtol=1e-8,
            atol=1e-10,
            what=f"ridge intercept for alpha={alpha} (the intercept must not be penalized: centre X and y, "
            "solve for w, then b = mean(y) - mean(X) @ w)",
        )


@check("Soft-thresholding")
def soft_threshold(lab):
    z = np.linspace(-3.0, 3.0, 25)
    t = 1.25
    got = np.asarray(lab.soft_threshold(z.copy(), t), dtype=float)
    close(
        got,
        np.sign(z) * np.maximum(np.abs(z) - t, 0.0),
        rtol=1e-12,
        what=f"soft_threshold(z, t={t}) on z = linspace(-3, 3, 25): 0 inside [-t, t], |z| reduced by t outside",
    )


@check("Lasso by coordinate descent matches sklearn Lasso")
def lasso(lab):
    X, y = _lasso_data()
    for alpha in (0.5, 5.0):
        ref = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
        w, b = _call(lab, "lasso_coordinate_descent", *_copies(X, y), alpha)
        w = np.asarray(w, dtype=float)
        expect(w.shape == (X.shape[1],), f"w must have shape ({X.shape[1]},), got {w.shape}.")
        close(
            w,
            ref.coef_,
            rtol=1e-5,
            atol=1e-6,
            what=f"lasso coefficients for alpha={alpha} ({LASSO_OBJECTIVE})",
        )
        close(
            b,
            ref.intercept_,
            rtol=1e-5,
            atol=1e-6,
            what=f"lasso intercept for alpha={alpha} (not penalized)",
        )
        zeros, ref_zeros = np.flatnonzero(w == 0), np.flatnonzero(ref.coef_ == 0)
        expect(
            np.array_equal(zeros, ref_zeros),
            f"for alpha={alpha} the lasso sets coefficients {list(ref_zeros)} exactly to 0; yours are 0 at "
            f"{list(zeros)}. Soft-thresholding returns an exact 0 when |rho_j| <= alpha.",
        )


@check("Validation curve of ridge matches sklearn")
def curve(lab):
    data = _validation_data()
    ref = _sklearn_curve(*data)
    got = np.asarray(_call(lab, "validation_curve", *_copies(*data), ALPHAS.copy()), dtype=float)
    expect(
        got.shape == ALPHAS.shape,
        f"validation_curve must return one MSE per alpha, shape {ALPHAS.shape}; got {got.shape}.",
    )
    X_train, y_train = data[0], data[1]
    on_train = _sklearn_curve(X_train, y_train, X_train, y_train)
    hint = (
        " (these are TRAINING errors: predict X_val and compare with y_val)"
        if np.allclose(got, on_train)
        else ""
    )
    close(
        got,
        ref,
        rtol=1e-8,
        what=f"validation MSE for alphas = logspace(-2, 3, 11){hint} (this uses your ridge_closed_form: "
        "if the ridge check fails, fix that first)",
    )


@check("The chosen alpha minimizes the validation MSE")
def choice(lab):
    ref = _sklearn_curve(*_validation_data())
    expected = float(ALPHAS[np.argmin(ref)])
    got = lab.best_alpha(ALPHAS.copy(), ref.copy())
    close(
        got,
        expected,
        rtol=1e-12,
        what="best alpha (the alpha whose validation MSE is SMALLEST; return the alpha, not its index)",
    )
    # by hand: unsorted alphas given as lists, the smallest error is at 0.1
    got = lab.best_alpha([10.0, 0.1, 1.0, 100.0], [3.0, 2.0, 5.0, 4.0])
    close(
        got,
        0.1,
        rtol=1e-12,
        what="best_alpha([10, 0.1, 1, 100], errors [3, 2, 5, 4]) (the alpha whose validation MSE is "
        "SMALLEST, whatever the order of the alphas)",
    )
