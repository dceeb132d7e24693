"""Lab: exploratory data analysis of the Palmer penguins.

Implement every function marked TODO, then run `mlpath check exploratory-data-analysis`.
Each function receives the penguins DataFrame (344 rows, 8 columns, some values missing), as
returned by palmerpenguins.load_penguins(). Try it yourself:

    from palmerpenguins import load_penguins
    df = load_penguins()
"""

import matplotlib

matplotlib.use("Agg")  # draw to files, no window needed

import matplotlib.pyplot as plt  # noqa: F401 (you will need it)
import numpy as np  # noqa: F401
import pandas as pd  # noqa: F401

SUMMARY_COLUMNS = ["count", "mean", "std", "min", "median", "max"]


def numeric_summary(df):
    """Summary statistics of every numeric column.

    Output: a DataFrame with one ROW per numeric column of df (in df's column order; `year` counts
    as numeric) and the columns SUMMARY_COLUMNS. `count` is the number of non-missing values of
    that column, `std` the sample standard deviation (ddof=1); missing values are skipped column
    by column. Checked against pandas' own aggregations with rtol=1e-9.
    """
    # TODO: select the numeric columns, aggregate, transpose.
    raise NotImplementedError


def missing_counts(df):
    """Number of missing values in each column.

    Output: an integer Series indexed by ALL column names of df, in df's column order.
    Checked exactly against pandas.
    """
    # TODO
    raise NotImplementedError


def iqr_outliers(values):
    """Outliers of a numeric Series by the 1.5 × IQR rule.

    Input: values: a float Series that may contain NaN.
    Output: (low, high, mask): the fences low = Q1 - 1.5 * IQR and high = Q3 + 1.5 * IQR as floats,
    where Q1, Q3 are the 25% and 75% quantiles of the non-missing values (Series.quantile, linear
    interpolation) and IQR = Q3 - Q1; mask is a boolean Series with values' index, True where a
    value is strictly below low or strictly above high (missing values are not outliers).
    Checked: fences with rtol=1e-12, the mask exactly.
    """
    # TODO: quartiles, fences, then a boolean comparison.
    raise NotImplementedError


def correlation_matrix(df):
    """Pearson correlation matrix of the numeric columns.

    Output: a square DataFrame indexed and labelled by the numeric column names (df's order);
    each pair uses the rows where both values are present. Checked with rtol=1e-9, atol=1e-12.
    """
    # TODO
    raise NotImplementedError


def group_summary(df, by, column):
    """Summary of one numeric column per group.

    Input: by: name of the grouping column (e.g. "species"); column: a numeric column name.
    Output: a DataFrame indexed by the group labels in sorted order, with the columns
    ["count", "mean", "std"]: the number of NON-MISSING values, their mean and sample standard
    deviation (ddof=1) in each group. Checked with rtol=1e-9.
    """
    # TODO: groupby, select the column, aggregate.
    raise NotImplementedError


def save_figure(df, path):
    """Draw a figure that shows something about the data and save it as a PNG file at `path`.

    Suggestion: a scatter plot of flipper_length_mm (x) against body_mass_g (y), one colour per
    species, with axis labels and a legend. Close the figure after saving (plt.close(fig)) so
    figures do not pile up in memory. Checked: a non-empty PNG file exists at `path` and no
    figure is left open.
    """
    # TODO: fig, ax = plt.subplots(); ...; fig.savefig(path); plt.close(fig)
    raise NotImplementedError
