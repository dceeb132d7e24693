"""Checks for the naive-bayes lab."""

from functools import cache

import numpy as np
from sklearn.naive_bayes import MultinomialNB

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect, forbid

RULE = "Write multinomial naive Bayes yourself with NumPy; sklearn.naive_bayes is the reference."
FORBIDDEN = ("sklearn.naive_bayes.MultinomialNB", "sklearn.naive_bayes.ComplementNB")

# A hand-checkable corpus: 3 words, 2 "spam" and 3 "ham" documents. The spam rows hold 6 words,
# the ham rows 7, so a prior taken from word counts (6/13) differs from the document share (2/5).
HAND_X = np.array([[2, 1, 0], [0, 1, 2], [3, 0, 0], [1, 1, 1], [0, 0, 1]])
HAND_Y = np.array(["spam", "ham", "spam", "ham", "ham"])


def _fit(lab, X, y, alpha):
    with forbid(lab, *FORBIDDEN, rule=RULE):
        model = lab.fit_multinomial_nb(X, y, alpha=alpha)
    expect(
        isinstance(model, tuple) and len(model) == 3,
        "fit_multinomial_nb must return a tuple (classes, class_log_prior, feature_log_prob).",
    )
    classes, prior, flp = (np.asarray(part) for part in model)
    return classes, np.asarray(prior, dtype=float), np.asarray(flp, dtype=float)


def _reference(X, y, alpha):
    nb = MultinomialNB(alpha=alpha, force_alpha=True).fit(X, y)
    return nb, (nb.classes_, nb.class_log_prior_, nb.feature_log_prob_)


def _corpus(seed, m=60, V=8, labels=(9, 3, 7)):
    rng = np.random.default_rng(seed)
    y = rng.choice(np.array(labels), size=m, p=[0.5, 0.3, 0.2])
    rates = rng.gamma(0.6, size=(len(labels), V)) + 0.01  # uneven word rates per class
    index = {c: i for i, c in enumerate(labels)}
    X = np.array([rng.poisson(rates[index[c]] * 2) for c in y])
    X[:, -1] = np.where(y == labels[0], X[:, -1], 0)  # a word that only one class ever uses
    return X, y


def _compare_fit(got, expected, alpha, where):
    classes, prior, flp = got
    ref_classes, ref_prior, ref_flp = expected
    expect(
        classes.shape == ref_classes.shape and np.array_equal(classes, ref_classes),
        f"{where}: classes must be the sorted distinct labels {list(ref_classes)}, got "
        f"{list(classes)}. Use np.unique(y); the labels need not be 0..K-1.",
    )
    expect(
        flp.shape == ref_flp.shape,
        f"{where}: feature_log_prob must have shape (K, V) = {ref_flp.shape}, got {flp.shape}.",
    )
    expect(
        np.all(np.isfinite(flp)),
        f"{where}: feature_log_prob holds -inf or NaN: a word never seen in a class gets "
        f"probability 0 without smoothing, and one such word then rules the class out. "
        f"Add alpha={alpha} to every count.",
    )
    row_sums = np.exp(flp).sum(axis=1)
    expect(
        np.allclose(row_sums, 1.0, atol=1e-9),
        f"{where}: each row of exp(feature_log_prob) must sum to 1 (a distribution over the "
        f"words); yours sum to {np.round(row_sums, 4).tolist()}. The smoothed denominator is "
        f"N_c + alpha * V: alpha is added once per word of the vocabulary.",
    )
    close(
        flp,
        ref_flp,
        rtol=1e-9,
        atol=1e-12,
        what=f"{where}: feature_log_prob = log((N_cj + alpha) / (N_c + alpha V)) with alpha={alpha}",
    )
    expect(
        prior.shape == ref_prior.shape,
        f"{where}: class_log_prior must have shape (K,) = {ref_prior.shape}, got {prior.shape}.",
    )
    if np.allclose(prior, -np.log(len(ref_prior))) and not np.allclose(ref_prior, prior):
        raise CheckFailed(
            f"{where}: class_log_prior is uniform (log 1/K); the prior is the log of the share "
            f"of documents of each class, which here is {np.round(np.exp(ref_prior), 4).tolist()}."
        )
    close(
        prior,
        ref_prior,
        rtol=1e-9,
        atol=1e-12,
        what=f"{where}: class_log_prior = log(share of DOCUMENTS in each class)",
    )


