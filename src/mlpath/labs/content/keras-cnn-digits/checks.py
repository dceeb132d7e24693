"""Checks for the keras-cnn-digits lab (Keras 3, any backend)."""

import functools

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from mlpath.labs.checking import at_least, check, close, expect
from mlpath.labs.content._shared.digits import expect_seeded_stratified_split

if keras.backend.backend() == "torch":  # a small model: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

CONV_CASES = [  # (size, kernel_size, strides, padding, dilation_rate)
    (8, 3, 1, "valid", 1),
    (8, 3, 1, "same", 1),
    (28, 5, 2, "same", 1),
    (32, 3, 2, "valid", 1),
    (9, 4, 3, "valid", 1),
    (7, 3, 2, "same", 1),
    (10, 3, 1, "valid", 2),
    (10, 3, 1, "same", 2),
]
POOL_CASES = [(8, 2, 2, "valid"), (7, 2, 2, "valid"), (7, 2, 2, "same"), (9, 3, 2, "same")]
ACCURACY_FLOOR = 0.92  # as in cnn-digits: room for global average pooling


def _digits():
    data = load_digits()
    return data.data, data.target


def _out_size(layer, size):
    return int(keras.ops.shape(layer(np.zeros((1, size, size, 1), dtype="float32")))[1])


@functools.cache
def _trained(lab):
    X, y = _digits()
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=0
    )
    keras.utils.set_random_seed(0)
    model = lab.train_cnn(X_train, y_train, X_val, y_val, seed=0)
    return model, X_test, y_test


@check("conv_output_size matches keras.layers.Conv2D")
def conv_sizes(lab):
    for size, k, s, pad, d in CONV_CASES:
        layer = keras.layers.Conv2D(1, k, strides=s, padding=pad, dilation_rate=d)
        expected = _out_size(layer, size)
        got = lab.conv_output_size(size, k, strides=s, padding=pad, dilation_rate=d)
        expect(
            got == expected,
            f"conv_output_size(size={size}, kernel_size={k}, strides={s}, padding={pad!r}, dilation_rate={d}) "
            f"returned {got}, but keras.layers.Conv2D gives {expected}. 'valid': "
            "floor((size - dilation_rate*(kernel_size-1) - 1) / strides) + 1; 'same': ceil(size / strides).",
        )


@check("conv_output_size also gives keras.layers.MaxPooling2D output sizes")
def pool_sizes(lab):
    for size, k, s, pad in POOL_CASES:
        expected = _out_size(keras.layers.MaxPooling2D(pool_size=k, strides=s, padding=pad), size)
        got = lab.conv_output_size(size, k, strides=s, padding=pad)
        expect(
            got == expected,
            f"conv_output_size(size={size}, kernel_size={k}, strides={s}, padding={pad!r}) returned {got}, "
            f"but keras.layers.MaxPooling2D gives {expected} (pooling follows the same rules).",
        )


@check("to_array reshapes to (N, 8, 8, 1) float32 in [0, 1]")
def array_format(lab):
    X, _ = _digits()
    a = lab.to_array(X[:5])
    expect(
        isinstance(a, np.ndarray), f"to_array should return a NumPy array, got {type(a).__name__}."
    )
    expect(
        a.shape == (5, 8, 8, 1),
        f"to_array(X[:5]) has shape {a.shape}; expected (5, 8, 8, 1) (Keras images are channels-last).",
    )
    expect(a.dtype == np.float32, f"to_array should give float32, got {a.dtype}.")
    expect(
        a.max() <= 1.0 and a.min() >= 0.0,
        f"to_array values range over [{a.min():g}, {a.max():g}]; scale pixels to [0, 1] "
        "(the digits pixels go from 0 to 16, so divide by 16).",
    )
    close(a.reshape(5, 64), X[:5] / 16.0, rtol=1e-6, what="to_array(X[:5]) flattened")


@check("split_indices is a stratified 60/20/20 split")
def split(lab):
    _, y = _digits()
    expect_seeded_stratified_split(lab, y)


@check("build_cnn gives (N, 10) outputs and uses convolutions")
def architecture(lab):
    keras.utils.set_random_seed(0)
    model = lab.build_cnn()
    expect(
        isinstance(model, keras.Model),
        f"build_cnn should return a keras.Model, got {type(model).__name__}.",
    )
    expect(
        any(isinstance(layer, keras.layers.Conv2D) for layer in model.layers),
        "build_cnn has no keras.layers.Conv2D layer; this lab is about convolutional networks.",
    )
    out = keras.ops.convert_to_numpy(model(np.zeros((4, 8, 8, 1), dtype="float32")))
    expect(
        out.shape == (4, 10),
        f"build_cnn()(zeros(4, 8, 8, 1)) has shape {out.shape}; expected (4, 10).",
    )
    rng = np.random.default_rng(0)
    out = keras.ops.convert_to_numpy(model(rng.uniform(size=(16, 8, 8, 1)).astype("float32")))
    expect(
        not ((out >= 0).all() and np.allclose(out.sum(axis=1), 1.0, atol=1e-4)),
        "build_cnn outputs probabilities (each row sums to 1), but the lab trains with "
        "SparseCategoricalCrossentropy(from_logits=True), which applies its own softmax: "
        "end with Dense(n_classes) and no activation, so that the model returns logits "
        "(a softmax before it is a double softmax).",
    )


@check(f"test accuracy of the trained CNN is at least {ACCURACY_FLOOR:.0%}")
def test_accuracy(lab):
    model, X_test, y_test = _trained(lab)
    pred = np.asarray(lab.predict(model, X_test))
    expect(
        pred.shape == y_test.shape,
        f"predict returned shape {pred.shape}; expected {y_test.shape} (one label per row).",
    )
    at_least(
        float((pred == y_test).mean()), ACCURACY_FLOOR, what="test accuracy (360 held-out digits)"
    )


def _weights(model):
    return np.concatenate([np.ravel(keras.ops.convert_to_numpy(w)) for w in model.weights])


@check("train_cnn uses its seed: same seed, same model; another seed, another model")
def seeds(lab):
    X, y = _digits()
    X, y = X[:240], y[:240]
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        keras.utils.set_random_seed(global_seed)
        model = lab.train_cnn(X[:160], y[:160], X[160:], y[160:], seed=seed, epochs=1)
        runs.append(_weights(model))
    expect(
        runs[0].shape == runs[1].shape and np.array_equal(runs[0], runs[1]),
        "train_cnn(seed=1) gave different models after different global seeds: it relies on "
        "the global random state. Call keras.utils.set_random_seed(seed) before building the model.",
    )
    expect(
        not np.array_equal(runs[0], runs[2]),
        "train_cnn(seed=1) and train_cnn(seed=2) gave the same model: the seed is ignored.",
    )


@check("predict works in inference mode on a model with dropout")
def predict_mode(lab):
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10),
        ]
    )
    X, _ = _digits()
    X = X[:100]
    expected = np.argmax(keras.ops.convert_to_numpy(model(lab.to_array(X), training=False)), axis=1)
    got = np.asarray(lab.predict(model, X))
    expect(got.shape == (100,), f"predict returned shape {got.shape}; expected (100,).")
    expect(
        np.array_equal(got, expected),
        "on a model with dropout, predict's labels differ from its inference-mode argmax: "
        "predict in inference mode (model.predict(...), or model(x, training=False)); "
        "training=True keeps dropout on.",
    )
