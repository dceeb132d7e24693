"""Multinomial naive Bayes from scratch with NumPy.

Implement the functions below, then run `mlpath check naive-bayes`.
Conventions: X is an array of word counts (non-negative numbers) of shape (m, V), one row per
document and one column per word of the vocabulary; y holds the m class labels, which can be any
sortable values (ints such as 3, 7, 9 or strings such as "ham", "spam"), not only 0..K-1.

The model is a plain tuple (classes, class_log_prior, feature_log_prob):
  classes           the distinct labels, sorted (np.unique(y)), shape (K,)
  class_log_prior   log P(c): the log of the share of DOCUMENTS of each class, shape (K,)
  feature_log_prob  log P(word j | c), shape (K, V), each row a log-distribution over the words

Write it yourself: sklearn.naive_bayes is not allowed in this file (the check reports it).
"""

import numpy as np  # noqa: F401 (you will need it)


def fit_multinomial_nb(X, y, alpha=1.0):
    """Fit multinomial naive Bayes with additive (Laplace) smoothing ``alpha``.

    P(word j | c) = (N_cj + alpha) / (N_c + alpha * V), where N_cj is the total count of word j
    in the documents of class c and N_c = sum_j N_cj. Returns (classes, class_log_prior,
    feature_log_prob) as described above. Checked against the formula (rtol 1e-9) for
    several alpha values, on labels that are not 0..K-1.
    """
    # TODO: classes = np.unique(y); sum the rows of each class; smooth; take logs.
    raise NotImplementedError


def joint_log_likelihood(model, X):
    """log P(c) + sum_j x_j * log P(word j | c) for every row of X and every class.

    Returns shape (m, K), columns in the order of ``classes``. Checked with rtol 1e-9.
    """
    # TODO: one matrix product does every row and class at once.
    raise NotImplementedError


def predict_proba(model, X):
    """P(c | x) for every row and class: shape (m, K), each row summing to 1.

    Must stay finite for long documents whose joint log-likelihoods are around -10 000
    (np.exp of those is 0.0). Checked against scikit-learn's MultinomialNB (atol 1e-9).
    """
    # TODO: normalise in log space: subtract each row's maximum before np.exp.
    raise NotImplementedError


def predict(model, X):
    """The most probable class of every row, shape (m,), as labels from ``classes``."""
    # TODO: argmax of the joint log-likelihood, then look the index up in classes.
    raise NotImplementedError
