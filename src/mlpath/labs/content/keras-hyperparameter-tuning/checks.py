"""Checks for the Keras hyperparameter-tuning lab (Keras 3: runs on any backend)."""

import math
from functools import cache

import keras
import numpy as np

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect
from mlpath.labs.content._shared.keras_steps import optimizer_steps
from mlpath.labs.content._shared.tuning import (
    SEED,
    expect_best_chosen,
    expect_every_combination,
    expect_test_score,
    expect_test_unread,
    expect_validation_scores,
    searched,
    splits,
)

if keras.backend.backend() == "torch":  # tiny models: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

EPOCHS = 4
RANGE = {"lr_min": 1e-4, "lr_max": 10.0, "n_steps": 100, "batch_size": 64}
# full batch (batch_size = all 64 rows), so every step's loss is known whatever the row order
FULL_BATCH_RANGE = {"lr_min": 1e-3, "lr_max": 30.0, "n_steps": 25, "batch_size": 64}


def mlp(n_in, width, n_out, dropout=0.0):
    """The checker's own copy of make_model (optionally with a dropout layer)."""
    layers = [keras.Input(shape=(n_in,)), keras.layers.Dense(width, activation="relu")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    return keras.Sequential([*layers, keras.layers.Dense(n_out)])


def logits_of(model, X):
    return np.asarray(keras.ops.convert_to_numpy(model(X, training=False)), dtype=float)


def accuracy(model, X, y):
    return float(np.mean(logits_of(model, X).argmax(axis=1) == y))


def cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(len(y)), y]))


def weights_of(model):
    return np.concatenate([np.ravel(w) for w in model.get_weights()])


@cache
def range_test(lab):
    keras.utils.set_random_seed(SEED)
    X, y = splits()["train"]
    model = lab.make_model(64, 64, 10)
    untrained = cross_entropy(logits_of(model, X), y)
    with optimizer_steps() as steps:
        lrs, losses = lab.lr_range_test(model, X, y, **RANGE)
    return list(lrs), list(losses), steps, untrained


def keras_cosine(base_lr, eta_min, T_max, epochs):
    """Keras's own CosineDecay, one value per epoch (alpha is eta_min as a fraction of base_lr)."""
    decay = keras.optimizers.schedules.CosineDecay(base_lr, T_max, alpha=eta_min / base_lr)
    return [float(keras.ops.convert_to_numpy(decay(epoch))) for epoch in range(epochs)]


@check("accuracy: the argmax of the logits, in inference mode")
def check_accuracy(lab):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, use_bias=False)])
    model.layers[0].set_weights([np.eye(3, dtype=np.float32)])
    X = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 2]]
    y = np.array([0, 1, 1, 2, 2])
    close(
        lab.accuracy(model, X, y),
        0.6,
        what="accuracy of a model predicting classes 0, 1, 2, 0, 2 for labels 0, 1, 1, 2, 2 (3 of 5 right)",
    )
    keras.utils.set_random_seed(1)
    noisy = mlp(64, 32, 10, dropout=0.5)
    X_val, y_val = splits()["val"]
    first, second = lab.accuracy(noisy, X_val, y_val), lab.accuracy(noisy, X_val, y_val)
    expect(
        first == second,
        f"accuracy gave {first:.4f}, then {second:.4f} for the same model with dropout and the same rows: "
        "dropout is still on. Predict in inference mode: model.predict(X) or model(X, training=False), "
        "never training=True.",
    )
    close(
        first,
        accuracy(noisy, X_val, y_val),
        atol=1e-9,
        what="accuracy of a model with dropout (its inference-mode predictions, model(X, training=False))",
    )


@check("lr_range_test: learning rates grow geometrically, the run stops when the loss blows up")
def check_range_lrs(lab):
    lrs, losses, _, _ = range_test(lab)
    lrs = np.asarray(lrs, dtype=float)
    expect(
        len(lrs) == len(losses) >= 10,
        f"lr_range_test must return two lists of the same length (one entry per step), got {len(lrs)} lrs and {len(losses)} losses.",
    )
    ratio = (RANGE["lr_max"] / RANGE["lr_min"]) ** (1 / (RANGE["n_steps"] - 1))
    close(
        lrs,
        RANGE["lr_min"] * ratio ** np.arange(len(lrs)),
        rtol=1e-6,
        what="learning rates of the range test (geometric: lr_min * ratio**step, ratio = (lr_max / lr_min) ** (1 / (n_steps - 1)))",
    )
    expect(
        len(lrs) < RANGE["n_steps"],
        f"the range test ran all {RANGE['n_steps']} steps up to lr={lrs[-1]:.3g} without stopping: stop once the loss is not finite or above 4 times the lowest loss so far (and set each step's lr with model.optimizer.learning_rate = lr).",
    )


