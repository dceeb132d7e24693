"""Anomaly detection with a per-feature Gaussian density model, in NumPy.

Implement the functions below, then run `mlpath check anomaly-detection`.
Conventions: X is a float array of shape (m, d); labels y are int arrays of shape (m,) with
1 = anomaly and 0 = normal; a point is flagged as an anomaly when its density p < epsilon.
"""

import numpy as np  # noqa: F401 (you will need it)


def estimate_gaussian(X):
    """Per-feature mean and variance of X: returns (mu, var), each a float array of shape (d,).

    Use the maximum-likelihood variance (divide by m, i.e. ddof=0). Checked with rtol 1e-10.
    """
    raise NotImplementedError


def gaussian_density(X, mu, var):
    """Density of each row of X when feature j ~ N(mu[j], var[j]) independently.

    p(x) = prod_j 1 / sqrt(2 pi var_j) * exp(-(x_j - mu_j)^2 / (2 var_j)). Returns shape (m,).
    Checked against scipy.stats.multivariate_normal(mu, np.diag(var)).pdf (rtol 1e-8).
    """
    # TODO: summing log-densities over the features and taking exp once is the stable way.
    raise NotImplementedError


def f1(y_true, y_pred):
    """F1 score of the boolean predictions y_pred against the 0/1 labels y_true (a float).

    F1 = 2 * precision * recall / (precision + recall) = 2 TP / (2 TP + FP + FN); return 0.0
    when there is no true positive. Checked against sklearn.metrics.f1_score.
    """
    raise NotImplementedError


def select_threshold(p_val, y_val):
    """Choose epsilon for the rule "anomaly when p < epsilon" on a labelled validation set.

    Try every distinct value of p_val as epsilon and keep the one with the highest F1
    (the first one on a tie). Returns (epsilon, f1) as floats.
    """
    raise NotImplementedError


def detect(X_train, X_val, y_val, X_test):
    """The whole method: fit the Gaussian on X_train, choose epsilon on (X_val, y_val),
    and return a boolean array of shape (m_test,) flagging the anomalies of X_test.
    """
    raise NotImplementedError
