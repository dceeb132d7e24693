"""Lab: a Keras MLP on scikit-learn's digits with a train/validation/test split and early stopping."""

import keras
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def split_indices(y, seed):
    """Stratified 60/20/20 split of the sample indices into (train_idx, val_idx, test_idx)."""
    idx = np.arange(len(y))
    rest_idx, test_idx = train_test_split(idx, test_size=0.2, stratify=y, random_state=seed)
    train_idx, val_idx = train_test_split(
        rest_idx, test_size=0.25, stratify=y[rest_idx], random_state=seed
    )
    return train_idx, val_idx, test_idx


def prepare_data(X, y, seed):
    """Split with split_indices, standardize with a scaler fit on the training rows only."""
    train_idx, val_idx, test_idx = split_indices(y, seed)
    scaler = StandardScaler().fit(X[train_idx])
    data = {}
    for part, idx in (("train", train_idx), ("val", val_idx), ("test", test_idx)):
        data[f"X_{part}"] = scaler.transform(X[idx]).astype(np.float32)
        data[f"y_{part}"] = y[idx].astype(np.int64)
    return data


def build_model(n_in, n_hidden, n_out, dropout, lr):
    """Dense(relu) -> Dropout -> Dense(softmax), compiled with Adam and sparse cross-entropy."""
    model = keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(n_hidden, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(n_out, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train_model(data, *, n_hidden, dropout, lr, batch_size, max_epochs, patience):
    """Fit with validation data and EarlyStopping on val_loss (best weights restored); returns (model, history)."""
    model = build_model(data["X_train"].shape[1], n_hidden, 10, dropout, lr)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )
    history = model.fit(
        data["X_train"],
        data["y_train"],
        validation_data=(data["X_val"], data["y_val"]),
        epochs=max_epochs,
        batch_size=batch_size,
        callbacks=[stop],
        verbose=0,
    )
    return model, history.history


def predict_classes(model, X):
    """Predicted class labels (numpy int array) for every row of X."""
    return np.argmax(model.predict(X, verbose=0), axis=1)