@check("lr_range_test: every step really trains with the lr it records")
def check_range_lr_used(lab):
    lrs, _, steps, _ = range_test(lab)
    used = np.array([s.lr for s in steps])
    expect(
        len(used) == len(lrs),
        f"lr_range_test recorded {len(lrs)} steps but the optimizer made {len(used)} updates: make exactly one "
        "update per step (model.train_on_batch on one mini-batch), no extra fit or evaluation updates.",
    )
    if len(used) > 1 and np.allclose(used[1:], np.asarray(lrs[:-1]), rtol=1e-5):
        raise CheckFailed(
            "each step trained with the PREVIOUS step's learning rate: set model.optimizer.learning_rate = lr "
            "before that step's train_on_batch, not after it."
        )
    close(
        used,
        np.asarray(lrs, dtype=float),
        rtol=1e-5,
        what="learning rate the optimizer used at each step vs the lr you recorded for it (set model.optimizer.learning_rate = lr before the step; a new optimizer that is not compiled into the model changes nothing)",
    )


@check("lr_range_test: the loss first falls, then diverges")
def check_range_losses(lab):
    _, losses, _, untrained = range_test(lab)
    losses = np.asarray(losses, dtype=float)
    close(
        losses[0],
        untrained,
        rtol=0.15,
        what="first loss of the range test vs the untrained model's cross-entropy on the training rows (the first mini-batch is scored before any update)",
    )
    at_most(
        np.nanmin(losses),
        0.5 * losses[0],
        what="lowest loss of the range test (it must fall well below the first one as the lr grows)",
    )


def reference_range(initial, X, y, lr_min, lr_max, n_steps, batch_size):
    """Full-batch range test by the checker: (lrs, loss before each step, loss after each step)."""
    model = mlp(64, 16, 10)
    model.set_weights(initial)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr_min, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1))
    lrs, before, after = [], [], []
    for step in range(n_steps):
        lrs.append(lr_min * ratio**step)
        model.optimizer.learning_rate = lrs[-1]
        before.append(float(model.train_on_batch(X, y)))
        after.append(cross_entropy(logits_of(model, X), y))
        if not math.isfinite(before[-1]) or before[-1] > 4 * min(before):
            break
    return lrs, np.array(before), np.array(after)


@check("lr_range_test: each loss is the mini-batch loss before its step (SGD, momentum 0.9)")
def check_range_trajectory(lab):
    X, y = (a[:64] for a in splits()["train"])
    keras.utils.set_random_seed(3)
    model = mlp(64, 16, 10)
    initial = model.get_weights()
    _, losses = lab.lr_range_test(model, X, y, **FULL_BATCH_RANGE)
    losses = np.asarray(losses, dtype=float)
    _, before, after = reference_range(initial, X, y, **FULL_BATCH_RANGE)
    # compare up to the reference's lowest loss: past it, divergence amplifies rounding
    n = min(len(losses), int(np.argmin(before)) + 1)
    expect(
        n >= 5,
        f"on 64 rows with batch_size=64 the range test stopped after {len(losses)} steps, but the loss keeps "
        f"falling for {int(np.argmin(before)) + 1} steps: stop only when the loss is not finite or above 4 times "
        "the lowest so far.",
    )
    if not np.allclose(losses[:n], before[:n], rtol=1e-3, atol=1e-5) and np.allclose(
        losses[:n], after[:n], rtol=1e-3, atol=1e-5
    ):
        raise CheckFailed(
            "your losses are the losses measured after each update, one step late: record the loss that "
            "train_on_batch returns, computed on the batch before its update, so that the curve starts at "
            "the untrained model and each lr is credited with its own step."
        )
    close(
        losses[:n],
        before[:n],
        rtol=1e-3,
        atol=1e-5,
        what=f"losses of a full-batch range test ({FULL_BATCH_RANGE}) vs the checker's: one "
        "train_on_batch per step at lr_min * ratio**step, compiled with SGD(momentum=0.9) and "
        "SparseCategoricalCrossentropy(from_logits=True), recording the loss it returns",
    )


