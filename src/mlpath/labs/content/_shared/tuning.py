"""Checks shared by the twin tuning labs (hyperparameter-tuning in PyTorch,
keras-hyperparameter-tuning).

Both labs search the same grid on the same digits splits and judge the search, the
choice and the final test score the same way, with the same messages; only how a
model is trained and scored differs (``accuracy`` and the seeding advice).
"""

import itertools
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from mlpath.labs.checking import CheckFailed, at_least, close, expect

SEED = 0
GRID = {"lr": [0.5, 0.05, 0.005], "batch_size": [32, 128], "width": [16, 64]}


class GuardedSplits(dict):
    """The splits dict, remembering which parts were read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


@cache
def splits():
    """Stratified 60/20/20 train/validation/test splits of the digits, scaled on train."""
    X, y = load_digits(return_X_y=True)
    idx = np.arange(len(y))
    rest, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=SEED)
    train, val = train_test_split(rest, test_size=0.25, stratify=y[rest], random_state=SEED)
    scaler = StandardScaler().fit(X[train])
    return {
        name: (scaler.transform(X[i]).astype(np.float32), y[i].astype(np.int64))
        for name, i in (("train", train), ("val", val), ("test", test))
    }


@cache
def searched(lab: Any, epochs: int) -> tuple[list[dict[str, Any]], set[str]]:
    """The learner's grid search over GRID, and which splits it read."""
    guarded = GuardedSplits(splits())
    return lab.grid_search(guarded, GRID, epochs=epochs, seed=SEED), guarded.read


def expect_every_combination(results: Any) -> None:
    """grid_search returns one result dict per combination of the grid."""
    combos = sorted(itertools.product(GRID["lr"], GRID["batch_size"], GRID["width"]))
    expect(
        isinstance(results, list) and all(isinstance(r, dict) for r in results),
        "grid_search must return a list of dicts.",
    )
    expect(
        all({"lr", "batch_size", "width", "val_acc"} <= set(r) for r in results),
        "every result must have the keys 'lr', 'batch_size', 'width' and 'val_acc'.",
    )
    got = sorted((r["lr"], r["batch_size"], r["width"]) for r in results)
    expect(
        got == combos,
        f"grid_search must try each of the {len(combos)} combinations of the grid exactly once, got {len(results)} results.",
    )


def expect_test_unread(read: set[str]) -> None:
    """The search never looked at the test split."""
    expect(
        "test" not in read,
        "grid_search read splits['test']: choose hyperparameters on the validation split only. The test split is for one final report, after the choice (otherwise the test score is optimistically biased).",
    )


def expect_validation_scores(
    lab: Any,
    results: list[dict[str, Any]],
    accuracy: Callable[[Any, Any, Any], float],
    epochs: int,
    seeding: str,
) -> None:
    """The best result's val_acc is the validation accuracy of train_model with its settings
    (``seeding`` says how train_model makes itself reproducible)."""
    best = max(results, key=lambda r: r["val_acc"])
    X_train, y_train = splits()["train"]
    model = lab.train_model(
        X_train,
        y_train,
        lr=best["lr"],
        batch_size=best["batch_size"],
        width=best["width"],
        epochs=epochs,
        seed=SEED,
    )
    X_val, y_val = splits()["val"]
    on_val = accuracy(model, X_val, y_val)
    on_train = accuracy(model, X_train, y_train)
    if not np.isclose(best["val_acc"], on_val, atol=1e-6) and np.isclose(
        best["val_acc"], on_train, atol=1e-6
    ):
        raise CheckFailed(
            f"val_acc {best['val_acc']:.4f} for {best} is the accuracy on the training rows "
            f"({on_train:.4f}), not on the validation split ({on_val:.4f}): a model scored on the "
            "rows it was trained on favours the configuration that memorises best. Score every "
            "configuration on splits['val']."
        )
    close(
        best["val_acc"],
        on_val,
        atol=1e-6,
        what=f"val_acc reported for {best} vs the accuracy on the validation split of train_model with the same settings ({seeding} inside train_model so that it is reproducible)",
    )


def expect_best_chosen(lab: Any, results: list[dict[str, Any]]) -> None:
    """best_config picks the result with the highest val_acc (and the search is good)."""
    chosen = lab.best_config(results)
    top = max(r["val_acc"] for r in results)
    expect(chosen in results, "best_config must return one of the result dicts.")
    expect(
        chosen["val_acc"] == top,
        f"best_config chose {chosen} with val_acc {chosen['val_acc']:.3f}, but the highest validation accuracy is {top:.3f}: pick the configuration with the highest val_acc.",
    )
    at_least(top, 0.93, what="best validation accuracy of the search")


def expect_test_score(lab: Any, results: list[dict[str, Any]], epochs: int) -> None:
    """test_accuracy trains the chosen configuration and scores it once on the test split."""
    best = max(results, key=lambda r: r["val_acc"])
    at_least(
        lab.test_accuracy(splits(), best, epochs=epochs, seed=SEED),
        0.92,
        what="test accuracy of the chosen configuration",
    )
