"""Checks shared by the twin labs on scikit-learn's digits (a PyTorch lab and its Keras variant).

Each function holds the body of one check, so that both labs of a pair judge a
learner's split or preprocessing in exactly the same way, with the same messages.
"""

import numpy as np
from sklearn.preprocessing import StandardScaler

from mlpath.labs.checking import CheckFailed, close, expect


def as_index_array(a, name):
    a = np.asarray(a)
    expect(
        a.ndim == 1 and np.issubdtype(a.dtype, np.integer),
        f"{name} must be a 1-D array of integer row indices, got dtype {a.dtype} and shape {a.shape}.",
    )
    return a


def expect_split_60_20_20(parts, y):
    """The MLP labs' split: disjoint, complete, 60/20/20 (±3 rows), class shares within 0.01."""
    expect(len(parts) == 3, "split_indices must return (train_idx, val_idx, test_idx).")
    train, val, test = (
        as_index_array(a, name) for a, name in zip(parts, ("train_idx", "val_idx", "test_idx"))
    )
    for a, b, names in (
        (train, val, "train and validation"),
        (train, test, "train and test"),
        (val, test, "validation and test"),
    ):
        shared = np.intersect1d(a, b).size
        expect(
            shared == 0,
            f"{names} indices overlap ({shared} shared samples): every sample must be in exactly one part, otherwise the scores you select or report on are not about unseen data.",
        )
    everything = np.concatenate([train, val, test])
    expect(
        np.array_equal(np.sort(everything), np.arange(len(y))),
        f"the three parts together must contain every index 0..{len(y) - 1} exactly once.",
    )
    for a, name, frac in ((train, "train", 0.6), (val, "validation", 0.2), (test, "test", 0.2)):
        expect(
            abs(len(a) - frac * len(y)) <= 3,
            f"the {name} part has {len(a)} samples; it should be about {frac:.0%} of {len(y)} = {frac * len(y):.0f} (±3).",
        )
    overall = np.bincount(y, minlength=10) / len(y)
    for a, name in ((train, "train"), (val, "validation"), (test, "test")):
        worst = np.abs(np.bincount(y[a], minlength=10) / len(a) - overall).max()
        expect(
            worst <= 0.01,
            f"the class proportions of the {name} part differ from the whole data set by up to {worst:.3f} (allowed 0.01): stratify the split on y.",
        )


def expect_split_uses_seed(split_indices, y):
    """The same seed gives the same split, another seed another one, whatever the global RNG state."""
    np.random.seed(1)
    first = split_indices(y, 0)
    np.random.seed(2)
    again = split_indices(y, 0)
    other = split_indices(y, 1)
    expect(
        all(np.array_equal(a, b) for a, b in zip(first, again)),
        "split_indices(y, 0) gave a different split after a different global NumPy seed: pass "
        "seed as random_state to train_test_split instead of relying on the global random state.",
    )
    expect(
        not all(np.array_equal(np.sort(a), np.sort(b)) for a, b in zip(first, other)),
        "split_indices(y, 0) and split_indices(y, 1) gave the same split: the seed is ignored "
        "(pass it as random_state).",
    )


def expect_prepared(data, X, y, train, val, test, dtype_reason=""):
    """The MLP labs' prepare_data: float32, and standardized with a scaler fit on ``train`` only."""
    keys = {f"{v}_{p}" for v in "Xy" for p in ("train", "val", "test")}
    expect(
        isinstance(data, dict) and set(data) >= keys,
        f"prepare_data must return a dict with the keys {sorted(keys)}.",
    )
    expect(
        np.asarray(data["X_train"]).dtype == np.float32,
        f"X_train must be float32{dtype_reason}, got {np.asarray(data['X_train']).dtype}.",
    )
    scaler = StandardScaler().fit(X[train])
    got_train = np.asarray(data["X_train"], dtype=float)
    leaks = (
        ("all the data", X),
        ("the training and validation rows", X[np.concatenate([train, val])]),
    )
    for rows, fitted_on in leaks:
        if got_train.shape == (len(train), 64) and np.allclose(
            got_train, StandardScaler().fit(fitted_on).transform(X[train]), atol=1e-4
        ):
            raise CheckFailed(
                f"the scaler was fit on {rows}: fit it on the training rows only, then transform "
                "validation and test with the training mean and std (otherwise information from "
                "the rows you select or report on leaks into training)."
            )
    got_val = np.asarray(data["X_val"], dtype=float)
    if got_val.shape == (len(val), 64) and np.allclose(
        got_val, StandardScaler().fit(X[val]).transform(X[val]), atol=1e-4
    ):
        raise CheckFailed(
            "each part was standardized with its own mean and std (a scaler fit per part): fit "
            "the scaler on the training rows only and transform validation and test with it."
        )
    for part, idx in (("train", train), ("val", val), ("test", test)):
        close(
            data[f"X_{part}"],
            scaler.transform(X[idx]),
            rtol=1e-4,
            atol=1e-4,
            what=f"X_{part} (compared with StandardScaler fit on X[train_idx])",
        )
        close(data[f"y_{part}"], y[idx], what=f"y_{part} (must be y[{part}_idx])")


def expect_seeded_stratified_split(lab, y):
    """The CNN labs' split: 60/20/20 (±2 rows), each digit's count within 2, same split per seed."""
    parts = lab.split_indices(y, seed=0)
    expect(
        len(parts) == 3,
        f"split_indices should return (train_idx, val_idx, test_idx), got {len(parts)} items.",
    )
    train, val, test = (np.asarray(p) for p in parts)
    every = np.concatenate([train, val, test])
    expect(
        len(every) == len(y) and set(every.tolist()) == set(range(len(y))),
        "the three index arrays must together hold every row index exactly once (no overlap, none left out).",
    )
    for name, idx, share in [("train", train, 0.6), ("validation", val, 0.2), ("test", test, 0.2)]:
        expect(
            abs(len(idx) - share * len(y)) <= 2,
            f"the {name} part has {len(idx)} rows; expected about {share:.0%} of {len(y)} = {share * len(y):.0f}.",
        )
        for c in range(10):
            n_all, n_part = int((y == c).sum()), int((y[idx] == c).sum())
            expect(
                abs(n_part - share * n_all) <= 2,
                f"the {name} part has {n_part} images of digit {c}, but a stratified split would have "
                f"about {share * n_all:.0f} ({share:.0%} of {n_all}). Pass stratify= to train_test_split.",
            )
    again = lab.split_indices(y, seed=0)
    expect(
        all(np.array_equal(a, b) for a, b in zip(parts, again)),
        "split_indices(y, seed=0) gave a different split on a second call; pass seed as random_state.",
    )