@check("suggest_lr: where the smoothed loss falls fastest (synthetic curve)")
def check_suggest_synthetic(lab):
    lrs = np.geomspace(1e-4, 10.0, 100)
    x = np.log10(lrs)
    losses = (
        2.3
        - 2.0 / (1 + np.exp(-3 * (x + 2)))
        + np.exp(3 * (x - 0.5))
        + np.random.default_rng(0).normal(0, 0.02, 100)
    )
    steepest = 0.01
    suggestion = lab.suggest_lr(list(lrs), list(losses))
    expect(
        steepest / 3 <= suggestion <= steepest * 3,
        f"on a curve that falls fastest at lr=0.01 and is lowest near lr={lrs[np.argmin(losses)]:.2g}, suggest_lr returned {suggestion:.3g}; it must be within a factor of 3 of 0.01. Smooth the losses, keep the points before the minimum, and take the most negative slope against log10(lr).",
    )


@check("suggest_lr: a sane suggestion for the real range test")
def check_suggest_real(lab):
    lrs, losses, _, _ = range_test(lab)
    suggestion = lab.suggest_lr(lrs, losses)
    lowest = lrs[int(np.nanargmin(losses))]
    expect(
        1e-3 <= suggestion <= 1.0,
        f"suggest_lr returned {suggestion:.3g}; for this model and data a sane suggestion lies between 1e-3 and 1.",
    )
    expect(
        suggestion < lowest,
        f"suggest_lr returned {suggestion:.3g}, not below lr={lowest:.3g} where the loss was lowest: that is the edge of divergence. Suggest where the (smoothed) loss falls fastest, before the minimum.",
    )


@check("train_model honours lr, batch_size, epochs and width, and compiles a loss for logits")
def check_train_model(lab):
    X, y = (a[:200] for a in splits()["train"])
    for lr, batch_size, epochs, width in ((0.05, 50, 2, 8), (0.2, 64, 1, 12)):
        with optimizer_steps() as steps:
            model = lab.train_model(
                X, y, lr=lr, batch_size=batch_size, width=width, epochs=epochs, seed=0
            )
        call = f"train_model(lr={lr}, batch_size={batch_size}, width={width}, epochs={epochs}) on 200 rows"
        want = epochs * math.ceil(200 / batch_size)
        expect(
            len(steps) == want,
            f"{call} made {len(steps)} optimizer updates; expected {want} (epochs × ceil(rows / batch_size)): "
            "pass batch_size and epochs to model.fit.",
        )
        close(
            [s.lr for s in steps],
            [lr] * want,
            rtol=1e-5,
            what=f"learning rate of every update of {call} (compile with keras.optimizers.SGD(learning_rate=lr, momentum=0.9))",
        )
        n_params = 64 * width + width + width * 10 + 10
        expect(
            model.count_params() == n_params,
            f"{call} returned a model with {model.count_params()} parameters; make_model(64, {width}, 10) has {n_params}.",
        )
    expect(
        model.optimizer is not None and model.loss is not None,
        "train_model must return the model compiled (model.compile(optimizer=..., loss=...)) and trained with fit.",
    )
    compiled = model.evaluate(X, y, verbose=0, return_dict=True)["loss"]
    expected = cross_entropy(logits_of(model, X), y)
    expect(
        np.isclose(compiled, expected, rtol=1e-3),
        f"the compiled loss gives {compiled:.4g} where the cross-entropy of the model's logits is {expected:.4g}: "
        "make_model outputs logits, so compile with keras.losses.SparseCategoricalCrossentropy(from_logits=True) "
        "(the string 'sparse_categorical_crossentropy' expects probabilities).",
    )


@check("train_model uses its seed: same seed, same model; another seed, another model")
def check_seeds(lab):
    X, y = (a[:200] for a in splits()["train"])
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        keras.utils.set_random_seed(global_seed)
        model = lab.train_model(X, y, lr=0.05, batch_size=50, width=8, epochs=1, seed=seed)
        runs.append(weights_of(model))
    expect(
        np.array_equal(runs[0], runs[1]),
        "train_model(seed=1) gave different models after different global seeds: it relies on the "
        "global random state. Call keras.utils.set_random_seed(seed) at its start, before make_model.",
    )
    expect(
        not np.array_equal(runs[0], runs[2]),
        "train_model(seed=1) and train_model(seed=2) gave the same model: the seed is ignored.",
    )


