"""Checks for the error-analysis lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, check, close, expect

LABELS = list(range(10))


@cache
def _digits_predictions():
    """True labels, predictions of a Gaussian naive Bayes model, and an ink-level slice column."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.naive_bayes import GaussianNB

    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)
    y_pred = GaussianNB().fit(X_tr, y_tr).predict(X_te)
    ink = X_te.sum(axis=1)
    groups = np.array(["light", "medium", "heavy"])[
        np.searchsorted(np.quantile(ink, [1 / 3, 2 / 3]), ink)
    ]
    return y_te, y_pred, groups


def _small_case():
    """Hand-made labels: class 3 never occurs, class 2 is never predicted, group C has no error."""
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 0, 1, 1, 0])
    y_pred = np.array([0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0])
    groups = np.array(["A", "A", "B", "B", "A", "B", "A", "B", "C", "C", "C", "C"])
    return y_true, y_pred, groups, [0, 1, 2, 3]


def _plain(value):
    return value.item() if hasattr(value, "item") else value


@check("confusion_matrix equals sklearn.metrics.confusion_matrix")
def confusion_matrix_values(lab):
    from sklearn.metrics import confusion_matrix

    y_true, y_pred, _, labels = _small_case()
    y_te, y_digits, _ = _digits_predictions()
    for truth, pred, labs, name in (
        (y_true, y_pred, labels, "small hand-made case"),
        (y_te, y_digits, LABELS, "digits"),
    ):
        got = np.asarray(lab.confusion_matrix(truth, pred, labs))
        expect(
            got.shape == (len(labs), len(labs)),
            f"{name}: the confusion matrix must have shape ({len(labs)}, {len(labs)}), one row and one "
            f"column per label (even a label that never occurs), got {got.shape}.",
        )
        close(
            got,
            confusion_matrix(truth, pred, labels=labs),
            atol=0,
            rtol=0,
            what=f"{name}: confusion matrix (rows = true class, columns = predicted class, "
            "both in the order of `labels`)",
        )
    # labels that are not 0..K-1 and not sorted: rows and columns follow `labels`
    names = [9, 3, 7]
    truth = np.array([3, 9, 7, 7, 3, 9, 9, 3])
    pred = np.array([3, 3, 7, 9, 7, 9, 3, 3])
    got = np.asarray(lab.confusion_matrix(truth, pred, names))
    expect(
        got.shape == (3, 3),
        f"confusion matrix for labels {names}: expected shape (3, 3), got {got.shape}.",
    )
    close(
        got,
        confusion_matrix(truth, pred, labels=names),
        atol=0,
        rtol=0,
        what=f"confusion matrix for labels {names} (not 0..K-1: row i is the true label labels[i], "
        "in the order of `labels`, not sorted)",
    )


@check("per_class_metrics equals sklearn precision_recall_fscore_support")
def per_class_values(lab):
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    y_true, y_pred, _, labels = _small_case()
    y_te, y_digits, _ = _digits_predictions()
    for truth, pred, labs, name in (
        (y_true, y_pred, labels, "small hand-made case"),
        (y_te, y_digits, LABELS, "digits"),
    ):
        result = lab.per_class_metrics(confusion_matrix(truth, pred, labels=labs))
        expect(len(result) == 3, "per_class_metrics must return (precision, recall, f1).")
        expected = precision_recall_fscore_support(truth, pred, labels=labs, zero_division=0)
        for got, ref, metric in zip(result, expected[:3], ("precision", "recall", "F1")):
            close(
                got,
                ref,
                rtol=1e-9,
                atol=1e-12,
                what=f"{name}: {metric} per class (precision = TP / predicted column sum, "
                "recall = TP / true row sum, 0 when the sum is 0)",
            )


