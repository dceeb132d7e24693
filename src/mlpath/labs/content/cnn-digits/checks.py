"""Checks for the cnn-digits lab."""

import functools

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from mlpath.labs.checking import at_least, check, close, expect
from mlpath.labs.content._shared.digits import expect_seeded_stratified_split
from mlpath.labs.content._shared.modes import dropout_calls, expect_train_and_eval_modes

torch.set_num_threads(1)

CONV_CASES = [  # (size, kernel_size, stride, padding, dilation)
    (8, 3, 1, 0, 1),
    (8, 3, 1, 1, 1),
    (28, 5, 2, 2, 1),
    (32, 3, 2, 0, 1),
    (10, 3, 1, 0, 2),
    (9, 4, 3, 1, 1),
    (7, 3, 2, 1, 2),
]
POOL_CASES = [(8, 2, 2, 0, 1), (7, 2, 2, 0, 1), (9, 3, 2, 1, 1), (6, 3, 1, 1, 1)]
ACCURACY_FLOOR = 0.92  # global-average-pooling designs reach 0.94-0.975; flatten 0.98-0.99


def _digits():
    data = load_digits()
    return data.data, data.target


@functools.cache
def _trained(lab):
    X, y = _digits()
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=0
    )
    torch.manual_seed(0)
    with dropout_calls() as calls:
        model = lab.train_cnn(X_train, y_train, X_val, y_val, seed=0)
    return model, X_test, y_test, tuple(calls), len(X_val)


def _case_text(size, k, s, p, d):
    return f"size={size}, kernel_size={k}, stride={s}, padding={p}, dilation={d}"


@check("conv_output_size matches nn.Conv2d")
def conv_sizes(lab):
    for size, k, s, p, d in CONV_CASES:
        conv = nn.Conv2d(1, 1, kernel_size=k, stride=s, padding=p, dilation=d)
        expected = conv(torch.zeros(1, 1, size, size)).shape[-1]
        got = lab.conv_output_size(size, k, stride=s, padding=p, dilation=d)
        expect(
            got == expected,
            f"conv_output_size({_case_text(size, k, s, p, d)}) returned {got}, but nn.Conv2d gives "
            f"{expected}. Use floor((size + 2*padding - dilation*(kernel_size-1) - 1) / stride) + 1.",
        )


@check("conv_output_size also gives nn.MaxPool2d output sizes")
def pool_sizes(lab):
    for size, k, s, p, d in POOL_CASES:
        pool = nn.MaxPool2d(kernel_size=k, stride=s, padding=p, dilation=d)
        expected = pool(torch.zeros(1, 1, size, size)).shape[-1]
        got = lab.conv_output_size(size, k, stride=s, padding=p, dilation=d)
        expect(
            got == expected,
            f"conv_output_size({_case_text(size, k, s, p, d)}) returned {got}, but nn.MaxPool2d gives "
            f"{expected} (pooling rounds down, like a convolution).",
        )


@check("to_tensor reshapes to (N, 1, 8, 8) float32 in [0, 1]")
def tensor_format(lab):
    X, _ = _digits()
    t = lab.to_tensor(X[:5])
    expect(
        isinstance(t, torch.Tensor),
        f"to_tensor should return a torch.Tensor, got {type(t).__name__}.",
    )
    expect(
        tuple(t.shape) == (5, 1, 8, 8),
        f"to_tensor(X[:5]) has shape {tuple(t.shape)}; expected (5, 1, 8, 8).",
    )
    expect(
        t.dtype == torch.float32,
        f"to_tensor should give float32 (what nn.Conv2d expects), got {t.dtype}.",
    )
    expect(
        float(t.max()) <= 1.0 and float(t.min()) >= 0.0,
        f"to_tensor values range over [{float(t.min()):g}, {float(t.max()):g}]; scale pixels to [0, 1] "
        "(the digits pixels go from 0 to 16, so divide by 16).",
    )
    close(t.reshape(5, 64).numpy(), X[:5] / 16.0, rtol=1e-6, what="to_tensor(X[:5]) flattened")


@check("split_indices is a stratified 60/20/20 split")
def split(lab):
    _, y = _digits()
    expect_seeded_stratified_split(lab, y)


@check("build_cnn gives (N, 10) logits and uses convolutions")
def architecture(lab):
    torch.manual_seed(0)
    model = lab.build_cnn()
    expect(
        isinstance(model, nn.Module),
        f"build_cnn should return an nn.Module, got {type(model).__name__}.",
    )
    expect(
        any(isinstance(m, nn.Conv2d) for m in model.modules()),
        "build_cnn has no nn.Conv2d layer; this lab is about convolutional networks.",
    )
    out = model(torch.zeros(4, 1, 8, 8))
    expect(
        tuple(out.shape) == (4, 10),
        f"build_cnn()(zeros(4, 1, 8, 8)) has shape {tuple(out.shape)}; expected (4, 10).",
    )


@check(f"test accuracy of the trained CNN is at least {ACCURACY_FLOOR:.0%}")
def test_accuracy(lab):
    model, X_test, y_test, _, _ = _trained(lab)
    pred = np.asarray(lab.predict(model, X_test))
    expect(
        pred.shape == y_test.shape,
        f"predict returned shape {pred.shape}; expected {y_test.shape} (one label per row).",
    )
    at_least(
        float((pred == y_test).mean()), ACCURACY_FLOOR, what="test accuracy (360 held-out digits)"
    )


@check("train_cnn trains in training mode and validates in eval mode")
def modes(lab):
    _, _, _, calls, n_val = _trained(lab)
    expect_train_and_eval_modes(calls, n_val, 64, "predict or accuracy")


def _weights(model):
    return torch.cat([p.detach().cpu().flatten() for p in model.parameters()])


@check("train_cnn uses its seed: same seed, same model; another seed, another model")
def seeds(lab):
    X, y = _digits()
    X, y = X[:240], y[:240]
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        torch.manual_seed(global_seed)
        runs.append(
            _weights(lab.train_cnn(X[:160], y[:160], X[160:], y[160:], seed=seed, epochs=1))
        )
    expect(
        torch.equal(runs[0], runs[1]),
        "train_cnn(seed=1) gave different models after different global seeds: it relies on "
        "the global random state. Call torch.manual_seed(seed) before building the model.",
    )
    expect(
        not torch.equal(runs[0], runs[2]),
        "train_cnn(seed=1) and train_cnn(seed=2) gave the same model: the seed is ignored.",
    )


@check("predict works in eval mode on a model with dropout handed over in training mode")
def predict_mode(lab):
    torch.manual_seed(3)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Dropout(0.5), nn.Linear(256, 10)
    )
    X, _ = _digits()
    X = X[:100]
    model.train()
    torch.manual_seed(4)
    with dropout_calls() as calls:
        got = np.asarray(lab.predict(model, X))
    expect(got.shape == (100,), f"predict returned shape {got.shape}; expected (100,).")
    expect(
        not any(training for _, training in calls),
        "predict ran a model with dropout in training mode: call model.eval() before "
        "predicting, so that dropout is off.",
    )
    with torch.no_grad():
        own = model(torch.as_tensor(lab.to_tensor(X))).argmax(dim=1).numpy()
    expect(
        np.array_equal(got, own),
        "predict's labels differ from the argmax of the model's logits on to_tensor(X): "
        "predict should convert the raw rows with to_tensor and return logits.argmax(dim=1).",
    )