@check("grid_search: every combination once, scored on validation data")
def check_grid(lab):
    expect_every_combination(searched(lab, EPOCHS)[0])


@check("grid_search: the test split is not used for selection")
def check_no_test(lab):
    expect_test_unread(searched(lab, EPOCHS)[1])


@check("grid_search: val_acc is the validation accuracy of train_model's model")
def check_val_scores(lab):
    results, _ = searched(lab, EPOCHS)
    expect_validation_scores(
        lab, results, accuracy, EPOCHS, "call keras.utils.set_random_seed(seed)"
    )


@check("best_config: the configuration with the highest validation accuracy")
def check_best(lab):
    expect_best_chosen(lab, searched(lab, EPOCHS)[0])


@check("test_accuracy: the chosen configuration, scored once on the test split")
def check_test(lab):
    expect_test_score(lab, searched(lab, EPOCHS)[0], EPOCHS)


@check("cosine_lr: matches keras.optimizers.schedules.CosineDecay")
def check_cosine(lab):
    for base_lr, eta_min, T_max in ((0.1, 0.001, 10), (0.4, 0.0, 7)):
        close(
            [lab.cosine_lr(epoch, base_lr, eta_min, T_max) for epoch in range(T_max + 1)],
            keras_cosine(base_lr, eta_min, T_max, T_max + 1),
            rtol=1e-5,
            atol=1e-9,
            what=f"cosine learning rates for epochs 0..{T_max} (base_lr={base_lr}, eta_min={eta_min}, T_max={T_max})",
        )


def compounded(base_lr, epochs):
    """The lrs of a schedule that mistakes LearningRateScheduler's current lr for base_lr."""
    lrs = [base_lr]
    for epoch in range(1, epochs):
        lrs.append((1 + math.cos(math.pi * epoch / epochs)) / 2 * lrs[-1])
    return lrs


@check("train_with_schedule: one learning rate per epoch, following the cosine schedule")
def check_schedule(lab):
    X, y = splits()["train"]
    epochs, batch_size, base_lr = 6, 128, 0.05
    keras.utils.set_random_seed(SEED)
    with optimizer_steps() as steps:
        lrs = lab.train_with_schedule(
            lab.make_model(64, 32, 10), X, y, epochs=epochs, batch_size=batch_size, base_lr=base_lr
        )
    expected = keras_cosine(base_lr, 0.0, epochs, epochs)
    per_epoch = math.ceil(len(X) / batch_size)
    expect(
        len(steps) == epochs * per_epoch,
        f"train_with_schedule made {len(steps)} optimizer updates; {epochs} epochs of batch_size={batch_size} "
        f"on {len(X)} rows make {epochs * per_epoch}.",
    )
    used = np.array([s.lr for s in steps]).reshape(epochs, per_epoch)
    if not np.allclose(used, used[:, :1], rtol=1e-5):
        raise CheckFailed(
            f"the learning rate changes within an epoch (epoch 0 used {used[0, 0]:.4g} down to {used[0, -1]:.4g}): "
            "a LearningRateSchedule such as CosineDecay given to the optimizer is evaluated at every optimizer "
            "step, so decay_steps counts batches, not epochs. Change the lr once per epoch, with "
            "keras.callbacks.LearningRateScheduler."
        )
    if np.allclose(used[:, 0], compounded(base_lr, epochs), rtol=1e-5):
        raise CheckFailed(
            "the learning rate shrinks too fast: your schedule multiplies the CURRENT lr (the second argument "
            "LearningRateScheduler passes) by the cosine factor, so the decay compounds. Compute each epoch's "
            "lr from base_lr: cosine_lr(epoch, base_lr, 0.0, epochs)."
        )
    close(
        used[:, 0],
        expected,
        rtol=1e-5,
        atol=1e-9,
        what="lr the optimizer used during each epoch (cosine from base_lr at epoch 0, T_max=epochs, eta_min=0)",
    )
    expect(
        len(lrs) == epochs,
        f"train_with_schedule must return one lr per epoch ({epochs}), got {len(lrs)}.",
    )
    close(
        lrs,
        expected,
        rtol=1e-5,
        atol=1e-9,
        what="lrs returned by train_with_schedule, one per epoch (the lr in force during that epoch, e.g. history.history['learning_rate'])",
    )
