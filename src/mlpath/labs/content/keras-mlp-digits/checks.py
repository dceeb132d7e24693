"""Checks for the Keras MLP-on-digits lab (Keras 3: runs on any backend)."""

from functools import cache

import keras
import numpy as np
from sklearn.datasets import load_digits

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect
from mlpath.labs.content._shared.digits import (
    expect_prepared,
    expect_split_60_20_20,
    expect_split_uses_seed,
)

if keras.backend.backend() == "torch":  # a small model: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

SEED = 0
SETTINGS = {
    "n_hidden": 128,
    "dropout": 0.2,
    "lr": 3e-3,
    "batch_size": 128,
    "max_epochs": 60,
    "patience": 8,
}
ACCURACY_FLOOR = 0.95


@cache
def digits():
    return load_digits(return_X_y=True)


@cache
def prepared(lab):
    X, y = digits()
    return lab.prepare_data(X, y, SEED)


@cache
def trained(lab):
    keras.utils.set_random_seed(SEED)
    return lab.train_model(prepared(lab), **SETTINGS)


def probabilities(model, X):
    return np.asarray(model.predict(X, verbose=0), dtype=float)


def mean_cross_entropy(probs, y):
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, None))))


@check("split_indices: disjoint, complete, 60/20/20 and stratified")
def check_split(lab):
    _, y = digits()
    expect_split_60_20_20(lab.split_indices(y, SEED), y)
    expect_split_uses_seed(lab.split_indices, y)


@check("prepare_data: standardized with a scaler fit on the training rows only")
def check_prepare(lab):
    X, y = digits()
    train, val, test = lab.split_indices(y, SEED)
    expect_prepared(prepared(lab), X, y, train, val, test, dtype_reason="")


@check("build_model: Dense(relu) -> Dropout -> Dense(softmax), compiled with Adam(lr)")
def check_build(lab):
    keras.utils.set_random_seed(SEED)
    model = lab.build_model(64, 32, 10, 0.3, 0.01)
    expect(
        isinstance(model, keras.Model),
        f"build_model must return a keras.Model (e.g. keras.Sequential), got {type(model).__name__}.",
    )
    n_params = 64 * 32 + 32 + 32 * 10 + 10
    expect(
        model.count_params() == n_params,
        f"build_model(64, 32, 10, ...) must have {n_params} parameters (Dense(32) then Dense(10)), got {model.count_params()}.",
    )
    drops = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    expect(
        len(drops) == 1 and np.isclose(drops[0].rate, 0.3),
        "build_model must contain one keras.layers.Dropout(dropout).",
    )
    expect(
        model.optimizer is not None,
        "build_model must compile the model (model.compile(optimizer=..., loss=..., metrics=...)).",
    )
    lr = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    close(lr, 0.01, rtol=1e-6, what="the optimizer's learning rate (build_model(..., lr=0.01))")
    probs = probabilities(model, np.random.default_rng(0).normal(size=(5, 64)).astype(np.float32))
    expect(probs.shape == (5, 10), f"the model must output shape (batch, 10), got {probs.shape}.")
    expect(
        np.allclose(probs.sum(axis=1), 1.0, atol=1e-4) and (probs >= 0).all(),
        "the outputs must be class probabilities (each row sums to 1): end with Dense(n_out, activation='softmax') to match the loss 'sparse_categorical_crossentropy'.",
    )
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 64)).astype(np.float32)
    y = rng.integers(0, 10, size=40)
    compiled = model.evaluate(X, y, verbose=0, return_dict=True)["loss"]
    expected = mean_cross_entropy(probabilities(model, X), y)
    expect(
        np.isclose(compiled, expected, rtol=1e-3),
        f"the compiled loss gives {compiled:.4g} where the cross-entropy of the model's own "
        f"probabilities is {expected:.4g}: the loss does not match the outputs. The model ends "
        "with a softmax, so use 'sparse_categorical_crossentropy' with from_logits=False; "
        "from_logits=True applies a second softmax (a double softmax).",
    )


@check("train_model: EarlyStopping on val_loss with patience")
def check_early_stopping(lab):
    _, history = trained(lab)
    expect(
        isinstance(history, dict) and "val_loss" in history,
        "train_model must return (model, history.history) and fit must get validation_data=(X_val, y_val) so that 'val_loss' is recorded.",
    )
    val_loss = np.asarray(history["val_loss"], dtype=float)
    patience, max_epochs = SETTINGS["patience"], SETTINGS["max_epochs"]
    best = int(np.argmin(val_loss))
    stopped_in_time = len(val_loss) == best + patience + 1
    ran_all = len(val_loss) == max_epochs and best + patience + 1 >= max_epochs
    expect(
        stopped_in_time or ran_all,
        f"training ran {len(val_loss)} epochs, but with the lowest val_loss at epoch {best} (0-based) and patience {patience} it should stop after {best + patience + 1} epochs (or run all {max_epochs}): monitor 'val_loss'.",
    )


@check("train_model: the returned model has the best validation loss (restore_best_weights)")
def check_restored(lab):
    model, history = trained(lab)
    data = prepared(lab)
    loss = model.evaluate(data["X_val"], data["y_val"], verbose=0, return_dict=True)["loss"]
    recorded = np.asarray(history["val_loss"], dtype=float)
    if not np.isclose(recorded, loss, rtol=1e-3).any():
        raise CheckFailed(
            f"the returned model's loss on (X_val, y_val) is {loss:.4g}, which matches none of the "
            "epochs' val_loss in history: history's val_loss was not measured on your validation "
            "rows. Pass validation_data=(X_val, y_val) to fit (validation_split takes the last "
            "rows of the training data instead)."
        )
    close(
        loss,
        recorded.min(),
        rtol=1e-3,
        what="validation loss of the returned model vs the lowest val_loss in history: return "
        "the weights of the epoch with the lowest val_loss "
        "(EarlyStopping(monitor='val_loss', restore_best_weights=True))",
    )


@check("predict_classes: one deterministic label per row")
def check_predict(lab):
    model, _ = trained(lab)
    X_val = prepared(lab)["X_val"]
    first, second = (
        np.asarray(lab.predict_classes(model, X_val)),
        np.asarray(lab.predict_classes(model, X_val)),
    )
    expect(
        first.shape == (len(X_val),),
        f"predict_classes must return one label per row, shape ({len(X_val)},), got {first.shape}.",
    )
    expect(
        np.array_equal(first, second),
        "predict_classes gave different labels for the same input: predict in inference mode (model.predict, or model(X, training=False)).",
    )
    close(
        first,
        probabilities(model, X_val).argmax(axis=1),
        what="predicted labels (argmax of the predicted probabilities)",
    )


@check(f"test accuracy is at least {ACCURACY_FLOOR}")
def check_accuracy(lab):
    model, _ = trained(lab)
    data = prepared(lab)
    at_least(
        np.mean(probabilities(model, data["X_test"]).argmax(axis=1) == data["y_test"]),
        ACCURACY_FLOOR,
        what="test accuracy",
    )
