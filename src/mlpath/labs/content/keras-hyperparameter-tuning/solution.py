"""Lab: hyperparameter tuning in Keras 3 — a learning-rate range test, a validation search, a schedule."""

import itertools
import math

import keras
import numpy as np


def make_model(n_in, width, n_out):
    """Given: Input(n_in) -> Dense(width, relu) -> Dense(n_out), which outputs LOGITS (no softmax)."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(n_out),
        ]
    )


def batches(n, batch_size):
    """Given: an endless stream of index arrays of size batch_size, reshuffled every pass over the data."""
    while True:
        order = np.random.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def accuracy(model, X, y):
    """Fraction of rows of X whose predicted class (argmax of the logits, inference mode) equals y."""
    logits = model.predict(X, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == np.asarray(y)))


def compile_sgd(model, lr):
    """SGD with momentum 0.9 on the cross-entropy of the model's logits."""
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )


def lr_range_test(model, X, y, *, lr_min, lr_max, n_steps, batch_size):
    """One SGD step per mini-batch with a geometrically increasing lr; returns (lrs, losses)."""
    compile_sgd(model, lr_min)
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1))
    lrs, losses = [], []
    for step, idx in zip(range(n_steps), batches(len(X), batch_size)):
        lr = lr_min * ratio**step
        model.optimizer.learning_rate = lr
        loss = float(model.train_on_batch(X[idx], y[idx]))
        lrs.append(lr)
        losses.append(loss)
        if not math.isfinite(loss) or loss > 4 * min(losses):
            break
    return lrs, losses


def smooth(losses, beta=0.8):
    """Bias-corrected exponential moving average of the losses."""
    avg, out = 0.0, []
    for i, loss in enumerate(losses):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta ** (i + 1)))
    return np.array(out)


def suggest_lr(lrs, losses):
    """The lr where the smoothed loss falls fastest (most negative slope per log10 lr) before its minimum."""
    lrs, smoothed = np.asarray(lrs), smooth(losses)
    end = int(np.argmin(smoothed)) + 1
    slope = np.gradient(smoothed[:end], np.log10(lrs[:end]))
    return float(lrs[int(np.argmin(slope))])


def train_model(X, y, *, lr, batch_size, width, epochs, seed):
    """Train make_model with SGD (momentum 0.9) for `epochs` epochs with fit; returns the model."""
    keras.utils.set_random_seed(seed)
    model = make_model(X.shape[1], width, int(np.max(y)) + 1)
    compile_sgd(model, lr)
    model.fit(X, y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0)
    return model


def grid_search(splits, grid, *, epochs, seed):
    """Train every combination of the grid on the training split, score it on the validation split."""
    X_train, y_train = splits["train"]
    X_val, y_val = splits["val"]
    results = []
    for lr, batch_size, width in itertools.product(grid["lr"], grid["batch_size"], grid["width"]):
        model = train_model(
            X_train, y_train, lr=lr, batch_size=batch_size, width=width, epochs=epochs, seed=seed
        )
        results.append(
            {
                "lr": lr,
                "batch_size": batch_size,
                "width": width,
                "val_acc": accuracy(model, X_val, y_val),
            }
        )
    return results


def best_config(results):
    """The result with the highest validation accuracy (the first one on ties)."""
    return max(results, key=lambda r: r["val_acc"])


def test_accuracy(splits, config, *, epochs, seed):
    """Train the chosen configuration on the training split and score it once on the test split."""
    X_train, y_train = splits["train"]
    model = train_model(
        X_train,
        y_train,
        lr=config["lr"],
        batch_size=config["batch_size"],
        width=config["width"],
        epochs=epochs,
        seed=seed,
    )
    X_test, y_test = splits["test"]
    return accuracy(model, X_test, y_test)


def cosine_lr(epoch, base_lr, eta_min, T_max):
    """Closed-form cosine annealing from base_lr (epoch 0) down to eta_min (epoch T_max)."""
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2


def train_with_schedule(model, X, y, *, epochs, batch_size, base_lr):
    """SGD with a per-epoch cosine schedule (LearningRateScheduler); returns the lr of every epoch."""
    compile_sgd(model, base_lr)
    schedule = keras.callbacks.LearningRateScheduler(
        lambda epoch: cosine_lr(epoch, base_lr, 0.0, epochs)
    )
    history = model.fit(X, y, batch_size=batch_size, epochs=epochs, callbacks=[schedule], verbose=0)
    return [float(lr) for lr in history.history["learning_rate"]]
