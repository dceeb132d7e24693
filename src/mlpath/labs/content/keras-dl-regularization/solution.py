"""Lab: regularization in Keras 3 — dropout, L2, batch normalization, early stopping, an experiment."""

import keras
import numpy as np


def dropout(x, rate, training, seed):
    """Inverted dropout by hand: in training zero each entry with probability rate, scale the rest by 1/(1-rate)."""
    if not training or rate == 0:
        return x
    keep = keras.random.uniform(keras.ops.shape(x), seed=seed) >= rate
    return keras.ops.where(keep, x / (1 - rate), 0.0)


def build_l2_model(n_in, n_hidden, n_out, l2):
    """Dense(relu) -> Dense(logits), every kernel regularized with keras.regularizers.L2(l2)."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(
                n_hidden, activation="relu", kernel_regularizer=keras.regularizers.L2(l2)
            ),
            keras.layers.Dense(n_out, kernel_regularizer=keras.regularizers.L2(l2)),
        ]
    )


def l2_penalty(model, l2):
    """What L2(l2) on every Dense kernel adds to the loss: l2 * sum of the squared kernel entries."""
    total = 0.0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            total += l2 * float(np.sum(keras.ops.convert_to_numpy(layer.kernel) ** 2))
    return total


def batchnorm_forward(
    x, gamma, beta, moving_mean, moving_var, *, training, momentum=0.99, epsilon=1e-3
):
    """Batch normalization of x (n, d) like keras.layers.BatchNormalization; returns (out, mean, var)."""
    x, gamma, beta = (keras.ops.convert_to_tensor(a) for a in (x, gamma, beta))
    moving_mean = keras.ops.convert_to_tensor(moving_mean)
    moving_var = keras.ops.convert_to_tensor(moving_var)
    if training:
        mean = keras.ops.mean(x, axis=0)
        var = keras.ops.var(x, axis=0)
        moving_mean = moving_mean * momentum + mean * (1 - momentum)
        moving_var = moving_var * momentum + var * (1 - momentum)
    else:
        mean, var = moving_mean, moving_var
    out = gamma * (x - mean) / keras.ops.sqrt(var + epsilon) + beta
    return out, moving_mean, moving_var


def predict_proba(model, X):
    """Class probabilities of a model that outputs logits, in inference mode (dropout off)."""
    return keras.ops.convert_to_numpy(keras.ops.softmax(model(X, training=False), axis=-1))


def early_stopping_callback(patience):
    """EarlyStopping on the validation loss that gives back the best weights at the end."""
    return keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )


def make_model(n_in, n_out, rate):
    """Dense(256, relu) -> Dropout(rate) -> Dense(256, relu) -> Dropout(rate) -> Dense(n_out) (logits)."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(rate),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(rate),
            keras.layers.Dense(n_out),
        ]
    )


def validation_curve(X_train, y_train, X_val, y_val, *, rate, weight_decay, epochs):
    """Full-batch AdamW(3e-3, weight_decay) training with fit; the val_loss after every epoch."""
    model = make_model(X_train.shape[1], int(y_train.max()) + 1, rate)
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=3e-3, weight_decay=weight_decay),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(
        X_train,
        y_train,
        validation_data=(X_val, y_val),
        epochs=epochs,
        batch_size=len(X_train),
        verbose=0,
    )
    return list(history.history["val_loss"])
