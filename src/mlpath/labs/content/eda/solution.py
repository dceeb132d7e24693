"""Reference solution: exploratory data analysis of the Palmer penguins."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

SUMMARY_COLUMNS = ["count", "mean", "std", "min", "median", "max"]


def numeric_summary(df):
    return df.select_dtypes("number").agg(SUMMARY_COLUMNS).T


def missing_counts(df):
    return df.isna().sum()


def iqr_outliers(values):
    q1, q3 = values.quantile([0.25, 0.75])
    iqr = q3 - q1
    low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    return float(low), float(high), (values < low) | (values > high)


def correlation_matrix(df):
    return df.select_dtypes("number").corr()


def group_summary(df, by, column):
    return df.groupby(by)[column].agg(["count", "mean", "std"])


def save_figure(df, path):
    fig, ax = plt.subplots(figsize=(5, 4))
    for species, group in df.groupby("species"):
        ax.scatter(group["flipper_length_mm"], group["body_mass_g"], s=10, label=species)
    ax.set_xlabel("flipper length (mm)")
    ax.set_ylabel("body mass (g)")
    ax.legend(title="species")
    fig.savefig(path, dpi=80)
    plt.close(fig)
