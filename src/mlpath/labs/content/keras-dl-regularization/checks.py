"""Checks for the Keras regularization lab (Keras 3: runs on any backend)."""

from functools import cache

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect, forbid

if keras.backend.backend() == "torch":  # small models: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

EPOCHS = 60
REGULARIZED = {"rate": 0.5, "weight_decay": 0.1}
MARGIN = 0.9
DROPOUT_RULE = "dropout must be written by hand with keras.random.uniform and keras.ops."


def numpy(t, what):
    try:
        return np.asarray(keras.ops.convert_to_numpy(t), dtype=float)
    except Exception:  # anything that is not a tensor
        raise CheckFailed(
            f"{what}: expected a tensor or an array, got {type(t).__name__}."
        ) from None


@cache
def noisy_digits():
    """200 training and 500 validation digits, each with 300 extra pure-noise features."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    X = np.hstack([X[order], rng.normal(size=(len(y), 300))])
    y = y[order]
    scaler = StandardScaler().fit(X[:200])
    as_x = lambda a: scaler.transform(a).astype(np.float32)  # noqa: E731
    return as_x(X[:200]), y[:200], as_x(X[200:700]), y[200:700]


@cache
def curves(lab):
    result = {}
    for name, settings in (
        ("plain", {"rate": 0.0, "weight_decay": 0.0}),
        ("regularized", REGULARIZED),
    ):
        keras.utils.set_random_seed(0)
        result[name] = np.asarray(
            lab.validation_curve(*noisy_digits(), epochs=EPOCHS, **settings), dtype=float
        )
    return result


def kernels_squared(model):
    return sum(
        float(np.sum(keras.ops.convert_to_numpy(layer.kernel) ** 2))
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    )


@check("dropout: identity in inference mode")
def check_dropout_eval(lab):
    x = np.random.default_rng(0).normal(size=(50, 20)).astype(np.float32)
    out = lab.dropout(x, 0.3, training=False, seed=1)
    close(
        numpy(out, "dropout"),
        x,
        what="dropout(x, rate=0.3, training=False) (must return x unchanged)",
    )


@check("dropout: inverted dropout in training (drop rate p, survivors scaled by 1/(1-p))")
def check_dropout_train(lab):
    p = 0.3
    x = np.random.default_rng(0).uniform(0.5, 1.5, size=(400, 250)).astype(np.float32)
    with forbid(lab, "keras.random.dropout", "keras.layers.Dropout", rule=DROPOUT_RULE):
        out = numpy(lab.dropout(x, p, training=True, seed=1), "dropout")
    expect(out.shape == x.shape, f"dropout must keep the shape {x.shape}, got {out.shape}.")
    dropped = out == 0
    rate = dropped.mean()
    expect(
        abs(rate - p) < 0.01,
        f"dropout zeroed a fraction {rate:.3f} of the entries; it should be about rate = {p} (±0.01).",
    )
    kept = ~dropped
    if np.allclose(out[kept], x[kept], rtol=1e-5):
        raise CheckFailed(
            f"the kept entries are unchanged: inverted dropout scales them by 1/(1-p) = {1 / (1 - p):.4g} so that every unit keeps its expected value (keras.layers.Dropout does the same)."
        )
    close(out[kept], x[kept] / (1 - p), rtol=1e-5, what="kept entries (must be x / (1 - rate))")


@check("build_l2_model: keras.regularizers.L2(l2) on every Dense kernel (not on the biases)")
def check_l2_model(lab):
    keras.utils.set_random_seed(0)
    model = lab.build_l2_model(12, 8, 3, 0.01)
    expect(
        isinstance(model, keras.Model),
        f"build_l2_model must return a keras.Model, got {type(model).__name__}.",
    )
    n_params = 12 * 8 + 8 + 8 * 3 + 3
    expect(
        model.count_params() == n_params,
        f"build_l2_model(12, 8, 3, ...) must have {n_params} parameters (Dense(8) then Dense(3)), got {model.count_params()}.",
    )
    model(np.zeros((1, 12), dtype=np.float32))
    penalty = sum(float(keras.ops.convert_to_numpy(v)) for v in model.losses)
    close(
        penalty,
        0.01 * kernels_squared(model),
        rtol=1e-5,
        what="sum(model.losses), the regularization Keras adds to the loss (expected 0.01 * the sum of the squared entries of both kernels: kernel_regularizer=keras.regularizers.L2(l2) on each Dense)",
    )
    probs = numpy(
        model(np.random.default_rng(1).normal(size=(4, 12)).astype(np.float32)), "model output"
    )
    expect(
        not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4),
        "build_l2_model must output logits (the last Dense has no activation), not probabilities.",
    )


@check("l2_penalty: by hand, equal to what keras.regularizers.L2 adds (l2 * sum(w**2), no 1/2)")
def check_l2_penalty(lab):
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input(shape=(6,)),
            keras.layers.Dense(
                5,
                activation="relu",
                kernel_regularizer=keras.regularizers.L2(0.05),
                bias_initializer="ones",
            ),
            keras.layers.Dense(
                2, kernel_regularizer=keras.regularizers.L2(0.05), bias_initializer="ones"
            ),
        ]
    )
    model(np.zeros((1, 6), dtype=np.float32))
    want = sum(float(keras.ops.convert_to_numpy(v)) for v in model.losses)
    got = float(numpy(lab.l2_penalty(model, 0.05), "l2_penalty"))
    if np.isclose(got, want / 2, rtol=1e-5):
        raise CheckFailed(
            f"l2_penalty returned {got:.6g}, half of what Keras adds ({want:.6g}): keras.regularizers.L2(l2) is l2 * sum(w**2), without PyTorch-style wd / 2."
        )
    close(
        got,
        want,
        rtol=1e-5,
        what="l2_penalty(model, 0.05) vs sum(model.losses) of keras.regularizers.L2(0.05) on both kernels (l2 * sum of squared KERNEL entries; biases are not regularized)",
    )


def keras_batchnorm(x, gamma, beta, mm, mv, momentum, epsilon):
    bn = keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon)
    bn.build(x.shape)
    bn.gamma.assign(gamma)
    bn.beta.assign(beta)
    bn.moving_mean.assign(mm)
    bn.moving_variance.assign(mv)
    return bn


@check(
    "batchnorm_forward: training mode matches keras.layers.BatchNormalization (output and moving statistics)"
)
def check_batchnorm_train(lab):
    rng = np.random.default_rng(4)
    x = (rng.normal(size=(32, 6)) * 3 + 2).astype(np.float32)
    gamma = rng.uniform(0.5, 1.5, 6).astype(np.float32)
    beta = rng.normal(size=6).astype(np.float32)
    mm, mv = rng.normal(size=6).astype(np.float32), rng.uniform(0.5, 1.5, 6).astype(np.float32)
    bn = keras_batchnorm(x, gamma, beta, mm, mv, 0.9, 1e-3)
    want = numpy(bn(x, training=True), "BatchNormalization")
    out, new_mm, new_mv = lab.batchnorm_forward(
        x, gamma, beta, mm, mv, training=True, momentum=0.9, epsilon=1e-3
    )
    out = numpy(out, "batchnorm_forward output")
    expect(
        out.shape == (32, 6),
        f"batchnorm_forward must return out with the shape of x (32, 6), got {out.shape}.",
    )
    close(
        out,
        want,
        rtol=1e-4,
        atol=1e-4,
        what="batch-norm output in training mode (vs keras.layers.BatchNormalization; normalize with the batch mean and the biased batch variance)",
    )
    new_mm, new_mv = numpy(new_mm, "moving mean"), numpy(new_mv, "moving variance")
    torch_style = 0.1 * mm + 0.9 * x.mean(0)
    if np.allclose(new_mm, torch_style, rtol=1e-4):
        raise CheckFailed(
            "the moving mean is updated PyTorch-style, (1 - momentum) * old + momentum * batch mean: in Keras momentum is the weight of the OLD value, moving = momentum * moving + (1 - momentum) * batch."
        )
    close(
        new_mm,
        numpy(bn.moving_mean, "moving_mean"),
        rtol=1e-4,
        atol=1e-5,
        what="updated moving mean (momentum * old + (1 - momentum) * batch mean)",
    )
    close(
        new_mv,
        numpy(bn.moving_variance, "moving_variance"),
        rtol=1e-4,
        atol=1e-5,
        what="updated moving variance (momentum * old + (1 - momentum) * the biased batch variance; Keras does not use n - 1)",
    )


@check("batchnorm_forward: inference mode uses the moving statistics")
def check_batchnorm_eval(lab):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    gamma = rng.uniform(0.5, 1.5, 4).astype(np.float32)
    beta = rng.normal(size=4).astype(np.float32)
    mm, mv = rng.normal(size=4).astype(np.float32), rng.uniform(0.5, 1.5, 4).astype(np.float32)
    bn = keras_batchnorm(x, gamma, beta, mm, mv, 0.99, 1e-3)
    want = numpy(bn(x, training=False), "BatchNormalization")
    out, new_mm, new_mv = lab.batchnorm_forward(x, gamma, beta, mm, mv, training=False)
    close(
        numpy(out, "output"),
        want,
        rtol=1e-4,
        atol=1e-4,
        what="batch-norm output in inference mode (normalize with the moving mean and variance; Keras's default epsilon is 1e-3)",
    )
    close(numpy(new_mm, "moving mean"), mm, what="moving mean in inference mode (must not change)")
    close(
        numpy(new_mv, "moving variance"),
        mv,
        what="moving variance in inference mode (must not change)",
    )


@check("predict_proba: softmax of the logits in inference mode (training=False), deterministic")
def check_predict_proba(lab):
    keras.utils.set_random_seed(2)
    model = keras.Sequential(
        [
            keras.Input(shape=(10,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(4),
        ]
    )
    X = np.random.default_rng(3).normal(size=(30, 10)).astype(np.float32)
    first, second = (
        numpy(lab.predict_proba(model, X), "predict_proba"),
        numpy(lab.predict_proba(model, X), "predict_proba"),
    )
    expect(first.shape == (30, 4), f"predict_proba must return shape (30, 4), got {first.shape}.")
    expect(
        np.array_equal(first, second),
        "predict_proba gave different probabilities for the same input: dropout is still on. Call the model with model(X, training=False) (or model.predict) in inference mode.",
    )
    logits = numpy(model.predict(X, verbose=0), "logits")
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    close(
        first,
        e / e.sum(axis=1, keepdims=True),
        rtol=1e-4,
        atol=1e-6,
        what="predict_proba (the softmax of the model's logits, applied once)",
    )


@check(
    "early_stopping_callback: EarlyStopping on val_loss with patience, restoring the best weights"
)
def check_early_stopping(lab):
    cb = lab.early_stopping_callback(7)
    expect(
        isinstance(cb, keras.callbacks.EarlyStopping),
        f"early_stopping_callback must return keras.callbacks.EarlyStopping, got {type(cb).__name__}.",
    )
    expect(
        cb.monitor == "val_loss",
        f"the callback monitors {cb.monitor!r}: early stopping must watch the validation loss, monitor='val_loss'.",
    )
    expect(cb.patience == 7, f"the callback's patience is {cb.patience}, expected 7.")
    expect(
        cb.restore_best_weights,
        "the callback keeps the LAST weights: pass restore_best_weights=True so that the model you get back is the one with the best val_loss.",
    )


@check("make_model: Dense(256) -> Dropout -> Dense(256) -> Dropout -> Dense(n_out) logits")
def check_make_model(lab):
    model = lab.make_model(20, 10, 0.4)
    expect(
        isinstance(model, keras.Model),
        f"make_model must return a keras.Model, got {type(model).__name__}.",
    )
    n_params = 20 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    expect(
        model.count_params() == n_params,
        f"make_model(20, 10, 0.4) must have {n_params} parameters, got {model.count_params()}.",
    )
    drops = [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    expect(
        len(drops) == 2 and np.allclose(drops, 0.4),
        f"make_model must have two keras.layers.Dropout(rate), got rates {drops}.",
    )


@check(
    f"overfitting experiment: dropout + weight decay lower the best validation loss by at least {1 - MARGIN:.0%}"
)
def check_experiment(lab):
    result = curves(lab)
    plain, regularized = result["plain"], result["regularized"]
    for name, curve in result.items():
        expect(
            len(curve) == EPOCHS,
            f"validation_curve must return one validation loss per epoch ({EPOCHS}), got {len(curve)} for the {name} model.",
        )
    expect(
        plain[-1] > plain.min() + 0.05,
        f"the unregularized model should overfit (its validation loss should rise after epoch {int(plain.argmin())}), but its final loss {plain[-1]:.3f} is close to its best: is it fit on the TRAINING rows with AdamW(learning_rate=3e-3, weight_decay=0) for {EPOCHS} full-batch epochs, the validation rows only in validation_data?",
    )
    at_most(
        regularized.min(),
        MARGIN * plain.min(),
        what=f"best validation loss with dropout {REGULARIZED['rate']} and weight decay {REGULARIZED['weight_decay']} (the unregularized best is {plain.min():.3f}; required at most {MARGIN} times that)",
    )
