"""Checks for the gradient-boosting lab."""

import warnings
from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect, forbid

RULE = "Write the boosting loop yourself; only DecisionTreeRegressor may come from scikit-learn."
FORBIDDEN = (
    "sklearn.ensemble.GradientBoostingRegressor",
    "sklearn.ensemble.HistGradientBoostingRegressor",
)


def _fit(lab, X, y, **params):
    with forbid(lab, *FORBIDDEN, rule=RULE):
        return lab.fit_gradient_boosting(X, y, **params)


def _predict(lab, model, X):
    got = np.asarray(lab.predict(model, X), dtype=float)
    expect(got.shape == (len(X),), f"predict must return shape ({len(X)},), got {got.shape}.")
    return got


@cache
def _friedman():
    from sklearn.datasets import make_friedman1

    X, y = make_friedman1(n_samples=200, noise=1.0, random_state=0)  # y has mean about 14
    X_test, y_test = make_friedman1(n_samples=150, noise=1.0, random_state=1)
    return X, y, X_test, y_test


def _reference(X, y, n, lr, depth):
    from sklearn.ensemble import GradientBoostingRegressor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GradientBoostingRegressor(
            n_estimators=n, learning_rate=lr, max_depth=depth, random_state=0
        ).fit(X, y)


@check("one round by hand: y = 1, 2, 3, 10 with one stump and learning rate 0.5")
def one_round_by_hand(lab):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 2.0, 3.0, 10.0])
    model = _fit(lab, X, y, n_estimators=1, learning_rate=0.5, max_depth=1)
    got = _predict(lab, model, X)
    # init = mean(y) = 4; residuals -3, -2, -1, 6; the stump predicts -2 left and 6 right.
    expected = np.array([3.0, 3.0, 3.0, 7.0])
    if np.allclose(got, [1.0, 1.0, 1.0, 5.0]) or np.allclose(got, [-1.0, -1.0, -1.0, 3.0]):
        raise CheckFailed(
            f"predict gives {got.tolist()}: the boosting starts from 0 instead of the constant "
            f"mean(y) = 4. Start F at np.mean(y) and add it back in predict."
        )
    if np.allclose(got, [2.0, 2.0, 2.0, 10.0]):
        raise CheckFailed(
            f"predict gives {got.tolist()}: the learning rate is left out (init 4 plus the whole "
            f"stump). Each tree adds learning_rate * its prediction, in fit and in predict."
        )
    close(
        got,
        expected,
        rtol=0,
        atol=1e-9,
        what="predictions 4 + 0.5 * stump(residuals -3, -2, -1, 6) = (3, 3, 3, 7)",
    )


@check("fit + predict: same training fit as GradientBoostingRegressor for varied settings")
def versus_sklearn(lab):
    X, y, X_test, y_test = _friedman()
    for n, lr, depth in ((20, 0.1, 2), (8, 0.5, 3), (30, 0.3, 1)):
        model = _fit(lab, X, y, n_estimators=n, learning_rate=lr, max_depth=depth)
        ref = _reference(X, y, n, lr, depth)
        where = f"n_estimators={n}, learning_rate={lr}, max_depth={depth}"
        got = _predict(lab, model, X)
        close(
            got,
            ref.predict(X),
            rtol=0,
            atol=1e-8,
            what=f"training-row predictions ({where}) vs GradientBoostingRegressor",
        )
        # Tied splits may differ between two correct fits, so the test rows get a margin.
        mse = float(np.mean((_predict(lab, model, X_test) - y_test) ** 2))
        ref_mse = float(np.mean((ref.predict(X_test) - y_test) ** 2))
        at_most(mse / ref_mse, 1.15, what=f"your test MSE / GradientBoostingRegressor's ({where})")


@check("staged_losses: starts with the constant's loss and falls every round on the training rows")
def staged_training_losses(lab):
    X, y, _, _ = _friedman()
    n, lr = 15, 0.3
    model = _fit(lab, X, y, n_estimators=n, learning_rate=lr, max_depth=2)
    losses = np.asarray(lab.staged_losses(model, X, y), dtype=float)
    expect(
        losses.shape == (n + 1,),
        f"staged_losses must have n_estimators + 1 = {n + 1} entries (the loss before the first "
        f"tree, then after each), got shape {losses.shape}.",
    )
    close(
        losses[0],
        float(np.var(y)),
        rtol=1e-9,
        what="entry 0 = the MSE of the constant mean(y) alone, before any tree",
    )
    rises = np.flatnonzero(np.diff(losses) > 1e-9)
    expect(
        rises.size == 0,
        f"the training loss rises from round {rises[0] if rises.size else 0} to the next: a tree "
        f"fitted to the residuals y - F with learning_rate <= 1 can only lower the squared error, "
        f"so check the sign of the residuals and that each round uses the current F.",
    )
    ref = _reference(X, y, n, lr, 2)
    expected = [np.mean((y - y.mean()) ** 2)] + [
        np.mean((y - p) ** 2) for p in ref.staged_predict(X)
    ]
    close(losses, np.array(expected), rtol=1e-9, atol=1e-9, what="training MSE after 0..n trees")


@check("best_n_estimators: early stopping on the validation rows picks the validation minimum")
def early_stopping(lab):
    rng = np.random.default_rng(21)
    X = rng.uniform(-3, 3, size=(80, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] + 5.0 + rng.normal(scale=1.0, size=80)
    X_val = rng.uniform(-3, 3, size=(200, 2))
    y_val = np.sin(X_val[:, 0]) + 0.5 * X_val[:, 1] + 5.0 + rng.normal(scale=1.0, size=200)
    n = 40
    model = _fit(lab, X, y, n_estimators=n, learning_rate=0.3, max_depth=4)  # overfits after ~4
    ref = _reference(X, y, n, 0.3, 4)
    val = np.array(
        [np.mean((y_val - y.mean()) ** 2)]
        + [np.mean((y_val - p) ** 2) for p in ref.staged_predict(X_val)]
    )
    own = np.asarray(lab.staged_losses(model, X_val, y_val), dtype=float)
    got = lab.best_n_estimators(model, X_val, y_val)
    expect(np.ndim(got) == 0, f"best_n_estimators must return one integer, got {got!r}.")
    got = int(got)
    expect(0 <= got <= n, f"best_n_estimators must be between 0 and {n}, got {got}.")
    best = int(np.argmin(val))
    if got == n:
        raise CheckFailed(
            f"best_n_estimators returns {n}, all the trees: that is where the TRAINING loss is "
            f"lowest, since it always falls. Early stopping takes the minimum of the validation "
            f"loss, here after about {best} trees."
        )
    if own.shape == (n + 1,) and got == int(np.argmin(own)) - 1:
        raise CheckFailed(
            f"best_n_estimators returns {got}, one less than the {got + 1} trees at the minimum "
            f"of your validation losses: entry i of staged_losses is the loss after i trees "
            f"(entry 0 is the constant alone), so the index is the number of trees."
        )
    # Two correct fits may differ on tied splits: accept a count whose validation loss (by
    # GradientBoostingRegressor's stages) is within 3% of the lowest.
    at_most(
        val[got] / val[best],
        1.03,
        what=f"validation MSE after your {got} trees / the lowest one (after {best} trees)",
    )
