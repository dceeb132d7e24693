"""A scikit-learn pipeline on the Palmer penguins: preprocessing, grid search, persistence.

Implement the functions below, then run `mlpath check sklearn-pipelines`.
The check loads palmerpenguins.load_penguins(), predicts `species` from 4 numeric columns
(with a few missing values) and 2 categorical ones (`island`, `sex`, with missing values),
and splits it 75/25 for you.
"""

import joblib  # noqa: F401
from sklearn.compose import ColumnTransformer  # noqa: F401
from sklearn.impute import SimpleImputer  # noqa: F401
from sklearn.linear_model import LogisticRegression  # noqa: F401
from sklearn.model_selection import GridSearchCV  # noqa: F401
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: F401
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: F401


def build_pipeline(numeric_cols, categorical_cols):
    """An UNFITTED Pipeline with two steps, named exactly:

    ("preprocess", ColumnTransformer(...)): numeric columns -> impute missing values, then
        standardize; categorical columns -> impute missing values, then one-hot encode, ignoring
        categories never seen in training.
    ("model", LogisticRegression(max_iter=1000)).

    numeric_cols, categorical_cols: lists of column names of the input DataFrame.
    """
    # TODO: ColumnTransformer([("numeric", ..., numeric_cols), ("categorical", ..., categorical_cols)])
    raise NotImplementedError


def tune(pipeline, X, y, cv):
    """Grid-search the whole pipeline on (X, y) and return the FITTED GridSearchCV.

    Use a small grid (2 to 12 candidates) over the model's C, e.g. {"model__C": [...]},
    and pass cv through. X is the raw DataFrame: do not transform it yourself.
    """
    raise NotImplementedError


def save_model(model, path):
    """Save the fitted model to the file `path` (a pathlib.Path given by the check)."""
    raise NotImplementedError


def load_model(path):
    """Load and return the model saved by save_model(model, path)."""
    raise NotImplementedError
