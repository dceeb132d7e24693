"""Checks for the keras-sequence-models lab (Keras 3: runs on any backend)."""

import functools
import math

import keras
import numpy as np

from mlpath.labs.checking import CheckFailed, check, close, expect, forbid
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

if keras.backend.backend() == "torch":  # small models: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

CELL_TYPES = {
    "rnn": keras.layers.SimpleRNNCell,
    "gru": keras.layers.GRUCell,
    "lstm": keras.layers.LSTMCell,
}
LAYERS = {"rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU, "lstm": keras.layers.LSTM}
BY_HAND = (
    "rnn_cell and rnn_sequence must be written by hand with keras.ops, without a recurrent "
    "layer or cell of keras.layers."
)
RECURRENT = tuple(
    f"keras.layers.{name}"
    for name in ("SimpleRNN", "SimpleRNNCell", "RNN", "GRU", "GRUCell", "LSTM", "LSTMCell")
)
RTOL, ATOL = 1e-5, 1e-6  # float32: Keras computes in float32 whatever the NumPy dtype


def numpy(t, what):
    try:
        return np.asarray(keras.ops.convert_to_numpy(t), dtype=float)
    except Exception:  # anything that is not a tensor
        raise CheckFailed(
            f"{what}: expected a tensor or an array, got {type(t).__name__}."
        ) from None


def _f32(*arrays):
    return tuple(np.asarray(a, dtype=np.float32) for a in arrays)


def _random_weights(seed, n_in, units):
    rng = np.random.default_rng(seed)
    return _f32(
        rng.normal(size=(n_in, units)) * 0.6,
        rng.normal(size=(units, units)) * 0.4,
        rng.normal(size=units) * 0.5,  # a bias that is not zero, so that it counts
    )


def _keras_layer(layer, n_in, weights):
    layer.build((None, n_in) if isinstance(layer, keras.layers.SimpleRNNCell) else (None, 1, n_in))
    layer.set_weights(list(weights))
    return layer


def _recurrent_layers(model):
    """Every recurrent layer of a model, also inside nested models."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.RNN):
            found.append(layer)
        elif isinstance(layer, keras.Model):
            found += _recurrent_layers(layer)
    return found


def _weights(model):
    return np.concatenate([np.ravel(w) for w in model.get_weights()])


@check("rnn_cell: tanh(x @ kernel + h @ recurrent_kernel + bias), as keras.layers.SimpleRNNCell")
def cell_step(lab):
    # square kernels first (inputs = units = 3): PyTorch-style transposes give wrong numbers, not a crash
    kernel, recurrent, bias = _random_weights(5, 3, 3)
    rng = np.random.default_rng(6)
    x, h = _f32(rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))
    with forbid(lab, *RECURRENT, rule=BY_HAND):
        got = numpy(lab.rnn_cell(x, h, kernel, recurrent, bias), "rnn_cell")
    transposed = np.tanh(x @ kernel.T + h @ recurrent.T + bias)
    expect(
        got.shape != (4, 3) or not np.allclose(got, transposed, rtol=1e-4, atol=1e-5),
        "rnn_cell computes tanh(x @ kernel.T + h @ recurrent_kernel.T + bias), PyTorch's layout: Keras "
        "stores kernel as (inputs, units) and recurrent_kernel as (units, units), so it is x @ kernel "
        "and h @ recurrent_kernel, no transpose.",
    )
    # worked by hand: 1*1 + 2*(-0.5) + 0.5*2 + 0.25 = 1.25
    x, h, kernel, recurrent, bias = _f32([[1.0, 2.0]], [[0.5]], [[1.0], [-0.5]], [[2.0]], [0.25])
    with forbid(lab, *RECURRENT, rule=BY_HAND):
        got = numpy(lab.rnn_cell(x, h, kernel, recurrent, bias), "rnn_cell")
    expect(
        got.shape == (1, 1),
        f"rnn_cell on a batch of 1 with 1 unit gave shape {got.shape}; expected (1, 1) = (batch, units).",
    )
    if math.isclose(float(got[0, 0]), 1.25, rel_tol=1e-4):
        raise CheckFailed(
            "rnn_cell returned the pre-activation x @ kernel + h @ recurrent_kernel + bias = 1.25 "
            "for the worked example; apply tanh to it (keras.ops.tanh): the new state is tanh(1.25)."
        )
    close(
        got,
        [[math.tanh(1.25)]],
        rtol=RTOL,
        atol=ATOL,
        what="rnn_cell(x=[[1, 2]], h=[[0.5]], kernel=[[1], [-0.5]], recurrent_kernel=[[2]], bias=[0.25]) "
        "(by hand: tanh(1 - 1 + 1 + 0.25) = tanh(1.25))",
    )
    for seed, (n, n_in, units) in enumerate(((4, 3, 5), (1, 2, 1), (3, 1, 4))):
        weights = _random_weights(seed, n_in, units)
        rng = np.random.default_rng(10 + seed)
        x, h = _f32(rng.normal(size=(n, n_in)), rng.normal(size=(n, units)))
        cell = _keras_layer(keras.layers.SimpleRNNCell(units), n_in, weights)
        want = numpy(cell(x, [h])[0], "SimpleRNNCell")
        with forbid(lab, *RECURRENT, rule=BY_HAND):
            got = numpy(lab.rnn_cell(x, h, *weights), "rnn_cell")
        expect(
            got.shape == want.shape,
            f"rnn_cell with a batch of {n}, {n_in} inputs and {units} units gave shape {got.shape}; "
            f"expected {want.shape} = (batch, units). Keras stores kernel as (inputs, units): x @ kernel, no transpose.",
        )
        close(
            got,
            want,
            rtol=RTOL,
            atol=ATOL,
            what=f"new state h' for batch {n}, {n_in} inputs, {units} units vs keras.layers.SimpleRNNCell "
            "with the same weights (tanh of both products plus the bias)",
        )


def _reference_sequence(x, h0, weights):
    layer = keras.layers.SimpleRNN(h0.shape[1], return_sequences=True)
    _keras_layer(layer, x.shape[2], weights)
    return numpy(layer(x, initial_state=[h0]), "SimpleRNN")


def _by_hand_sequence():
    """Row 0: one input of 1, then zeros, from h = 0; row 1: zeros from h0 = 0.5. Weights 1, 0.9, 0."""
    x = np.zeros((2, 6, 1), dtype=np.float32)
    x[0, 0, 0] = 1.0
    h0 = np.array([[0.0], [0.5]], dtype=np.float32)
    states = np.zeros((2, 6, 1))
    for row in range(2):
        h = float(h0[row, 0])
        for t in range(6):
            h = math.tanh(float(x[row, t, 0]) + 0.9 * h)
            states[row, t, 0] = h
    return x, h0, _f32([[1.0]], [[0.9]], [0.0]), states


def _expect_batch_first(lab):
    """On a square batch (batch = time = 4) swapped axes give wrong numbers, not a crash: name them."""
    weights = _random_weights(20, 3, 5)
    rng = np.random.default_rng(30)
    x, h0 = _f32(rng.normal(size=(4, 4, 3)), rng.normal(size=(4, 5)))
    want = _reference_sequence(x, h0, weights)
    swapped = _reference_sequence(np.ascontiguousarray(x.swapaxes(0, 1)), h0, weights)
    with forbid(lab, *RECURRENT, rule=BY_HAND):
        got = numpy(lab.rnn_sequence(x, h0, *weights), "rnn_sequence")
    if got.shape != want.shape:
        return  # the shape checks that follow say what is wrong
    for guess, mistake in (
        (want.swapaxes(0, 1), "stacks the states along axis 0 (time first)"),
        (swapped, "loops over x[t], the batch axis"),
        (swapped.swapaxes(0, 1), "loops over x[t], the batch axis"),
    ):
        expect(
            not np.allclose(got, guess, rtol=1e-4, atol=1e-5),
            f"rnn_sequence {mistake}: Keras is batch-first, x is (batch, time, features), so step t "
            "is x[:, t] (axis 1) and the states are stacked along axis 1 into (batch, time, units).",
        )


@check("rnn_sequence: the cell unrolled over time carries the state, as keras.layers.SimpleRNN")
def sequence(lab):
    _expect_batch_first(lab)
    x, h0, weights, want = _by_hand_sequence()
    with forbid(lab, *RECURRENT, rule=BY_HAND):
        got = numpy(lab.rnn_sequence(x, h0, *weights), "rnn_sequence")
    expect(
        got.shape == (2, 6, 1),
        f"rnn_sequence on 2 sequences of 6 steps with 1 unit gave shape {got.shape}; expected "
        "(2, 6, 1) = (batch, time, units): Keras is batch-first, so time is axis 1 (loop over x[:, t] "
        "and stack the states along axis 1).",
    )
    expect(
        abs(got[0, -1, 0]) > 1e-3,
        f"the first sequence is [1, 0, 0, 0, 0, 0] with kernel 1, recurrent_kernel 0.9 and bias 0, "
        f"so its state at the last step is {want[0, -1, 0]:.4f} (the first input, carried along), but "
        f"rnn_sequence gave {got[0, -1, 0]:.4g}: the hidden state does not carry information across "
        "steps. Feed each step's new h into the next step, starting from h0 only once.",
    )
    expect(
        abs(got[1, 0, 0]) > 1e-3,
        f"the second sequence is all zeros from h0 = 0.5, so its first state is tanh(0.9 * 0.5) = "
        f"{want[1, 0, 0]:.4f}, but rnn_sequence gave {got[1, 0, 0]:.4g}: start from the h0 you are given, "
        "not from zeros.",
    )
    close(
        got,
        want,
        rtol=RTOL,
        atol=ATOL,
        what="hidden states of the worked example (h_t = tanh(x_t + 0.9 h_(t-1)); feed each step's h into the next step)",
    )
    for seed, (n, steps, n_in, units) in enumerate(((2, 7, 3, 5), (3, 1, 2, 2), (1, 3, 4, 2))):
        weights = _random_weights(21 + seed, n_in, units)
        rng = np.random.default_rng(31 + seed)
        x, h0 = _f32(rng.normal(size=(n, steps, n_in)), rng.normal(size=(n, units)))
        want = _reference_sequence(x, h0, weights)
        with forbid(lab, *RECURRENT, rule=BY_HAND):
            got = numpy(lab.rnn_sequence(x, h0, *weights), "rnn_sequence")
        expect(
            got.shape == want.shape,
            f"rnn_sequence on x of shape {x.shape} gave shape {got.shape}; expected {want.shape} = "
            "(batch, time, units): stack the states along axis 1.",
        )
        close(
            got,
            want,
            rtol=RTOL,
            atol=ATOL,
            what=f"hidden states over time for x of shape {x.shape} vs keras.layers.SimpleRNN(return_sequences=True) "
            "with the same weights and initial_state=h0 (feed each step's h into the next step)",
        )


@check("make_windows pairs each window with the next value")
def windows(lab):
    expect_windows(lab.make_windows, lambda a: np.asarray(keras.ops.convert_to_numpy(a)))


def _n_params(cell, units, window):
    reference = keras.Sequential(
        [keras.Input(shape=(window, 1)), LAYERS[cell](units), keras.layers.Dense(1)]
    )
    return reference.count_params()


@check("build_forecaster honours cell, units and window, and reads out the last state only")
def cell_option(lab):
    for cell, cell_type in CELL_TYPES.items():
        for units, window in ((8, WINDOW), (5, 7)):
            call = f"build_forecaster({cell!r}, {units}, {window})"
            keras.utils.set_random_seed(0)
            model = lab.build_forecaster(cell, units, window)
            expect(
                isinstance(model, keras.Model),
                f"{call} must return a keras.Model, got {type(model).__name__}.",
            )
            layers = _recurrent_layers(model)
            expect(
                len(layers) == 1,
                f"{call} has {len(layers)} recurrent layers; expected exactly one (CELLS[cell](units)).",
            )
            got_cell = type(layers[0].cell).__name__
            expect(
                isinstance(layers[0].cell, cell_type),
                f"{call} has a recurrent layer whose cell is {got_cell}; cell={cell!r} asks for "
                f"keras.layers.{LAYERS[cell].__name__} (a {cell_type.__name__}). Honour the cell "
                "argument (CELLS[cell]) instead of a fixed layer.",
            )
            expect(
                layers[0].cell.units == units,
                f"{call} has a recurrent layer of {layers[0].cell.units} units; expected {units}. "
                "Honour the units argument instead of a fixed size.",
            )
            expect(
                tuple(model.input_shape) in ((None, window, 1), (None, None, 1)),
                f"{call} takes inputs of shape {tuple(model.input_shape)}; expected (None, {window}, 1): "
                "honour the window argument in keras.Input(shape=(window, 1)).",
            )
            x = np.random.default_rng(4).normal(size=(3, window, 1)).astype(np.float32)
            out = numpy(model(x, training=False), f"{call}'s output")
            expect(
                out.shape != (3, window, 1),
                f"{call} maps (3, {window}, 1) to {out.shape}: one output per time step. Leave "
                "return_sequences=False (the default) so that the recurrent layer passes on only its "
                "last hidden state to the Dense(1) read-out.",
            )
            expect(
                out.shape in ((3, 1), (3,)),
                f"{call} maps (3, {window}, 1) to {out.shape}; expected (3, 1): one forecast per window.",
            )
            wanted = _n_params(cell, units, window)
            expect(
                model.count_params() == wanted,
                f"{call} has {model.count_params()} parameters; keras.layers.{LAYERS[cell].__name__}({units}) "
                f"(default options) and a Dense(1) read-out have {wanted}.",
            )
            early = x.copy()
            early[:, 0, 0] += 1.0
            expect(
                not np.allclose(numpy(model(early, training=False), "output"), out),
                f"{call}: changing only the FIRST value of each window leaves the forecast unchanged; "
                "the recurrent layer must read the whole window and carry its state to the last step.",
            )


def _train(lab, X, y, seed, epochs, global_seed=None):
    if global_seed is not None:
        keras.utils.set_random_seed(global_seed)
    model = lab.train_forecaster(X, y, "gru", seed=seed, epochs=epochs)
    expect(
        isinstance(model, keras.Model),
        f"train_forecaster must return the trained keras.Model, got {type(model).__name__}.",
    )
    return _weights(model)


def _same(a, b):
    """The same model up to float32 rounding (a full batch shuffled otherwise sums in another order)."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-4, atol=1e-6))


@check(
    "train_forecaster: same seed, same model; another seed, another; seed=None and epochs honoured"
)
def seeds(lab):
    X, y = sliding_windows(noisy_sine(1, n=200))
    first = _train(lab, X, y, 1, 2, global_seed=100)
    expect(
        _same(first, _train(lab, X, y, 1, 2, global_seed=200)),
        "train_forecaster(seed=1) gave different models after different global seeds: it relies on the "
        "global random state. Call keras.utils.set_random_seed(seed) before building the model.",
    )
    expect(
        not _same(first, _train(lab, X, y, 2, 2, global_seed=100)),
        "train_forecaster(seed=1) and train_forecaster(seed=2) gave the same model: the seed is ignored.",
    )
    expect(
        not _same(first, _train(lab, X, y, 1, 3, global_seed=100)),
        "train_forecaster(seed=1) gave the same model with epochs=2 and epochs=3: honour the epochs "
        "argument (model.fit(..., epochs=epochs)).",
    )
    a = _train(lab, X, y, None, 1, global_seed=7)
    b = _train(lab, X, y, None, 1, global_seed=7)
    c = _train(lab, X, y, None, 1)
    expect(
        _same(a, b),
        "train_forecaster(seed=None) gave different models after the same keras.utils.set_random_seed(7): "
        "with seed=None it must draw from the global random state (set no seed of its own), so that a "
        "caller who seeds globally gets the same model.",
    )
    expect(
        not _same(a, c),
        "train_forecaster(seed=None) gave the same model twice in a row: seed=None must leave the "
        "randomness to the global state instead of fixing a seed of its own (only an int seed fixes it).",
    )


@check("forecast: one value per window, in inference mode (dropout off)")
def predict_mode(lab):
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input(shape=(WINDOW, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1),
        ]
    )
    X, _ = sliding_windows(noisy_sine(2, n=60))
    want = numpy(model(X, training=False), "model output").reshape(-1)
    got = numpy(lab.forecast(model, X), "forecast")
    expect(
        got.shape == want.shape,
        f"forecast gave an array of shape {got.shape}; expected {want.shape}, one forecast per window "
        "(reshape the model's (N, 1) output to (N,)).",
    )
    again = numpy(lab.forecast(model, X), "forecast")
    expect(
        np.allclose(got, want, rtol=1e-5, atol=1e-6) and np.array_equal(got, again),
        "on a model with dropout, forecast's values differ from the model's inference-mode output "
        "(or from call to call): forecast with model.predict(X) or model(X, training=False), never "
        "training=True, so that dropout is off.",
    )


