"""Lab: recurrent networks for sequences (reference solution)."""

import numpy as np
import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)


def rnn_sequence(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run rnn_cell over x (N, T, I) from h0 (N, H); return all hidden states (N, T, H)."""
    h, outputs = h0, []
    for t in range(x.shape[1]):
        h = rnn_cell(x[:, t], h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1)


def make_windows(series, window):
    """Inputs series[i : i + window] and targets series[i + window], for every i that fits."""
    series = np.asarray(series, dtype=np.float32)
    n = len(series) - window
    X = np.stack([series[i : i + window] for i in range(n)])[:, :, None]
    y = series[window:]
    return torch.from_numpy(X), torch.from_numpy(y)


class Forecaster(nn.Module):
    """A recurrent layer ("rnn", "gru" or "lstm") and a linear read-out of the last hidden state."""

    def __init__(self, cell="lstm", hidden_size=32):
        super().__init__()
        self.rnn = CELLS[cell](input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1]).squeeze(-1)


def train_forecaster(X, y, cell, seed, epochs=60, lr=2e-2):
    """Train a Forecaster(cell) full-batch with Adam on the MSE; return it in eval mode."""
    torch.manual_seed(seed)
    dev = device()
    model = Forecaster(cell).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    X, y = X.to(dev), y.to(dev)
    for _ in range(epochs):
        opt.zero_grad()
        nn.functional.mse_loss(model(X), y).backward()
        opt.step()
    return model.eval()


def predict(model, X):
    """One-step-ahead forecasts (N,) as a CPU tensor for windows X (N, window, 1)."""
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        return model(X.to(dev)).cpu()
