"""Logistic regression from scratch with NumPy.

Implement the functions below, then run `mlpath check logistic-regression`.
Conventions: X is a float array of shape (m, n) (m examples, n features), y is a
float array of shape (m,) holding 0.0 or 1.0, w has shape (n,) and b is a float.
"""

import numpy as np  # noqa: F401 (you will need it)


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise and numerically stable.

    z: float or array of any shape. Returns an array of the same shape.
    Checked against scipy.special.expit (rtol 1e-9), including z = -1000 and 1000
    with NumPy set to raise on overflow: no overflow warning is allowed.
    """
    # TODO: np.exp(-z) overflows for very negative z. Use e = np.exp(-np.abs(z)) and pick
    # the right formula for z >= 0 and z < 0 (both are exact).
    raise NotImplementedError


def cost(w, b, X, y, lam=0.0):
    """Regularized cross-entropy cost J(w, b), a Python float.

    J = mean over examples of -[y log p + (1 - y) log(1 - p)] + lam / (2 m) * sum(w ** 2),
    where p = sigmoid(X @ w + b). The intercept b is not regularized.
    Checked against sklearn.metrics.log_loss plus the L2 term (rtol 1e-6).
    """
    # TODO: scores z, probabilities p, the mean cross-entropy, then add the L2 term.
    raise NotImplementedError


def gradient(w, b, X, y, lam=0.0):
    """Gradient of cost() with respect to w and b.

    Returns a tuple (dw, db): dw has shape (n,), db is a float.
    Checked against a central-difference numerical gradient (rtol 1e-5, atol 1e-7).
    """
    # TODO: the error p - y drives both parts of the gradient; remember lam / m * w.
    raise NotImplementedError


def fit(X, y, lam=0.0, lr=0.1, n_iters=1000):
    """Batch gradient descent starting from w = zeros(n), b = 0.0.

    Runs exactly n_iters updates with learning rate lr and returns (w, b).
    Checked against sklearn LogisticRegression(C=1/lam): weights, intercept and
    probabilities within atol 1e-3.
    """
    # TODO: repeat n_iters times: compute the gradient, step against it.
    raise NotImplementedError


def predict_proba(w, b, X):
    """Probability of class 1 for each row of X: float array of shape (m,)."""
    raise NotImplementedError


def predict(w, b, X, threshold=0.5):
    """Predicted labels: 1 where predict_proba(w, b, X) >= threshold, else 0.

    Returns an int array of shape (m,).
    """
    raise NotImplementedError
