"""Checks shared by the twin sequence labs (sequence-models in PyTorch, keras-sequence-models).

Both labs forecast the same noisy sine from the same windows, judge ``make_windows``
the same way and hold a forecaster to the same persistence baseline, with the same
messages; only how a learner's arrays are read differs (``as_numpy``).
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from mlpath.labs.checking import at_most, close, expect

WINDOW, N_TRAIN = 12, 700
MAX_RATIO = 0.5  # a forecaster's test MSE must be at most half the persistence baseline's


def noisy_sine(seed: int = 0, n: int = 1000) -> np.ndarray:
    """A noisy sine with period 20 steps: the task is to forecast the next value."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / 20) + 0.1 * rng.standard_normal(n)


def sliding_windows(series: np.ndarray, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """The checker's own windows: X (n, window, 1) and the next values y (n,), float32."""
    n = len(series) - window
    X = np.lib.stride_tricks.sliding_window_view(series, window)[:n]
    return X[:, :, None].astype(np.float32), np.asarray(series[window:], dtype=np.float32)


def persistence_mse(X: np.ndarray, y: np.ndarray) -> float:
    """MSE of forecasting each window's last value ("tomorrow = today")."""
    return float(np.mean((np.asarray(y, dtype=float) - X[:, -1, 0]) ** 2))


# (series, window) cases of make_windows: a ramp, and values that no off-by-one can match
WINDOW_CASES = (
    (np.arange(10.0), 3),
    (np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]), 5),
)


def expect_windows(make_windows: Callable[..., Any], as_numpy: Callable[[Any], np.ndarray]) -> None:
    """make_windows pairs series[i : i + window] with series[i + window], float32, (n, window, 1)."""
    for s, window in WINDOW_CASES:
        n = len(s) - window
        call = f"make_windows({'arange(10)' if window == 3 else s.tolist()}, {window})"
        X, y = (as_numpy(a) for a in make_windows(s, window))
        expect(
            X.shape == (n, window, 1),
            f"{call} gave X of shape {X.shape}; expected {(n, window, 1)} = (windows, time, features).",
        )
        expect(y.shape == (n,), f"{call} gave y of shape {y.shape}; expected {(n,)}.")
        expect(
            X.dtype == np.float32 and y.dtype == np.float32,
            f"X and y should be float32, got {X.dtype} and {y.dtype}.",
        )
        close(
            X[:, :, 0],
            np.stack([s[i : i + window] for i in range(n)]),
            what=f"{call}: windows X[i] = series[i : i + window]",
        )
        close(
            y,
            s[window:],
            what=f"{call}: targets y[i], which must be the value right after window i, series[i + window]",
        )


def expect_beats_baseline(mse: float, baseline: float, cell: str, advice: str) -> None:
    """The forecaster beats persistence, then by the lab's margin; ``advice`` says what to look at."""
    expect(
        mse <= baseline,
        f"the '{cell}' forecaster's test MSE {mse:.4g} is worse than just repeating the last value "
        f"(persistence baseline MSE {baseline:.4g}). Check {advice}",
    )
    at_most(
        mse,
        MAX_RATIO * baseline,
        what=f"test MSE of the '{cell}' forecaster (persistence baseline MSE {baseline:.4g}, "
        f"limit = {MAX_RATIO} x baseline)",
    )