@check("fit_multinomial_nb: the hand-worked spam/ham example")
def fit_by_hand(lab):
    got = _fit(lab, HAND_X, HAND_Y, 1.0)
    # ham counts (1, 2, 4) + 1 over 7 + 3; spam counts (5, 1, 0) + 1 over 6 + 3.
    expected = (
        np.array(["ham", "spam"]),
        np.log([3 / 5, 2 / 5]),
        np.log([[2 / 10, 3 / 10, 5 / 10], [6 / 9, 2 / 9, 1 / 9]]),
    )
    prior = got[1]
    if prior.shape == (2,) and np.allclose(prior, np.log([7 / 13, 6 / 13])):
        raise CheckFailed(
            "fit_multinomial_nb: class_log_prior is the share of WORDS in each class (7/13, "
            "6/13); the prior P(c) is the share of DOCUMENTS: 3/5 ham, 2/5 spam."
        )
    _compare_fit(got, expected, 1.0, "fit_multinomial_nb on the hand example")


@check("fit_multinomial_nb: matches MultinomialNB for several alpha, labels 3/7/9")
def fit_alpha_varied(lab):
    for seed, alpha in ((1, 0.3), (2, 2.5), (3, 1.0)):
        X, y = _corpus(seed)
        _, expected = _reference(X, y, alpha)
        _compare_fit(_fit(lab, X, y, alpha), expected, alpha, f"fit(alpha={alpha})")


@check("joint_log_likelihood: log P(c) + sum_j x_j log P(word j | c)")
def joint_scores(lab):
    X, y = _corpus(4)
    _, model = _reference(X, y, 0.7)
    Xq = np.random.default_rng(5).poisson(1.5, size=(12, X.shape[1]))
    got = np.asarray(lab.joint_log_likelihood(model, Xq), dtype=float)
    expected = Xq @ model[2].T + model[1]
    expect(
        got.shape == expected.shape,
        f"joint_log_likelihood must have shape (m, K) = {expected.shape}, got {got.shape}.",
    )
    if np.allclose(got, Xq @ model[2].T, rtol=1e-9):
        raise CheckFailed(
            "joint_log_likelihood leaves out the class prior: add class_log_prior to every row."
        )
    close(
        got,
        expected,
        rtol=1e-9,
        atol=1e-9,
        what="joint log-likelihood log P(c) + x · log P(words | c)",
    )


@check("predict_proba: rows sum to 1 and stay finite for very long documents")
def proba_long_documents(lab):
    X, y = _corpus(6)
    nb, model = _reference(X, y, 1.0)
    rng = np.random.default_rng(7)
    short = rng.poisson(1.0, size=(5, X.shape[1]))
    long = rng.poisson(400.0, size=(5, X.shape[1]))  # joint log-likelihoods near -10 000
    for name, Xq in (("short documents", short), ("long documents", long)):
        got = np.asarray(lab.predict_proba(model, Xq), dtype=float)
        expected = nb.predict_proba(Xq)
        expect(
            got.shape == expected.shape,
            f"predict_proba must have shape (m, K) = {expected.shape}, got {got.shape}.",
        )
        expect(
            np.all(np.isfinite(got)),
            f"predict_proba on {name} gives NaN or inf: np.exp of a log-likelihood near -10 000 "
            "is 0.0 and 0/0 is NaN. Subtract each row's maximum score before np.exp (or use "
            "scipy.special.logsumexp).",
        )
        close(got, expected, rtol=1e-6, atol=1e-9, what=f"P(c | x) on {name}")


@check("predict: returns the labels themselves, not column indices")
def predict_labels(lab):
    X, y = _corpus(8, labels=(9, 3, 7))
    nb, model = _reference(X, y, 1.0)
    Xq = np.random.default_rng(9).poisson(2.0, size=(40, X.shape[1]))
    got = np.asarray(lab.predict(model, Xq))
    expected = nb.predict(Xq)
    expect(
        got.shape == expected.shape, f"predict must return shape {expected.shape}, got {got.shape}."
    )
    if set(np.unique(got)) <= {0, 1, 2} and not set(np.unique(got)) <= set(model[0]):
        raise CheckFailed(
            f"predict returns column indices {sorted(set(np.unique(got).tolist()))}; the classes "
            f"are {model[0].tolist()}: return classes[argmax], not the argmax itself."
        )
    wrong = np.flatnonzero(got != expected)
    expect(
        wrong.size == 0,
        f"predict disagrees with the most probable class on {wrong.size} of {len(got)} rows "
        f"(row {wrong[0] if wrong.size else 0}).",
    )


@cache
def _digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@check("end to end on the digits: same predictions as MultinomialNB")
def digits_end_to_end(lab):
    X_train, X_test, y_train, y_test = _digits()
    classes, prior, flp = _fit(lab, X_train, y_train + 10, 1.0)  # labels 10..19
    nb = MultinomialNB(alpha=1.0).fit(X_train, y_train + 10)
    got = np.asarray(lab.predict((classes, prior, flp), X_test))
    agreement = float(np.mean(got == nb.predict(X_test)))
    at_least(
        agreement,
        0.99,
        what="share of test digits on which your prediction matches MultinomialNB's",
    )
    at_least(float(np.mean(got == y_test + 10)), 0.85, what="test accuracy on the digits")
