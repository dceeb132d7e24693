"""Checks for the MLP-on-digits lab."""

from functools import cache

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect
from mlpath.labs.content._shared.digits import (
    expect_prepared,
    expect_split_60_20_20,
    expect_split_uses_seed,
)
from mlpath.labs.content._shared.modes import dropout_calls, expect_train_and_eval_modes

torch.set_num_threads(1)  # tiny models: one thread is fastest and never oversubscribes the CPU

SEED = 0
SETTINGS = {
    "n_hidden": 128,
    "p_drop": 0.2,
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
    """(model, history, dropout calls during training: (rows, training flag) each)."""
    data = prepared(lab)
    torch.manual_seed(SEED)
    with dropout_calls() as calls:
        model, history = lab.train_mlp(
            data["X_train"], data["y_train"], data["X_val"], data["y_val"], **SETTINGS
        )
    return model, history, tuple(calls)


@check("split_indices: disjoint, complete, 60/20/20 and stratified")
def check_split(lab):
    _, y = digits()
    expect_split_60_20_20(lab.split_indices(y, SEED), y)
    expect_split_uses_seed(lab.split_indices, y)


@check("prepare_data: standardized with a scaler fit on the training rows only")
def check_prepare(lab):
    X, y = digits()
    train, val, test = lab.split_indices(y, SEED)
    expect_prepared(
        prepared(lab), X, y, train, val, test, dtype_reason=" (what torch layers expect)"
    )


@check("build_mlp: Linear -> ReLU -> Dropout -> Linear")
def check_build(lab):
    torch.manual_seed(SEED)
    model = lab.build_mlp(64, 32, 10, 0.3)
    expect(
        isinstance(model, nn.Module),
        f"build_mlp must return an nn.Module, got {type(model).__name__}.",
    )
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    expect(
        [(m.in_features, m.out_features) for m in linears] == [(64, 32), (32, 10)],
        "build_mlp(64, 32, 10, 0.3) must contain nn.Linear(64, 32) and nn.Linear(32, 10).",
    )
    drops = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    expect(len(drops) == 1 and drops[0].p == 0.3, "build_mlp must contain one nn.Dropout(p_drop).")
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(16, 64, generator=torch.Generator().manual_seed(1)))
    expect(
        not ((out >= 0).all() and torch.allclose(out.sum(dim=1), torch.ones(16), atol=1e-4)),
        "build_mlp's outputs are probabilities (each row sums to 1): end with the last "
        "nn.Linear and return logits. nn.functional.cross_entropy applies log-softmax itself, "
        "so a softmax before it is a double softmax that trains badly.",
    )


@check("evaluate_loss: the mean cross-entropy in evaluation mode")
def check_evaluate_loss(lab):
    torch.manual_seed(4)
    model = lab.build_mlp(64, 32, 10, 0.5).train()
    g = torch.Generator().manual_seed(5)
    X = torch.randn(50, 64, generator=g).numpy()
    y = torch.randint(0, 10, (50,), generator=g).numpy()
    with torch.no_grad():
        expected = nn.functional.cross_entropy(
            model.eval()(torch.as_tensor(X)), torch.as_tensor(y)
        ).item()
    model.train()
    got = lab.evaluate_loss(model, X, y)
    if not np.isclose(float(got), expected, rtol=1e-4):
        expect(
            False,
            f"evaluate_loss gave {float(got):.4g}, but the eval-mode cross-entropy is {expected:.4g}: "
            "call model.eval() before computing the loss, so that dropout is off for validation.",
        )


@check("train_mlp: batches in training mode, validation in evaluation mode")
def check_modes(lab):
    _, _, calls = trained(lab)
    expect_train_and_eval_modes(
        calls, len(prepared(lab)["X_val"]), SETTINGS["batch_size"], "evaluate_loss"
    )


@check("train_mlp: early stopping on the validation loss with patience")
def check_early_stopping(lab):
    _, history, _ = trained(lab)
    val_loss = np.asarray(history["val_loss"], dtype=float)
    patience, max_epochs = SETTINGS["patience"], SETTINGS["max_epochs"]
    expect(
        1 <= len(val_loss) <= max_epochs,
        f"history['val_loss'] must hold one value per epoch run (1..{max_epochs}), got {len(val_loss)}.",
    )
    best = int(np.argmin(val_loss))
    expect(
        history["best_epoch"] == best,
        f"history['best_epoch'] is {history['best_epoch']}, but the lowest validation loss is at epoch {best} (0-based).",
    )
    expect(
        len(val_loss) in (best + patience + 1, max_epochs),
        f"training ran {len(val_loss)} epochs, but with the best epoch {best} and patience {patience} it should stop after epoch {best + patience} ({best + patience + 1} epochs), or run all {max_epochs}.",
    )


@check("train_mlp: the returned model has the best validation loss (weights restored)")
def check_restored(lab):
    model, history, _ = trained(lab)
    data = prepared(lab)
    model.eval()
    with torch.no_grad():
        loss = nn.functional.cross_entropy(
            model(torch.as_tensor(data["X_val"])), torch.as_tensor(data["y_val"])
        ).item()
    recorded = np.asarray(history["val_loss"], dtype=float)
    if (
        not np.isclose(loss, recorded.min(), rtol=1e-4)
        and not np.isclose(loss, recorded, rtol=1e-4).any()
    ):
        raise CheckFailed(
            f"the returned model's validation loss in eval mode ({loss:.4g}) matches none of the "
            "losses in history['val_loss']: the history was not measured the way a kept model is "
            "judged. Compute each epoch's validation loss with evaluate_loss (eval mode, no "
            "gradients), on the validation rows."
        )
    close(
        loss,
        min(history["val_loss"]),
        rtol=1e-4,
        what="validation loss of the returned model (eval mode) vs the best one in history — keep a copy of the best weights and load them back at the end",
    )


@check("predict: deterministic class labels (evaluation mode)")
def check_predict(lab):
    model, _, _ = trained(lab)
    X_val = prepared(lab)["X_val"]
    model.train()
    first, second = np.asarray(lab.predict(model, X_val)), np.asarray(lab.predict(model, X_val))
    expect(
        first.shape == (len(X_val),),
        f"predict must return one label per row, shape ({len(X_val)},), got {first.shape}.",
    )
    expect(
        np.array_equal(first, second),
        "predict gave different labels for the same input: dropout is still active. Call model.eval() before predicting.",
    )


@check(f"test accuracy is at least {ACCURACY_FLOOR}")
def check_accuracy(lab):
    model, _, _ = trained(lab)
    data = prepared(lab)
    model.eval()
    with torch.no_grad():
        pred = model(torch.as_tensor(data["X_test"])).argmax(dim=1).numpy()
    at_least(np.mean(pred == data["y_test"]), ACCURACY_FLOOR, what="test accuracy")