@check("slice_accuracy: accuracy within every slice")
def slice_values(lab):
    y_true, y_pred, groups, _ = _small_case()
    y_te, y_digits, ink = _digits_predictions()
    for truth, pred, slices, name in (
        (y_true, y_pred, groups, "small hand-made case"),
        (y_te, y_digits, ink, "digits by ink level"),
    ):
        got = lab.slice_accuracy(truth, pred, slices)
        expect(
            isinstance(got, dict), f"slice_accuracy must return a dict, got {type(got).__name__}."
        )
        expected = {
            g.item(): float(np.mean(truth[slices == g] == pred[slices == g]))
            for g in np.unique(slices)
        }
        missing = sorted(set(expected) - set(got))
        expect(
            not missing,
            f"{name}: slice_accuracy is missing groups {missing}: every distinct value of "
            "groups needs an entry, including groups where the model makes no mistake.",
        )
        extra = sorted(map(str, set(got) - set(expected)))
        expect(not extra, f"{name}: slice_accuracy has keys {extra} that are not values of groups.")
        keys = sorted(expected)
        close(
            [got[k] for k in keys],
            [expected[k] for k in keys],
            rtol=1e-9,
            what=f"{name}: accuracy of the groups {keys}",
        )


@check("top_confusions: the most frequent mistakes, sorted")
def top_confusions_values(lab):
    from sklearn.metrics import confusion_matrix

    y_te, y_digits, _ = _digits_predictions()
    cm = confusion_matrix(y_te, y_digits, labels=LABELS)
    n = 5
    cells = [(t, p, int(cm[t, p])) for t in LABELS for p in LABELS if t != p and cm[t, p] > 0]
    expected = sorted(cells, key=lambda c: (-c[2], c[0], c[1]))[:n]
    got = [tuple(_plain(v) for v in item) for item in lab.top_confusions(cm, LABELS, n)]
    if got != expected:
        raise CheckFailed(
            f"top_confusions(cm, labels, n={n}) returned {got}, expected {expected}: "
            "(true label, predicted label, count) of the off-diagonal cells, largest count first."
        )


@check(
    "top_confusions by hand: labels not 0..K-1, ties in the order of labels, fewer mistakes than n"
)
def top_confusions_by_hand(lab):
    labels = [9, 3, 7]
    cm = np.array([[5, 2, 0], [2, 4, 1], [0, 2, 3]])
    # off-diagonal: (9→3) 2, (3→9) 2, (3→7) 1, (7→3) 2; ties keep the order of labels
    expected = [(9, 3, 2), (3, 9, 2), (7, 3, 2), (3, 7, 1)]
    got = [tuple(_plain(v) for v in item) for item in lab.top_confusions(cm.copy(), labels, 10)]
    positions = [(labels.index(t), labels.index(p), c) for t, p, c in expected]
    expect(
        got != positions,
        f"top_confusions returned {got}: these are row and column positions; return the labels, "
        f"not positions ({expected}).",
    )
    expect(
        all(t != p for t, p, _ in got),
        f"top_confusions returned {got}, which includes correct predictions: keep only the "
        "off-diagonal cells (true label != predicted label).",
    )
    expect(
        got == expected,
        f"top_confusions(cm, labels={labels}, n=10) returned {got}, expected {expected}: the "
        "off-diagonal cells with a count above 0 (only 4 here, fewer than n), largest count first, "
        "ties in the order of labels (by true label, then predicted label).",
    )


@check("slice_accuracy by hand: numeric groups, accuracy (not error rate)")
def slice_by_hand(lab):
    truth = np.array([1, 1, 0, 0, 1, 0])
    pred = np.array([1, 0, 0, 1, 1, 0])
    groups = np.array([2021, 2021, 2021, 2022, 2022, 2023])
    got = lab.slice_accuracy(truth, pred, groups)
    expect(isinstance(got, dict), f"slice_accuracy must return a dict, got {type(got).__name__}.")
    plain = {_plain(k): v for k, v in got.items()}
    expect(
        set(plain) == {2021, 2022, 2023},
        f"slice_accuracy with groups 2021, 2022, 2023 has keys {sorted(map(repr, got))}: the keys "
        "are the group values themselves (numbers here, not strings).",
    )
    close(
        [plain[2021], plain[2022], plain[2023]],
        [2 / 3, 0.5, 1.0],
        rtol=1e-12,
        what="accuracy of the groups 2021, 2022, 2023 (the share of CORRECT predictions in each "
        "group: 2/3, 1/2, 1)",
    )
