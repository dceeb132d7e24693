"""Lab: a convolutional network on the 8x8 digits with Keras 3.

Part 1: the output size of a Conv2D or MaxPooling2D layer ("valid" or "same" padding),
checked against Keras itself. Part 2: a small CNN on scikit-learn's bundled digits with a
stratified train/validation/test split, which must reach at least 97% test accuracy.
Written against `import keras` only, so it runs on TensorFlow, JAX or PyTorch.

Check your work with:  mlpath check convolutional-networks
"""

import keras  # noqa: F401
import numpy as np  # noqa: F401
from sklearn.model_selection import train_test_split  # noqa: F401


def conv_output_size(size, kernel_size, strides=1, padding="valid", dilation_rate=1):
    """Output size along one spatial dimension of keras.layers.Conv2D (and MaxPooling2D).

    padding is "valid" (no padding) or "same" (padded so that, with strides=1, the size is
    kept). All other arguments are ints; returns an int equal to what Keras produces.
    """
    raise NotImplementedError


def to_array(X):
    """Raw digits rows X (N, 64) with pixel values 0..16 -> float32 array (N, 8, 8, 1) in [0, 1] (channels last)."""
    raise NotImplementedError


def split_indices(y, seed):
    """Stratified 60/20/20 split of the row indices range(len(y)).

    Returns (train_idx, val_idx, test_idx), integer arrays that together hold every index
    once, with each digit in the same proportion in every part (within 2 images). Use
    `seed` as the random state so the same seed gives the same split.
    """
    raise NotImplementedError


def shifted_copies(images, labels):
    """Data augmentation: return the images (N, 8, 8, 1) plus copies shifted one pixel up, down,
    left and right (zero fill), i.e. (5N, 8, 8, 1), and the labels repeated to match (5N,).

    Not checked on its own; it helps the CNN reach the accuracy floor in few epochs.
    """
    # TODO: np.pad the images by one pixel on each side, then take five 8x8 crops.
    raise NotImplementedError


def build_cnn(n_classes=10):
    """A small CNN: input (N, 8, 8, 1) float32 -> logits (N, n_classes).

    For example keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(16, 3, padding="same",
    activation="relu"), Conv2D(32, ...), MaxPooling2D(2), Flatten(), Dropout(0.25),
    Dense(64, activation="relu"), Dense(n_classes)]).
    """
    raise NotImplementedError


def train_cnn(X_train, y_train, X_val, y_val, seed, epochs=5):
    """Train build_cnn() for `epochs` epochs on raw digits rows (N, 64) and labels; return the trained keras model.

    keras.utils.set_random_seed(seed) first, so that the seed alone decides the result
    (checked with one-epoch runs: seeds 1, 1 after different global seeds, and 2). Compile with Adam (lr 3e-3) and
    SparseCategoricalCrossentropy(from_logits=True); fit on shifted_copies of the training
    images for about 5 epochs, batch_size=64, with validation_data. Must run in a few
    seconds on a CPU.
    """
    raise NotImplementedError


def predict(model, X):
    """Predicted labels (N,) as an int numpy array for raw digits rows X (N, 64), in inference mode.

    Checked also on a small model with dropout: the labels must not change between calls.
    """
    raise NotImplementedError
