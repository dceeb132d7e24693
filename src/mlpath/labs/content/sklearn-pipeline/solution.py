"""A scikit-learn pipeline on the Palmer penguins: reference solution."""

import joblib
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def build_pipeline(numeric_cols, categorical_cols):
    """Unfitted Pipeline: ("preprocess", ColumnTransformer) then ("model", LogisticRegression)."""
    preprocess = ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                numeric_cols,
            ),
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                categorical_cols,
            ),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("model", LogisticRegression(max_iter=1000))])


def tune(pipeline, X, y, cv):
    """Grid search over the regularization strength of the whole pipeline; returns the fitted search."""
    grid = {"model__C": [0.1, 1.0, 10.0]}
    return GridSearchCV(pipeline, grid, cv=cv).fit(X, y)


def save_model(model, path):
    """Write the fitted model to path."""
    joblib.dump(model, path)


def load_model(path):
    """Read back a model written by save_model."""
    return joblib.load(path)
