"""Lab: transfer learning on the digits with Keras 3 — pretrain, freeze, fine-tune a new head.

Written against Keras 3 (`import keras`), so it runs on TensorFlow, JAX or PyTorch as the backend;
the checker runs it on the torch backend (KERAS_BACKEND=torch) when TensorFlow is not installed.
No downloads: you pretrain your own network on scikit-learn's bundled digits. The checker passes
X as float32 arrays (N, 64) of pixels scaled to [0, 1] and y as integer labels (N,).
Run `mlpath check transfer-learning`.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import keras
import numpy as np


def build_model(n_classes):
    """A feature extractor and a linear classifier, as two named parts.

    backbone = keras.Sequential([keras.Input(shape=(64,)), Dense(128, relu),
    BatchNormalization(momentum=0.9), Dense(64, relu)], name="backbone")  (64 pixels -> 64 features)
    Return keras.Sequential([keras.Input(shape=(64,)), backbone, Dense(n_classes, name="head")]):
    the head outputs LOGITS (no softmax), so model.get_layer("backbone") and
    model.get_layer("head") are the two parts.
    """
    raise NotImplementedError


def predict(model, X):
    """Predicted labels, a NumPy array (N,): the argmax of the model's logits, in INFERENCE mode.

    Use model.predict(X, verbose=0) or model(X, training=False): in training mode BatchNormalization
    normalises with the batch's own statistics and updates its moving ones.
    """
    raise NotImplementedError


def fit(model, X, y, seed, epochs=100, lr=1e-2):
    """Train model full-batch with Adam on the cross-entropy of its logits; return the same model.

    keras.utils.set_random_seed(seed) first; compile with keras.optimizers.Adam(learning_rate=lr) and
    keras.losses.SparseCategoricalCrossentropy(from_logits=True); model.fit(X, y,
    batch_size=len(X), epochs=epochs, verbose=0). Frozen layers (trainable=False) must not change.
    """
    raise NotImplementedError


def pretrain(X, y, seed):
    """Train a fresh build_model(10) on the source task (150 epochs of fit); return it."""
    raise NotImplementedError


def freeze(layer):
    """Freeze a layer or a whole sub-model so that training leaves it exactly as it is.

    Note: calling it with training=False is NOT freezing, and neither is marking its variables
    one by one: set the layer's own flag (this also runs its BatchNormalization in inference mode).
    """
    raise NotImplementedError


def fine_tune(pretrained, X, y, n_classes, seed):
    """Transfer: return a NEW model for the new task, trained on (X, y) only through its head.

    keras.utils.set_random_seed(seed) first. Copy the pretrained backbone
    (keras.models.clone_model copies the architecture only: copy its weights too), freeze the copy,
    put a new Dense(n_classes, name="head") on it, and fit. The pretrained model must stay exactly as
    it was (weights and trainable flags), and the fine-tuned backbone's weights, moving statistics
    included, must be exactly the pretrained ones afterwards.
    """
    raise NotImplementedError


def from_scratch(X, y, n_classes, seed):
    """Baseline: a fresh build_model(n_classes) trained (all layers) on (X, y) only."""
    raise NotImplementedError
