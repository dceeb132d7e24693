"""Lab: recurrent networks for sequences.

Part 1: an Elman RNN cell by hand, checked against nn.RNNCell / nn.RNN on the same weights.
Part 2: one-step-ahead forecasting of a noisy sine with nn.LSTM (or nn.GRU) and nn.RNN,
which must beat the persistence baseline ("tomorrow = today") by a wide margin.

Check your work with:  mlpath check lstm-gru
"""

import numpy as np  # noqa: F401
import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step of an Elman RNN (what nn.RNNCell computes).

    x: (N, I) input at this step, h: (N, H) previous hidden state,
    W_ih: (H, I), W_hh: (H, H), b_ih: (H,), b_hh: (H,).
    Returns the new hidden state (N, H):  tanh(x W_ih^T + b_ih + h W_hh^T + b_hh).
    Checked against nn.RNNCell in float64, rtol=1e-6.
    """
    raise NotImplementedError


def rnn_sequence(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run rnn_cell over a whole sequence.

    x: (N, T, I), h0: (N, H). Returns the hidden state after every step, (N, T, H)
    (what nn.RNN(batch_first=True) returns as its output). Checked against nn.RNN, rtol=1e-6.
    """
    # TODO: loop over t, feed x[:, t] and the previous h to rnn_cell, collect the h's (torch.stack).
    raise NotImplementedError


def make_windows(series, window):
    """Cut a 1-D series into (input window, next value) pairs.

    series: 1-D array of length L. Returns (X, y) as float32 torch tensors:
    X (L - window, window, 1) with X[i, :, 0] = series[i : i + window], and
    y (L - window,) with y[i] = series[i + window], the value right after the window.
    """
    raise NotImplementedError


class Forecaster(nn.Module):
    """Recurrent forecaster: (N, window, 1) -> (N,) next-value predictions.

    cell is "rnn", "gru" or "lstm" (use CELLS[cell] with input_size=1 and batch_first=True);
    a linear layer reads the hidden state of the LAST time step out to one number.
    """

    def __init__(self, cell="lstm", hidden_size=32):
        super().__init__()
        # TODO: the recurrent layer and a nn.Linear(hidden_size, 1) head.
        raise NotImplementedError

    def forward(self, x):
        # TODO: out, _ = recurrent layer(x); read out out[:, -1]; squeeze to shape (N,).
        raise NotImplementedError


def train_forecaster(X, y, cell, seed, epochs=60):
    """Train a Forecaster(cell) for `epochs` full-batch steps on windows X (N, window, 1) and targets y (N,); return it.

    Set torch.manual_seed(seed) first, so that the seed alone decides the result (the check
    trains a few steps with seeds 1, 1 and 2 after different global seeds). Full-batch Adam
    on the mean squared error works well (the reference uses lr=2e-2 for 60 steps). The check
    trains "lstm" and "rnn" on 688 windows of the first 700 steps and tests on the rest; it
    must finish in a few seconds.
    """
    raise NotImplementedError


def predict(model, X):
    """Forecasts (N,) as a CPU tensor for windows X (N, window, 1), in eval mode without gradients.

    `model` is any module mapping (N, window, 1) to (N,), possibly with dropout: call
    model.eval() so that dropout is off while forecasting.
    """
    raise NotImplementedError
