"""Checks for the logistic-regression lab."""

from functools import cache

import numpy as np
from scipy.special import expit

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect, forbid

_LIBRARIES = (
    "sklearn.linear_model.LogisticRegression",
    "sklearn.linear_model.LogisticRegressionCV",
    "sklearn.linear_model.SGDClassifier",
    "scipy.optimize.minimize",
    "scipy.optimize.fmin_l_bfgs_b",
)
_RULE = "Fit by your own batch gradient descent with NumPy, as the README asks."


def _fit(lab, *args, **kwargs):
    with forbid(lab, *_LIBRARIES, rule=_RULE):
        return lab.fit(*args, **kwargs)


def _reference_fit(X, y, lam, lr, n_iters):
    m = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_iters):
        error = expit(X @ w + b) - y
        w, b = w - lr * (X.T @ error / m + lam / m * w), b - lr * error.mean()
    return w, b


def _data(seed, m=60, n=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = (rng.random(m) < 0.4).astype(float)
    w = rng.normal(size=n)
    return X, y, w, 0.7


def _reference_cost(w, b, X, y, lam):
    from sklearn.metrics import log_loss

    p = expit(X @ w + b)
    return log_loss(y, p, labels=[0, 1]) + lam / (2 * len(y)) * np.dot(w, w)


def _numerical_gradient(w, b, X, y, lam, h=1e-6):
    dw = np.zeros_like(w)
    for j in range(len(w)):
        step = np.zeros_like(w)
        step[j] = h
        dw[j] = (
            _reference_cost(w + step, b, X, y, lam) - _reference_cost(w - step, b, X, y, lam)
        ) / (2 * h)
    db = (_reference_cost(w, b + h, X, y, lam) - _reference_cost(w, b - h, X, y, lam)) / (2 * h)
    return dw, db


@cache
def _classification_data():
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=300,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.7],
        flip_y=0.05,
        random_state=0,
    )
    return (X - X.mean(axis=0)) / X.std(axis=0), y.astype(float)


@cache
def _sklearn_model(lam):
    from sklearn.linear_model import LogisticRegression

    X, y = _classification_data()
    # sklearn minimises C * sum(loss) + ||w||^2 / 2: the same minimum as our cost when C = 1 / lam.
    return LogisticRegression(C=1.0 / lam, tol=1e-10, max_iter=1000).fit(X, y)


@check("sigmoid matches scipy.special.expit")
def sigmoid_values(lab):
    z = np.linspace(-30, 30, 61)
    got = lab.sigmoid(z)
    expect(
        np.shape(got) == z.shape,
        f"sigmoid(z) must return an array shaped like z {z.shape}, got shape {np.shape(got)}.",
    )
    close(got, expit(z), rtol=1e-9, atol=1e-15, what="sigmoid(z) for z in -30..30")


@check("sigmoid is numerically stable for large |z|")
def sigmoid_stable(lab):
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            got = lab.sigmoid(z)
    except FloatingPointError as exc:
        raise CheckFailed(
            f"sigmoid(z) overflowed for z = {z.tolist()} ({exc}). np.exp(-z) overflows for z = -1000, "
            "and np.where evaluates both branches: only ever call np.exp on -|z|."
        ) from None
    close(got, expit(z), rtol=1e-9, atol=1e-300, what="sigmoid(z) at z = [-1000, -50, 0, 50, 1000]")


@check("cost = mean cross-entropy + lam/(2m)*||w||^2 (compared with sklearn.metrics.log_loss)")
def cost_values(lab):
    X, y, w, b = _data(1)
    for lam in (0.0, 2.0):
        got = lab.cost(w, b, X, y, lam)
        close(
            got,
            _reference_cost(w, b, X, y, lam),
            rtol=1e-6,
            what=f"cost J(w, b) with the intercept b = {b} and lam = {lam}",
        )


@check("gradient matches a central-difference numerical gradient")
def gradient_values(lab):
    X, y, w, b = _data(2)
    for lam in (0.0, 2.0):
        result = lab.gradient(w, b, X, y, lam)
        expect(
            isinstance(result, tuple) and len(result) == 2,
            "gradient(w, b, X, y, lam) must return a tuple (dw, db).",
        )
        dw, db = result
        expect(
            np.shape(dw) == w.shape, f"dw must have the shape of w {w.shape}, got {np.shape(dw)}."
        )
        num_dw, num_db = _numerical_gradient(w, b, X, y, lam)
        close(dw, num_dw, rtol=1e-5, atol=1e-7, what=f"gradient of the cost w.r.t. w (lam = {lam})")
        close(
            db,
            num_db,
            rtol=1e-5,
            atol=1e-7,
            what=f"gradient of the cost w.r.t. the intercept b (lam = {lam})",
        )


