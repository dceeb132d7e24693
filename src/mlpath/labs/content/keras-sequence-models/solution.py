"""Lab: recurrent networks for sequences in Keras 3 (reference solution)."""

import keras
import numpy as np

CELLS = {"rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU, "lstm": keras.layers.LSTM}


def rnn_cell(x, h, kernel, recurrent_kernel, bias):
    """One step of a simple RNN: h' = tanh(x @ kernel + h @ recurrent_kernel + bias)."""
    ops = keras.ops
    return ops.tanh(ops.matmul(x, kernel) + ops.matmul(h, recurrent_kernel) + bias)


def rnn_sequence(x, h0, kernel, recurrent_kernel, bias):
    """Run rnn_cell over x (N, T, I) from h0 (N, H); return every hidden state (N, T, H)."""
    h, states = h0, []
    for t in range(x.shape[1]):
        h = rnn_cell(x[:, t], h, kernel, recurrent_kernel, bias)
        states.append(h)
    return keras.ops.stack(states, axis=1)


def make_windows(series, window):
    """Inputs series[i : i + window] and targets series[i + window], for every i that fits."""
    series = np.asarray(series, dtype=np.float32)
    n = len(series) - window
    X = np.stack([series[i : i + window] for i in range(n)])[:, :, None]
    y = series[window:]
    return X, y


def build_forecaster(cell="lstm", units=32, window=12):
    """Input (window, 1) -> CELLS[cell](units) (last hidden state only) -> Dense(1)."""
    return keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            CELLS[cell](units),
            keras.layers.Dense(1),
        ]
    )


def train_forecaster(X, y, cell, seed=None, epochs=60):
    """Train build_forecaster(cell) full-batch with Adam on the MSE; return the model."""
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = build_forecaster(cell, window=X.shape[1])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-2), loss="mse")
    model.fit(X, y, epochs=epochs, batch_size=len(X), verbose=0)
    return model


def forecast(model, X):
    """One-step-ahead forecasts (N,) as a NumPy array for windows X (N, window, 1), in inference mode."""
    return np.asarray(model.predict(X, verbose=0)).reshape(-1)


def forecast_next(model, series, window):
    """The forecast of the value right after the end of `series`, from its last `window` values."""
    last = np.asarray(series, dtype=np.float32)[-window:]
    return float(forecast(model, last[None, :, None])[0])
