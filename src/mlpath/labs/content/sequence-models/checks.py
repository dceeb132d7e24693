"""Checks for the sequence-models lab."""

import functools

import numpy as np
import torch
from torch import nn

from mlpath.labs.checking import at_most, check, close, expect

torch.set_num_threads(2)

WINDOW, N_TRAIN = 12, 700
MAX_RATIO = 0.5  # the forecaster's test MSE must be at most half the persistence baseline's


def _rnn_weights(seed, input_size=3, hidden_size=5):
    torch.manual_seed(seed)
    cell = nn.RNNCell(input_size, hidden_size, dtype=torch.float64)
    return cell, (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)


def _series(seed=0, n=1000):
    """A noisy sine with period 20 steps: the task is to forecast the next value."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / 20) + 0.1 * rng.standard_normal(n)


def _windows(series):
    n = len(series) - WINDOW
    X = np.lib.stride_tricks.sliding_window_view(series, WINDOW)[:n]
    return torch.tensor(X[:, :, None], dtype=torch.float32), torch.tensor(
        series[WINDOW:], dtype=torch.float32
    )


@functools.cache
def _forecast_mse(lab, cell):
    """Train lab's forecaster with `cell` on the first 700 steps; return (test MSE, persistence MSE)."""
    s = _series()
    X_train, y_train = _windows(s[:N_TRAIN])
    X_test, y_test = _windows(s[N_TRAIN:])
    torch.manual_seed(0)
    model = lab.train_forecaster(X_train, y_train, cell, seed=0)
    pred = torch.as_tensor(lab.predict(model, X_test)).detach().cpu().reshape(-1)
    expect(
        pred.shape == y_test.shape,
        f"predict gave {tuple(pred.shape)} forecasts; expected {tuple(y_test.shape)} (one per window).",
    )
    baseline = float(((y_test - X_test[:, -1, 0]) ** 2).mean())
    return float(((pred.float() - y_test) ** 2).mean()), baseline


def _check_beats_baseline(lab, cell):
    mse, baseline = _forecast_mse(lab, cell)
    expect(
        mse <= baseline,
        f"the '{cell}' forecaster's test MSE {mse:.4g} is worse than just repeating the last value "
        f"(persistence baseline MSE {baseline:.4g}). Check that the read-out uses the hidden state of the "
        "LAST time step, that gradients are reset every step (optimizer.zero_grad()), and that the "
        "training loss goes down.",
    )
    at_most(
        mse,
        MAX_RATIO * baseline,
        what=f"test MSE of the '{cell}' forecaster (persistence baseline MSE {baseline:.4g}, "
        f"limit = {MAX_RATIO} x baseline)",
    )


@check("rnn_cell matches nn.RNNCell")
def cell_step(lab):
    cell, weights = _rnn_weights(0)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(4, 3, generator=g, dtype=torch.float64)
    h = torch.randn(4, 5, generator=g, dtype=torch.float64)
    with torch.no_grad():
        got = lab.rnn_cell(x, h, *weights)
        expected = cell(x, h)
    expect(
        tuple(got.shape) == (4, 5),
        f"rnn_cell gave shape {tuple(got.shape)}; expected (4, 5) = (batch, hidden).",
    )
    close(
        got,
        expected,
        rtol=1e-6,
        atol=1e-10,
        what="new hidden state h' vs nn.RNNCell (tanh of both projections plus both biases)",
    )


@check("rnn_sequence matches nn.RNN over a whole sequence")
def sequence(lab):
    _, (W_ih, W_hh, b_ih, b_hh) = _rnn_weights(2)
    rnn = nn.RNN(3, 5, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for name, w in [
            ("weight_ih_l0", W_ih),
            ("weight_hh_l0", W_hh),
            ("bias_ih_l0", b_ih),
            ("bias_hh_l0", b_hh),
        ]:
            getattr(rnn, name).copy_(w)
        g = torch.Generator().manual_seed(3)
        x = torch.randn(2, 7, 3, generator=g, dtype=torch.float64)
        h0 = torch.randn(2, 5, generator=g, dtype=torch.float64)
        got = lab.rnn_sequence(x, h0, W_ih, W_hh, b_ih, b_hh)
        expected, _ = rnn(x, h0[None])
    expect(
        tuple(got.shape) == (2, 7, 5),
        f"rnn_sequence gave shape {tuple(got.shape)}; expected (2, 7, 5) = (batch, time, hidden).",
    )
    close(
        got,
        expected,
        rtol=1e-6,
        atol=1e-10,
        what="hidden states over time vs nn.RNN (feed each step's h into the next step)",
    )


@check("make_windows pairs each window with the next value")
def windows(lab):
    s = np.arange(10.0)
    X, y = lab.make_windows(s, 3)
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    expect(
        tuple(X.shape) == (7, 3, 1),
        f"make_windows(arange(10), 3) gave X of shape {tuple(X.shape)}; expected (7, 3, 1) = (windows, time, features).",
    )
    expect(
        tuple(y.shape) == (7,),
        f"make_windows(arange(10), 3) gave y of shape {tuple(y.shape)}; expected (7,).",
    )
    expect(
        X.dtype == torch.float32 and y.dtype == torch.float32,
        f"X and y should be float32, got {X.dtype} and {y.dtype}.",
    )
    close(
        X[:, :, 0],
        np.stack([s[i : i + 3] for i in range(7)]),
        what="windows X[i] = series[i : i + window]",
    )
    close(
        y,
        s[3:],
        what="targets y[i], which must be the value right after window i, series[i + window]",
    )


@check(f"LSTM/GRU-style forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def lstm_beats_baseline(lab):
    _check_beats_baseline(lab, "lstm")


@check(f"plain RNN forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def rnn_beats_baseline(lab):
    _check_beats_baseline(lab, "rnn")