@check("fit() reaches the same model as sklearn LogisticRegression(C=1/lam)")
def fit_matches_sklearn(lab):
    X, y = _classification_data()
    lam = 1.0
    w, b = _fit(lab, X, y, lam=lam, lr=1.0, n_iters=1000)
    expect(
        np.shape(w) == (X.shape[1],),
        f"fit must return w of shape ({X.shape[1]},), got {np.shape(w)}.",
    )
    ref = _sklearn_model(lam)
    close(w, ref.coef_[0], atol=1e-3, what="weights w after gradient descent vs sklearn coef_")
    close(
        b,
        ref.intercept_[0],
        atol=1e-3,
        what="intercept b after gradient descent vs sklearn intercept_",
    )
    close(
        lab.predict_proba(w, b, X),
        ref.predict_proba(X)[:, 1],
        atol=1e-3,
        what="predict_proba on the training data vs sklearn predict_proba[:, 1]",
    )


@check("fit takes exactly n_iters steps of size lr, with the penalty lam, from zeros")
def fit_steps(lab):
    X, y = _classification_data()
    for lam, lr, n_iters in [(0.0, 0.3, 5), (60.0, 0.3, 5)]:
        ref_w, ref_b = _reference_fit(X, y, lam, lr, n_iters)
        w, b = _fit(lab, X.copy(), y.copy(), lam=lam, lr=lr, n_iters=n_iters)
        if lam and np.allclose(w, _reference_fit(X, y, 0.0, lr, n_iters)[0], rtol=1e-9):
            raise CheckFailed(
                f"fit(lam={lam}) gives the unregularized weights: pass lam on to gradient() so that "
                "every step includes the penalty's gradient lam / m * w."
            )
        if not np.allclose(w, ref_w, rtol=1e-9, atol=1e-12):
            for other in (0.1, 1.0, 0.01):
                expect(
                    not np.allclose(w, _reference_fit(X, y, lam, other, n_iters)[0], rtol=1e-9),
                    f"fit(lr={lr}) steps with a learning rate of {other}: use the lr argument.",
                )
        what = f"after {n_iters} steps with lam={lam}, lr={lr} (w = 0, b = 0, then w -= lr * dw, b -= lr * db)"
        close(w, ref_w, rtol=1e-9, atol=1e-12, what=f"weights {what}")
        close(b, ref_b, rtol=1e-9, atol=1e-12, what=f"intercept {what}")


@check("predict applies the threshold to the probability")
def predict_threshold(lab):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 3))
    w, b = np.array([1.0, -0.5, 0.25]), 0.3
    proba = expit(X @ w + b)
    close(lab.predict_proba(w, b, X), proba, rtol=1e-9, what="predict_proba(w, b, X)")
    for threshold in (0.5, 0.3):
        got = np.asarray(lab.predict(w, b, X, threshold=threshold))
        expected = (proba >= threshold).astype(int)
        expect(
            got.shape == expected.shape,
            f"predict must return shape {expected.shape}, got {got.shape}.",
        )
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = int(wrong[0])
            raise CheckFailed(
                f"predict(w, b, X, threshold={threshold}) gives the wrong label for {wrong.size} of "
                f"{len(X)} points (row {i}: predict_proba = {proba[i]:.3f}, expected {expected[i]}, got {got[i]}). "
                "Label 1 means predict_proba >= threshold: compare the probability, not the score X @ w + b."
            )
    # by hand: w = 0, b = 0 gives probability exactly 0.5 for every row, ON the threshold
    zero = np.asarray(lab.predict(np.zeros(3), 0.0, X[:4], threshold=0.5))
    expect(
        np.array_equal(zero, np.ones(4, dtype=int)),
        f"with w = 0 and b = 0 every probability is exactly 0.5, and predict(threshold=0.5) gave "
        f"{zero.tolist()}: a probability exactly equal to the threshold is labelled 1 (>=, not >).",
    )


@check("test accuracy on breast cancer (standardized) is at least 0.94 and close to sklearn's")
def breast_cancer_accuracy(lab):
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    X_tr, X_te = (X_tr - mean) / std, (X_te - mean) / std
    w, b = _fit(lab, X_tr, y_tr.astype(float), lam=1.0, lr=0.5, n_iters=500)
    accuracy = float(np.mean(np.asarray(lab.predict(w, b, X_te)) == y_te))
    sk_accuracy = LogisticRegression(C=1.0, max_iter=1000).fit(X_tr, y_tr).score(X_te, y_te)
    at_least(accuracy, 0.94, what="test accuracy of your model")
    # one-sided: doing better than scikit-learn is fine
    at_least(
        accuracy,
        sk_accuracy - 0.03,
        what=f"test accuracy of your model (sklearn reaches {sk_accuracy:.3f}; yours may be at most 0.03 below)",
    )
