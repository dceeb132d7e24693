"""Checks for the sequence-models lab."""

import functools

import torch
from torch import nn

from mlpath.labs.checking import check, close, expect
from mlpath.labs.content._shared.sequences import (
    MAX_RATIO,
    N_TRAIN,
    WINDOW,
    expect_beats_baseline,
    expect_windows,
    noisy_sine,
    persistence_mse,
    sliding_windows,
)

torch.set_num_threads(1)


def _rnn_weights(seed, input_size=3, hidden_size=5):
    torch.manual_seed(seed)
    cell = nn.RNNCell(input_size, hidden_size, dtype=torch.float64)
    return cell, (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)


def _windows(series):
    X, y = sliding_windows(series)
    return torch.from_numpy(X), torch.from_numpy(y)


@functools.cache
def _forecast_mse(lab, cell):
    """Train lab's forecaster with `cell` on the first 700 steps; return (test MSE, persistence MSE)."""
    s = noisy_sine()
    X_train, y_train = _windows(s[:N_TRAIN])
    X_test, y_test = _windows(s[N_TRAIN:])
    torch.manual_seed(0)
    model = lab.train_forecaster(X_train, y_train, cell, seed=0)
    pred = torch.as_tensor(lab.predict(model, X_test)).detach().cpu().reshape(-1)
    expect(
        pred.shape == y_test.shape,
        f"predict gave {tuple(pred.shape)} forecasts; expected {tuple(y_test.shape)} (one per window).",
    )
    baseline = persistence_mse(X_test.numpy(), y_test.numpy())
    return float(((pred.float() - y_test) ** 2).mean()), baseline


def _check_beats_baseline(lab, cell):
    mse, baseline = _forecast_mse(lab, cell)
    expect_beats_baseline(
        mse,
        baseline,
        cell,
        "that the read-out uses the hidden state of the LAST time step, that gradients are reset "
        "every step (optimizer.zero_grad()), and that the training loss goes down.",
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
    expect_windows(lab.make_windows, lambda a: torch.as_tensor(a).detach().cpu().numpy())


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


@check("Forecaster honours its cell and hidden_size arguments")
def cell_option(lab):
    x = torch.randn(3, WINDOW, 1, generator=torch.Generator().manual_seed(4))
    for cell, layer in (("rnn", nn.RNN), ("gru", nn.GRU), ("lstm", nn.LSTM)):
        for hidden in (8, 5):
            torch.manual_seed(0)
            model = lab.Forecaster(cell, hidden)
            wanted = _n_params(layer(1, hidden)) + _n_params(nn.Linear(hidden, 1))
            got = _n_params(model)
            expect(
                got == wanted,
                f"Forecaster({cell!r}, {hidden}) has {got} parameters; {layer.__name__}(1, {hidden}) "
                f"plus a Linear({hidden}, 1) head has {wanted}. Honour the cell argument "
                "(CELLS[cell]) and the hidden_size argument instead of a fixed layer or size.",
            )
            with torch.no_grad():
                out = model(x)
            expect(
                tuple(out.shape) == (3,),
                f"Forecaster({cell!r}, {hidden}) maps (3, {WINDOW}, 1) to {tuple(out.shape)}; "
                "expected (3,): one forecast per window (squeeze the head's last axis).",
            )


def _weights(model):
    return torch.cat([p.detach().cpu().flatten() for p in model.parameters()])


@check("train_forecaster uses its seed: same seed, same model; another seed, another model")
def seeds(lab):
    s = noisy_sine(1, n=200)
    X, y = _windows(s)
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        torch.manual_seed(global_seed)
        runs.append(_weights(lab.train_forecaster(X, y, "gru", seed=seed, epochs=2)))
    expect(
        torch.equal(runs[0], runs[1]),
        "train_forecaster(seed=1) gave different models after different global seeds: it relies "
        "on the global random state. Call torch.manual_seed(seed) before building the model.",
    )
    expect(
        not torch.equal(runs[0], runs[2]),
        "train_forecaster(seed=1) and train_forecaster(seed=2) gave the same model: the seed is ignored.",
    )


class _DropoutForecaster(nn.Module):
    """A forecaster with dropout, so that forecasting in training mode changes the output."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(WINDOW, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 1)
        )

    def forward(self, x):
        return self.net(x).squeeze(-1)


@check("predict forecasts in eval mode (dropout off)")
def predict_mode(lab):
    torch.manual_seed(0)
    model = _DropoutForecaster().train()
    X, _ = _windows(noisy_sine(2, n=60))
    with torch.no_grad():
        expected = model.eval()(X)
    model.train()
    torch.manual_seed(1)
    got = torch.as_tensor(lab.predict(model, X)).detach().cpu().reshape(-1)
    expect(
        tuple(got.shape) == tuple(expected.shape),
        f"predict gave {tuple(got.shape)} forecasts; expected {tuple(expected.shape)} (one per window).",
    )
    expect(
        bool(torch.allclose(got, expected, rtol=1e-5, atol=1e-6)),
        "on a model with dropout, predict's forecasts differ from the model's eval-mode output: "
        "call model.eval() before forecasting, so that dropout is switched off (and batch norm "
        "uses its running statistics).",
    )


@check(f"LSTM/GRU-style forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def lstm_beats_baseline(lab):
    _check_beats_baseline(lab, "lstm")


@check(f"plain RNN forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def rnn_beats_baseline(lab):
    _check_beats_baseline(lab, "rnn")
