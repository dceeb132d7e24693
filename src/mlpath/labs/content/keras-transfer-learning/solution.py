"""Lab: transfer learning on the digits with Keras 3 (reference solution)."""

import keras
import numpy as np


def build_model(n_classes):
    """A feature extractor (the "backbone": 64 pixels -> 64 features) and a linear classifier (the "head")."""
    backbone = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.Dense(64, activation="relu"),
        ],
        name="backbone",
    )
    return keras.Sequential(
        [keras.Input(shape=(64,)), backbone, keras.layers.Dense(n_classes, name="head")]
    )


def predict(model, X):
    """Predicted labels (N,) for X (N, 64): the argmax of the logits, in inference mode."""
    logits = model.predict(np.asarray(X, dtype="float32"), verbose=0)
    return np.argmax(logits, axis=1)


def fit(model, X, y, seed, epochs=100, lr=1e-2):
    """Full-batch Adam on the cross-entropy of the logits; only trainable weights change."""
    keras.utils.set_random_seed(seed)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    X = np.asarray(X, dtype="float32")
    model.fit(X, np.asarray(y), batch_size=len(X), epochs=epochs, verbose=0)
    return model


def pretrain(X, y, seed):
    """Train a fresh 10-class model on the large source task."""
    keras.utils.set_random_seed(seed)
    return fit(build_model(10), X, y, seed, epochs=150)


def freeze(layer):
    """Stop training a layer (or a whole sub-model): trainable = False, which also puts its
    BatchNormalization layers in inference mode."""
    layer.trainable = False


def fine_tune(pretrained, X, y, n_classes, seed):
    """A copy of the pretrained backbone, frozen, under a new n_classes head; only the head trains."""
    keras.utils.set_random_seed(seed)
    source = pretrained.get_layer("backbone")
    backbone = keras.models.clone_model(source)
    backbone.set_weights(source.get_weights())
    freeze(backbone)
    model = keras.Sequential(
        [keras.Input(shape=(64,)), backbone, keras.layers.Dense(n_classes, name="head")]
    )
    return fit(model, X, y, seed)


def from_scratch(X, y, n_classes, seed):
    """Train a fresh model on (X, y) only: the baseline that transfer learning must beat."""
    keras.utils.set_random_seed(seed)
    return fit(build_model(n_classes), X, y, seed)