def _linear_model(window):
    """A fake forecaster: weights 1..window on the window's values, so every window gives its own answer."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(1, use_bias=False),
        ]
    )
    weights = np.arange(1, window + 1, dtype=np.float32)
    model.set_weights([weights[:, None]])
    return model, weights


@check("forecast_next forecasts from the LAST window of the series")
def next_value(lab):
    for n, window in ((20, 5), (11, 3)):
        series = (np.arange(n) ** 2 / 10.0).astype(np.float32)
        model, weights = _linear_model(window)
        got = lab.forecast_next(model, series, window)
        expect(
            np.size(got) == 1,
            f"forecast_next must return one number, got {np.shape(got)} values.",
        )
        got = float(np.ravel(numpy(got, "forecast_next"))[0])
        for start, mistake in (
            (0, "the FIRST window, series[:window]"),
            (n - window - 1, "series[-window - 1 : -1], one step too early"),
        ):
            expect(
                not math.isclose(
                    got, float(weights @ series[start : start + window]), rel_tol=1e-5
                ),
                f"forecast_next(model, series of {n} values, window={window}) forecast from {mistake}; "
                "the next value after the series is forecast from its last window, series[-window:].",
            )
        close(
            got,
            float(weights @ series[-window:]),
            rtol=1e-5,
            what=f"forecast_next(model, series of {n} values, window={window}) with a model that weighs "
            f"the window by 1..{window} (must forecast from the last window, series[-window:], shape (1, window, 1))",
        )


@functools.cache
def _forecast_mse(lab, cell):
    """Train lab's forecaster with `cell` on the first 700 steps; return (test MSE, persistence MSE)."""
    s = noisy_sine()
    X_train, y_train = sliding_windows(s[:N_TRAIN])
    X_test, y_test = sliding_windows(s[N_TRAIN:])
    model = lab.train_forecaster(X_train, y_train, cell, seed=0)
    expect(
        isinstance(model, keras.Model),
        f"train_forecaster must return the trained keras.Model, got {type(model).__name__}.",
    )
    types = [type(layer.cell) for layer in _recurrent_layers(model)]
    expect(
        types == [CELL_TYPES[cell]],
        f"train_forecaster(..., cell={cell!r}) trained a model whose recurrent cells are "
        f"{[t.__name__ for t in types]}; expected [{CELL_TYPES[cell].__name__}]: pass the cell "
        "argument on to build_forecaster.",
    )
    pred = numpy(lab.forecast(model, X_test), "forecast").reshape(-1)
    expect(
        pred.shape == y_test.shape,
        f"forecast gave {pred.shape[0]} forecasts; expected {y_test.shape[0]} (one per window).",
    )
    return float(np.mean((pred - y_test) ** 2)), persistence_mse(X_test, y_test)


def _check_beats_baseline(lab, cell):
    mse, baseline = _forecast_mse(lab, cell)
    expect_beats_baseline(
        mse,
        baseline,
        cell,
        "that the recurrent layer passes on its last hidden state to the Dense(1) read-out, that "
        "the model is fit on X and y with the MSE for `epochs` full-batch epochs, and that the "
        "training loss goes down.",
    )


@check(f"LSTM forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def lstm_beats_baseline(lab):
    _check_beats_baseline(lab, "lstm")


@check(f"plain RNN (SimpleRNN) forecaster: test MSE at most {MAX_RATIO} x the persistence baseline")
def rnn_beats_baseline(lab):
    _check_beats_baseline(lab, "rnn")
