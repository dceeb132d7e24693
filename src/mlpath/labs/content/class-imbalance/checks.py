"""Checks for the class-imbalance lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect, forbid

RULE = "Compute the class weights and the oversampling yourself with NumPy."
FORBIDDEN = ("sklearn.utils.class_weight.compute_class_weight", "sklearn.utils.resample")


@check("balanced_class_weights: n / (K * count) for labels 3, 7, 9")
def class_weights(lab):
    from sklearn.utils.class_weight import compute_class_weight

    y = np.array([7, 3, 3, 9, 3, 3, 7, 3, 3, 3])  # counts 7: 2, 3: 7, 9: 1
    with forbid(lab, *FORBIDDEN, rule=RULE):
        got = lab.balanced_class_weights(y.copy())
    expect(
        isinstance(got, dict),
        f"balanced_class_weights must return a dict {{label: weight}}, got {type(got).__name__}.",
    )
    expect(
        sorted(got) == [3, 7, 9],
        f"the keys must be the labels 3, 7, 9 themselves, got {sorted(got)}.",
    )
    expected = compute_class_weight("balanced", classes=np.array([3, 7, 9]), y=y)
    values = np.array([got[k] for k in (3, 7, 9)], dtype=float)
    if np.allclose(values, [1 / 7, 1 / 2, 1.0]):
        raise CheckFailed(
            "the weights are 1 / count: right in proportion, but 'balanced' scales them by "
            "n / K, so that the weights average 1 over the samples: weight = 10 / (3 * count)."
        )
    if np.allclose(values, [7 / 10, 2 / 10, 1 / 10]):
        raise CheckFailed(
            "the weights are the class shares count / n, which gives the COMMON class the most "
            "weight; a balanced weight is the inverse: n / (K * count)."
        )
    close(values, expected, rtol=1e-9, what="weights of labels 3, 7, 9 = 10 / (3 * count)")


def _oversample(lab, X, y, seed):
    with forbid(lab, *FORBIDDEN, rule=RULE):
        out = lab.random_oversample(X.copy(), y.copy(), np.random.default_rng(seed))
    expect(
        isinstance(out, tuple) and len(out) == 2, "random_oversample must return (X_res, y_res)."
    )
    return np.asarray(out[0]), np.asarray(out[1])


@check("random_oversample: originals kept, minority classes copied up to the majority, rng used")
def oversample(lab):
    rng = np.random.default_rng(40)
    y = np.array([2] * 12 + [5] * 4 + [8] * 7)
    rng.shuffle(y)
    X = np.column_stack([np.arange(len(y)) + 100.0, y * 10.0 + rng.normal(size=len(y))])
    Xr, yr = _oversample(lab, X, y, 0)
    labels, counts = np.unique(yr, return_counts=True)
    expect(
        labels.tolist() == [2, 5, 8] and counts.tolist() == [12, 12, 12],
        f"after oversampling every class must have as many rows as the largest (12): got counts "
        f"{dict(zip(labels.tolist(), counts.tolist()))}. Add max_count - count copies per class.",
    )
    expect(Xr.shape == (36, 2), f"X_res must have shape (36, 2), got {Xr.shape}.")
    expect(
        np.array_equal(Xr[: len(y)], X) and np.array_equal(yr[: len(y)], y),
        "X_res and y_res must start with every original row, unchanged and in order; the copies "
        "come after them.",
    )
    rows = {tuple(r): label for r, label in zip(X.tolist(), y.tolist())}
    for r, label in zip(Xr[len(y) :].tolist(), yr[len(y) :].tolist()):
        expect(tuple(r) in rows, "an added row is not a copy of an original row.")
        expect(
            rows[tuple(r)] == label,
            f"an added row of label {label} is a copy of a row of label {rows[tuple(r)]}: draw "
            f"the copies of each class from that class's own rows.",
        )
    again, _ = _oversample(lab, X, y, 0)
    expect(np.array_equal(again, Xr), "the same rng seed must give the same oversampled rows.")
    other, _ = _oversample(lab, X, y, 1)
    expect(
        not np.array_equal(other, Xr),
        "two different rng seeds give the same copies: draw the copies with the rng you are "
        "given (rng.choice or rng.integers), not np.random or a fixed seed.",
    )


@cache
def _cv_data():
    from sklearn.model_selection import StratifiedKFold

    rng = np.random.default_rng(31)
    y = (rng.random(400) < 0.08).astype(int)  # 8% positives
    X = rng.normal(size=(400, 4)) + y[:, None] * np.array([1.2, 0.8, 0.0, 0.0])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=2).split(X, y))
    return X, y, folds


def _ref_cv(X, y, folds, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(seed)
    scores = []
    for tr, va in folds:
        labels, counts = np.unique(y[tr], return_counts=True)
        extra = [
            rng.choice(np.flatnonzero(y[tr] == c), size=counts.max() - n)
            for c, n in zip(labels, counts)
        ]
        idx = np.concatenate([np.arange(len(tr)), *extra])
        model = LogisticRegression(max_iter=1000).fit(X[tr][idx], y[tr][idx])
        scores.append(average_precision_score(y[va], model.predict_proba(X[va])[:, 1]))
    return np.array(scores)


@check(
    "cv_average_precision: oversampling only the training rows of each fold, scores by probability"
)
def cv_oversampling(lab):
    X, y, folds = _cv_data()
    calls = []
    original = lab.random_oversample

    def spy(X_part, y_part, rng):
        calls.append(np.asarray(X_part).copy())
        return original(X_part, y_part, rng)

    results = {}
    lab.random_oversample = spy
    try:
        for seed in (0, 0, 1):
            calls.clear()
            with forbid(lab, *FORBIDDEN, rule=RULE):
                got = np.asarray(
                    lab.cv_average_precision(X.copy(), y.copy(), folds, seed), dtype=float
                )
            expect(
                got.shape == (len(folds),),
                f"cv_average_precision must return one score per fold: shape ({len(folds)},), got {got.shape}.",
            )
            train_sets = [X[tr] for tr, _ in folds]
            bad = [
                c
                for c in calls
                if not any(c.shape == t.shape and np.array_equal(c, t) for t in train_sets)
            ]
            expect(
                not bad,
                f"random_oversample was called on {len(bad[0]) if bad else 0} rows that are not one "
                f"fold's training rows: oversampling before the split (or the validation rows) "
                f"puts copies of validation rows into training, or scores on duplicated rows. "
                f"Oversample X[train_idx], y[train_idx] only.",
            )
            expect(
                len(calls) == len(folds),
                f"cv_average_precision called your random_oversample {len(calls)} times; it must "
                f"call it once per fold ({len(folds)} times), on that fold's training rows.",
            )
            results.setdefault(seed, []).append(got)
    finally:
        lab.random_oversample = original
    expect(np.array_equal(results[0][0], results[0][1]), "the same seed must give the same scores.")
    expect(
        not np.array_equal(results[0][0], results[1][0]),
        "seeds 0 and 1 give identical scores: build the rng with np.random.default_rng(seed) and "
        "pass it to random_oversample.",
    )
    ref = _ref_cv(X, y, folds, 0).mean()
    mean = float(results[0][0].mean())
    if mean < ref - 0.1:
        raise CheckFailed(
            f"mean average precision {mean:.3f} is far below the expected {ref:.3f}: average "
            f"precision ranks the validation rows by score, so pass the probabilities "
            f"predict_proba(X_val)[:, 1], not the hard labels of predict."
        )
    at_most(
        abs(mean - ref),
        0.03,
        what=f"gap between your mean average precision and the reference {ref:.3f}",
    )


def _costs(y, p, t, cfp, cfn):
    pred = p >= t
    return cfp * np.sum(pred & (y == 0)) + cfn * np.sum(~pred & (y == 1))


@check("min_cost_threshold: the cheapest threshold by hand, p >= t counts as positive")
def cost_threshold(lab):
    # Costs 1 per false positive, 5 per false negative. Thresholds: errors, total cost
    # 0.1: 5 FP -> 5 | 0.3: 4 FP -> 4 | 0.35: 3 FP -> 3 | 0.4: 3 FP + 1 FN -> 8
    # 0.5: 2 FP + 1 FN -> 7 | 0.6: 1 FP + 1 FN -> 6 (fewest errors) | inf: 2 FN -> 10.
    y = np.array([0, 0, 1, 0, 0, 0, 1])
    p = np.array([0.1, 0.3, 0.35, 0.4, 0.5, 0.6, 0.6])
    out = lab.min_cost_threshold(y.copy(), p.copy(), 1.0, 5.0)
    expect(
        isinstance(out, tuple) and len(out) == 2,
        "min_cost_threshold must return (threshold, cost).",
    )
    t, cost = float(out[0]), float(out[1])
    if t == 0.6:
        raise CheckFailed(
            "threshold 0.6 misses the positive at p = 0.35 (a false negative costs 5): that is "
            "the accuracy-optimal or the swapped-cost threshold. Weigh each error by its cost."
        )
    expect(
        t == 0.35 and cost == 3.0,
        f"with costs FP=1, FN=5 the cheapest rule is p >= 0.35 (three false positives, cost 3); you "
        f"returned threshold {t} with cost {cost}. A row whose p equals the threshold is positive.",
    )
    rng = np.random.default_rng(50)
    y = (rng.random(200) < 0.1).astype(int)
    p = np.round(np.clip(0.25 * y + rng.random(200) * 0.7, 0, 1), 2)  # ties on purpose
    for cfp, cfn in ((1.0, 10.0), (4.0, 1.0)):
        t, cost = (float(v) for v in lab.min_cost_threshold(y.copy(), p.copy(), cfp, cfn))
        cands = [*np.unique(p), np.inf]
        best = min(_costs(y, p, c, cfp, cfn) for c in cands)
        close(cost, best, rtol=1e-12, what=f"lowest total cost (FP={cfp}, FN={cfn})")
        close(
            _costs(y, p, t, cfp, cfn),
            best,
            rtol=1e-12,
            what=f"total cost of your threshold {t} with the rule p >= t (FP={cfp}, FN={cfn})",
        )
