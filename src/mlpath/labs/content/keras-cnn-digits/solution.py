"""Lab: a convolutional network on the 8x8 digits with Keras 3 (reference solution)."""

import keras
import numpy as np
from sklearn.model_selection import train_test_split


def conv_output_size(size, kernel_size, strides=1, padding="valid", dilation_rate=1):
    """Spatial output size of keras.layers.Conv2D (or MaxPooling2D) along one dimension."""
    if padding == "same":
        return (size + strides - 1) // strides
    return (size - dilation_rate * (kernel_size - 1) - 1) // strides + 1


def to_array(X):
    """Raw digits rows (N, 64), pixel values 0..16 -> float32 array (N, 8, 8, 1) in [0, 1]."""
    return (np.asarray(X, dtype="float32") / 16.0).reshape(-1, 8, 8, 1)


def split_indices(y, seed):
    """Stratified 60/20/20 split of range(len(y)) into (train_idx, val_idx, test_idx)."""
    idx = np.arange(len(y))
    rest, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=seed)
    train, val = train_test_split(rest, test_size=0.25, stratify=y[rest], random_state=seed)
    return train, val, test


def shifted_copies(images, labels):
    """Data augmentation: the images (N, 8, 8, 1) plus copies shifted one pixel up, down, left and right."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1), (0, 0)))
    offsets = [(1, 1), (0, 1), (2, 1), (1, 0), (1, 2)]
    shifted = [padded[:, dy : dy + 8, dx : dx + 8] for dy, dx in offsets]
    return np.concatenate(shifted), np.tile(labels, len(offsets))


def build_cnn(n_classes=10):
    """A small CNN: (N, 8, 8, 1) float32 -> (N, n_classes) logits."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.25),
            layers.Dense(64, activation="relu"),
            layers.Dense(n_classes),
        ]
    )


def train_cnn(X_train, y_train, X_val, y_val, seed, epochs=5):
    """Train build_cnn() with Adam on shifted copies; keep the weights of the best validation epoch."""
    keras.utils.set_random_seed(seed)
    model = build_cnn()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    best = keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="max", patience=epochs, restore_best_weights=True
    )
    images, labels = shifted_copies(to_array(X_train), np.asarray(y_train))
    model.fit(
        images,
        labels,
        validation_data=(to_array(X_val), np.asarray(y_val)),
        epochs=epochs,
        batch_size=64,
        shuffle=True,
        callbacks=[best],
        verbose=0,
    )
    return model


def predict(model, X):
    """Predicted class labels (N,) int array for raw digits rows X (N, 64)."""
    return np.argmax(model.predict(to_array(X), verbose=0), axis=1)
