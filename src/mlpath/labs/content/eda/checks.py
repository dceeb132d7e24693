"""Checks for the eda lab: every expected value is computed here with pandas' own methods."""

import tempfile
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from palmerpenguins import load_penguins

from mlpath.labs.checking import check, close, expect

SUMMARY_COLUMNS = ["count", "mean", "std", "min", "median", "max"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@cache
def _penguins():
    return load_penguins()


def _data():
    """A fresh copy for each call, so that a function that edits its input cannot affect other checks."""
    return _penguins().copy()


def _compare_frame(got, ref, what, rtol=1e-9, atol=0.0):
    expect(
        isinstance(got, pd.DataFrame),
        f"{what}: expected a pandas DataFrame, got {type(got).__name__}.",
    )
    expect(
        list(got.index) == list(ref.index),
        f"{what}: the rows must be {list(ref.index)} in this order, got {list(got.index)}.",
    )
    expect(
        list(got.columns) == list(ref.columns),
        f"{what}: the columns must be {list(ref.columns)} in this order, got {list(got.columns)}.",
    )
    for column in ref.columns:
        close(
            got[column].to_numpy(dtype=float),
            ref[column].to_numpy(dtype=float),
            rtol=rtol,
            atol=atol,
            what=f"{what}, column {column!r} (rows in the order {list(ref.index)})",
        )


@check("Summary table of the numeric columns")
def summary(lab):
    df = _data()
    ref = df.select_dtypes("number").agg(SUMMARY_COLUMNS).T
    got = lab.numeric_summary(df.copy())
    if (
        isinstance(got, pd.DataFrame)
        and "count" in got.columns
        and list(got.index) == list(ref.index)
    ):
        expect(
            not (got["count"] == len(df.dropna())).all(),
            f"every count is {len(df.dropna())}: rows were dropped because of a missing value in ANOTHER column "
            "(e.g. df.dropna()). pandas' count/mean/std skip the missing values of each column on their own.",
        )
    _compare_frame(got, ref, "numeric summary")


@check("Missing values per column")
def missing(lab):
    df = _data()
    ref = df.isna().sum()
    got = lab.missing_counts(df.copy())
    expect(
        isinstance(got, pd.Series),
        f"missing_counts must return a pandas Series, got {type(got).__name__}.",
    )
    expect(
        list(got.index) == list(ref.index),
        f"missing_counts must be indexed by all the columns {list(ref.index)} in order, got {list(got.index)}.",
    )
    close(
        got.to_numpy(dtype=float),
        ref.to_numpy(dtype=float),
        atol=0,
        what=f"number of missing values per column (columns in the order {list(ref.index)})",
    )


@check("Outliers by the 1.5 × IQR rule")
def outliers(lab):
    df = _data()
    for species, column in [("Adelie", "flipper_length_mm"), ("Chinstrap", "body_mass_g")]:
        values = df.loc[df["species"] == species, column]
        name = f"{column} of the {species} penguins"
        q1, q3 = values.quantile(0.25), values.quantile(0.75)
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        got_low, got_high, mask = lab.iqr_outliers(values.copy())
        expect(
            pd.notna(got_low) and pd.notna(got_high),
            f"{name}: the fences are NaN because the column has missing values. Compute the quartiles of the "
            "non-missing values: Series.quantile skips NaN, np.percentile does not (np.nanpercentile does).",
        )
        close([got_low, got_high], [low, high], rtol=1e-12, what=f"{name}: fences (low, high)")
        ref = (values < low) | (values > high)
        expect(
            isinstance(mask, pd.Series) and mask.index.equals(values.index),
            f"{name}: the mask must be a boolean Series with the same index as the values passed in.",
        )
        wrong = mask.astype(bool) != ref
        expect(
            not wrong.any(),
            f"{name}: the outlier mask is wrong for rows {list(mask.index[wrong])[:5]}; expected outliers at rows "
            f"{list(ref.index[ref])} (strictly outside the fences; missing values are not outliers).",
        )


@check("Outliers by hand: values exactly on a fence, a missing value, a shuffled index")
def outliers_by_hand(lab):
    # quartiles 2 and 4 (9 values, linear interpolation), IQR 2, fences -1 and 7: -1 and 7 sit
    # exactly on the fences and are NOT outliers; 9 is one; the NaN is not.
    values = pd.Series(
        [4.0, -1.0, 2.0, 9.0, float("nan"), 2.0, 7.0, 4.0, 2.0, 4.0],
        index=[31, 7, 12, 5, 40, 2, 18, 23, 11, 3],
    )
    got_low, got_high, mask = lab.iqr_outliers(values.copy())
    close(
        [got_low, got_high],
        [-1.0, 7.0],
        rtol=1e-12,
        what="fences of [-1, 2, 2, 2, 4, 4, 4, 7, 9] (and a NaN)",
    )
    expect(
        isinstance(mask, pd.Series) and mask.index.equals(values.index),
        "the mask must be a boolean Series with the same index as the values passed in "
        "(including the rows whose value is missing, and in the same order).",
    )
    flagged = sorted(float(v) for v in values[mask.astype(bool)])
    expect(
        flagged == [9.0],
        f"your mask flags the values {flagged}; only 9 is an outlier. Values equal to a fence "
        "(-1 and 7 here) are not: outliers are strictly outside the fences (< low or > high), "
        "and a missing value is never an outlier.",
    )


@check("Works on any data frame, not only the penguins")
def any_frame(lab):
    df = pd.DataFrame(
        {
            "name": ["a", "b", "c", "d", "e"],
            "n": [3, 1, 4, 1, 5],
            "w": [2.5, float("nan"), -1.0, 10.0, float("nan")],
            "g": ["x", "y", "x", "y", "x"],
        }
    )
    _compare_frame(
        lab.numeric_summary(df.copy()),
        df.select_dtypes("number").agg(SUMMARY_COLUMNS).T,
        "numeric summary of a small frame with columns name, n (int), w (float, 2 missing), g",
    )
    got = lab.missing_counts(df.copy())
    expect(
        isinstance(got, pd.Series) and list(got.index) == list(df.columns),
        "missing_counts of a small frame must be a Series indexed by all its columns, in order.",
    )
    close(
        got.to_numpy(dtype=float),
        [0, 0, 2, 0],
        atol=0,
        what="missing values per column of the small frame",
    )
    _compare_frame(
        lab.group_summary(df.copy(), "g", "w"),
        df.groupby("g")["w"].agg(["count", "mean", "std"]),
        "summary of w per g in the small frame",
    )


@check("Correlation matrix of the numeric columns")
def correlation(lab):
    df = _data()
    got = lab.correlation_matrix(df.copy())
    spearman = df.corr(numeric_only=True, method="spearman")
    expect(
        not (
            isinstance(got, pd.DataFrame)
            and got.shape == spearman.shape
            and np.allclose(got.to_numpy(dtype=float), spearman.to_numpy(), atol=1e-9)
        ),
        "these are Spearman (rank) correlations; the lab asks for Pearson correlations, "
        "pandas' default for .corr().",
    )
    _compare_frame(
        got,
        df.corr(numeric_only=True),
        "correlation matrix",
        rtol=1e-9,
        atol=1e-12,
    )


@check("Group-wise summary (per species, per island)")
def groups(lab):
    df = _data()
    for by, column in [("species", "body_mass_g"), ("island", "flipper_length_mm")]:
        ref = df.groupby(by)[column].agg(["count", "mean", "std"])
        got = lab.group_summary(df.copy(), by, column)
        if (
            isinstance(got, pd.DataFrame)
            and "count" in got.columns
            and list(got.index) == list(ref.index)
        ):
            close(
                got["count"].to_numpy(dtype=float),
                ref["count"].to_numpy(dtype=float),
                atol=0,
                what=f"count of {column} per {by}: the number of NON-MISSING values (.count(), not .size())",
            )
        _compare_frame(got, ref, f"summary of {column} per {by}")


@check("A figure is saved as a PNG file")
def figure(lab):
    plt.close("all")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "penguins.png"
        lab.save_figure(_data(), str(path))
        expect(
            path.is_file(),
            f"save_figure did not create a file at the path it was given ({path.name}): "
            "call fig.savefig(path).",
        )
        data = path.read_bytes()
    expect(len(data) > 0, "the saved figure file is empty.")
    expect(
        data.startswith(PNG_SIGNATURE),
        "the saved file is not a PNG image: save with fig.savefig(path) "
        "where path ends in .png (or pass format='png').",
    )
    open_figures = len(plt.get_fignums())
    expect(
        open_figures == 0,
        f"{open_figures} figure(s) still open after save_figure: close the figure "
        "with plt.close(fig) once it is saved.",
    )
