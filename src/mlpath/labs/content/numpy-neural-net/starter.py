"""Lab: a two-layer neural network from scratch in NumPy.

Network: X -> affine (W1, b1) -> ReLU -> affine (W2, b2) -> softmax -> mean cross-entropy.
Shapes: X (n, n_in) float64, y (n,) int class indices in 0..n_out-1,
W1 (n_in, n_hidden), b1 (n_hidden,), W2 (n_hidden, n_out), b2 (n_out,).
Run `mlpath check backpropagation` to check your work.
"""

import numpy as np


def one_hot(y, n_classes):
    """One-hot matrix (n, n_classes) of float64 for integer labels y (n,). Given: use it in backward."""
    out = np.zeros((len(y), n_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def init_params(n_in, n_hidden, n_out, rng):
    """Return a dict {"W1", "b1", "W2", "b2"} of float64 arrays with the shapes above.

    Weights: random normal from `rng` (a np.random.Generator) with He scaling
    std = sqrt(2 / fan_in). Biases: zeros. Checked: keys, shapes, zero biases,
    all weight entries different, weight std within a factor of 2 of sqrt(2 / fan_in).
    """
    # TODO: use rng.normal(0.0, std, size=...) for W1 and W2, np.zeros for b1 and b2
    raise NotImplementedError


def softmax(z):
    """Row-wise softmax of scores z of shape (n, k): every row becomes probabilities summing to 1.

    Must not overflow for large scores (checked with scores around 1000).
    Checked against NumPy with rtol=1e-10.
    """
    # TODO: subtract each row's max, exponentiate, divide by each row's sum (keepdims=True)
    raise NotImplementedError


def forward(params, X):
    """Forward pass. Return (probs, cache).

    probs: (n, n_out) softmax probabilities (checked with rtol=1e-10).
    cache: anything you need in backward (e.g. a dict with X, the pre-activation z1,
    the hidden activation h and probs); only your own backward reads it.
    """
    # TODO: z1 = X @ W1 + b1; h = ReLU(z1); z2 = h @ W2 + b2; probs = softmax(z2)
    raise NotImplementedError


def cross_entropy(probs, y):
    """Mean over the batch of -log(probs[i, y[i]]), as a Python float (checked with rtol=1e-10)."""
    raise NotImplementedError


def backward(params, cache, y):
    """Gradients of the MEAN cross-entropy w.r.t. every parameter.

    Return a dict {"W1", "b1", "W2", "b2"}, each with the shape of its parameter.
    Checked against central differences: relative error ||g - g_num|| / (||g|| + ||g_num||)
    must be below 1e-6 for every parameter.
    """
    # TODO 1: dz2 = (probs - one_hot(y)) / n      (softmax + cross-entropy together)
    # TODO 2: dW2 = h.T @ dz2, db2 = sum of dz2 over the batch
    # TODO 3: dh = dz2 @ W2.T, then through the ReLU: dz1 = dh where z1 > 0, else 0
    # TODO 4: dW1 = X.T @ dz1, db1 = sum of dz1 over the batch
    raise NotImplementedError


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of a scalar function f at the float array x.

    grad[i] = (f(x + eps*e_i) - f(x - eps*e_i)) / (2*eps) for every index i (use np.ndindex).
    You may change x in place while computing, but it must hold its original values afterwards.
    Checked on sum(sin(x) * x**2) with rtol=1e-6, atol=1e-8.
    """
    raise NotImplementedError


def train(X, y, n_hidden, lr, n_steps, rng):
    """Full-batch gradient descent from init_params(X.shape[1], n_hidden, y.max() + 1, rng).

    Return (params, losses): the trained params dict and a list of n_steps floats, the loss
    BEFORE each update. Checked on three spirals (300 points, n_hidden=64, lr=1.0, 300 steps):
    the final loss must be at most half the first one.
    """
    # TODO: loop: forward, record the loss, backward, params[name] -= lr * grads[name]
    raise NotImplementedError


def predict(params, X):
    """Predicted class index (n,) for every row of X. Training accuracy on the spirals must be >= 0.90."""
    raise NotImplementedError
