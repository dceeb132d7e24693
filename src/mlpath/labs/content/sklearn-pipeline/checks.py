"""Checks for the sklearn-pipeline lab."""

import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import sklearn.linear_model  # noqa: F401  (loads SciPy's BLAS before the limit below)
from threadpoolctl import threadpool_limits

from mlpath.labs.checking import CheckFailed, at_least, check, expect

# Small models: one BLAS/OpenMP thread is much faster than two fighting over 2 cores.
threadpool_limits(limits=1)

NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]


@cache
def _data():
    from palmerpenguins import load_penguins
    from sklearn.model_selection import train_test_split

    df = load_penguins()
    X, y = df[NUMERIC + CATEGORICAL], df["species"]
    return tuple(train_test_split(X, y, test_size=0.25, random_state=0, stratify=y))


@cache
def _cv():
    from sklearn.model_selection import StratifiedKFold

    # not the default 5 folds, and a splitter object: tune must pass on the cv it is given
    return StratifiedKFold(n_splits=3, shuffle=True, random_state=0)


@cache
def _search(lab):
    X_train, _, y_train, _ = _data()
    return lab.tune(lab.build_pipeline(NUMERIC, CATEGORICAL), X_train, y_train, cv=_cv())


def _dense(Z):
    return Z.toarray() if hasattr(Z, "toarray") else np.asarray(Z, dtype=float)


@check("build_pipeline: a Pipeline of preprocess (ColumnTransformer) then model")
def pipeline_shape(lab):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    pipe = lab.build_pipeline(NUMERIC, CATEGORICAL)
    expect(
        isinstance(pipe, Pipeline),
        f"build_pipeline must return a sklearn Pipeline, got {type(pipe).__name__}.",
    )
    names = [name for name, _ in pipe.steps]
    expect(
        names == ["preprocess", "model"],
        f"the pipeline's steps must be named ['preprocess', 'model'], got {names}.",
    )
    expect(
        isinstance(pipe.named_steps["preprocess"], ColumnTransformer),
        "the 'preprocess' step must be a ColumnTransformer, got "
        f"{type(pipe.named_steps['preprocess']).__name__}.",
    )


@check("preprocessing imputes missing values and standardizes the numeric columns")
def preprocessing_output(lab):
    from sklearn.base import clone

    X_train = _data()[0]
    preprocess = clone(lab.build_pipeline(NUMERIC, CATEGORICAL).named_steps["preprocess"])
    Z = _dense(preprocess.fit_transform(X_train))
    expect(
        not np.isnan(Z).any(),
        f"the preprocessed training data still has {int(np.isnan(Z).sum())} NaN values: "
        "impute the numeric and the categorical columns (SimpleImputer).",
    )
    standardized = int(np.sum((np.abs(Z.mean(axis=0)) < 1e-6) & (np.abs(Z.std(axis=0) - 1) < 1e-6)))
    expect(
        standardized >= len(NUMERIC),
        f"only {standardized} output columns are standardized (mean 0, std 1) but there are "
        f"{len(NUMERIC)} numeric columns: put a StandardScaler after the numeric imputer.",
    )
    expect(
        Z.shape[1] > len(NUMERIC) + len(CATEGORICAL),
        f"the preprocessed data has {Z.shape[1]} columns: one-hot encode the categorical columns.",
    )


@check("build_pipeline uses the columns it is given")
def given_columns(lab):
    from sklearn.base import clone

    X_train = _data()[0]
    numeric, categorical = ["bill_length_mm", "body_mass_g"], ["island"]
    preprocess = clone(lab.build_pipeline(numeric, categorical).named_steps["preprocess"])
    Z = _dense(preprocess.fit_transform(X_train))
    expect(
        Z.shape[1] == 2 + X_train["island"].nunique(),
        f"build_pipeline({numeric}, {categorical}) gives {Z.shape[1]} columns after "
        f"preprocessing; expected {2 + X_train['island'].nunique()} (2 standardized numeric "
        "columns and one per island): use the columns you are given, not the penguins' names.",
    )


@check("tune: grid search over the whole pipeline (no leakage)")
def search_contains_pipeline(lab):
    from sklearn.compose import ColumnTransformer
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    search = _search(lab)
    expect(
        isinstance(search, GridSearchCV),
        f"tune must return a fitted GridSearchCV, got {type(search).__name__}.",
    )
    expect(
        getattr(search, "n_splits_", None) == 3 and search.cv is _cv(),
        f"tune was given cv=StratifiedKFold(n_splits=3, shuffle=True) but the search used "
        f"{getattr(search, 'n_splits_', '?')} folds: pass the cv you are given to GridSearchCV "
        "(cv=cv), so that the caller decides how the data is split.",
    )
    expect(
        hasattr(search, "best_estimator_"),
        "the search has no best_estimator_: keep GridSearchCV's refit=True so that the best "
        "pipeline is re-fitted on all the training rows and can predict.",
    )
    n_candidates = len(search.cv_results_["params"])
    expect(
        2 <= n_candidates <= 12, f"search a small grid of 2 to 12 candidates, got {n_candidates}."
    )
    best = search.best_estimator_
    expect(
        isinstance(best, Pipeline) and isinstance(best.steps[0][1], ColumnTransformer),
        f"best_estimator_ is a {type(best).__name__}: tune must search over the whole pipeline, "
        "whose first step is the ColumnTransformer, so that imputation and scaling are re-fitted "
        "inside every cross-validation fold (no leakage from the validation fold).",
    )


@check("held-out test accuracy is at least 0.95")
def test_accuracy(lab):
    _, X_test, _, y_test = _data()
    at_least(_search(lab).score(X_test, y_test), 0.95, what="test accuracy of the tuned pipeline")


@check("predicts penguins from an island never seen in training")
def unseen_category(lab):
    X_test = _data()[1]
    search = _search(lab)
    search.predict(X_test.head(5))  # raw rows with known categories must work first
    X_new = X_test.head(5).copy()
    X_new["island"] = "Atlantis"
    try:
        predictions = search.predict(X_new)
    except ValueError as exc:
        raise CheckFailed(
            f"predicting rows whose island is 'Atlantis' raised ValueError: {exc}. New categories show up "
            "in production: create the OneHotEncoder with handle_unknown='ignore'."
        ) from None
    expect(
        len(predictions) == len(X_new),
        f"expected {len(X_new)} predictions, got {len(predictions)}.",
    )


@check("save_model / load_model: the reloaded model predicts the same")
def persistence(lab):
    _, X_test, _, _ = _data()
    search = _search(lab)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "penguins-model.joblib"
        lab.save_model(search, path)
        expect(
            path.is_file(),
            f"save_model(model, path) must write a file at the given path ({path.name}).",
        )
        loaded = lab.load_model(path)
    expect(
        np.array_equal(np.asarray(loaded.predict(X_test)), search.predict(X_test)),
        "the model returned by load_model predicts differently from the one you saved.",
    )
    expect(
        np.allclose(loaded.predict_proba(X_test), search.predict_proba(X_test), rtol=0, atol=0),
        "the reloaded model's predict_proba differs from the saved model's.",
    )
