"""Lab: a two-layer neural network from scratch in NumPy (reference solution)."""

import numpy as np


def one_hot(y, n_classes):
    """One-hot matrix (n, n_classes) of float64 for integer labels y (n,). Given: use it in backward."""
    out = np.zeros((len(y), n_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def init_params(n_in, n_hidden, n_out, rng):
    """He-initialised weights, zero biases."""
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, np.sqrt(2.0 / n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def softmax(z):
    """Row-wise softmax of scores z, shape (n, k)."""
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def forward(params, X):
    """Forward pass: affine -> ReLU -> affine -> softmax."""
    z1 = X @ params["W1"] + params["b1"]
    h = np.maximum(z1, 0.0)
    z2 = h @ params["W2"] + params["b2"]
    probs = softmax(z2)
    cache = {"X": X, "z1": z1, "h": h, "probs": probs}
    return probs, cache


def cross_entropy(probs, y):
    """Mean negative log-probability of the true classes."""
    n = len(y)
    return float(-np.mean(np.log(probs[np.arange(n), y])))


def backward(params, cache, y):
    """Gradients of the mean cross-entropy with respect to every parameter."""
    X, z1, h, probs = cache["X"], cache["z1"], cache["h"], cache["probs"]
    dz2 = (probs - one_hot(y, probs.shape[1])) / len(y)
    dW2 = h.T @ dz2
    db2 = dz2.sum(axis=0)
    dh = dz2 @ params["W2"].T
    dz1 = dh * (z1 > 0)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at the array x."""
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = f(x)
        x[idx] = old - eps
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def train(X, y, n_hidden, lr, n_steps, rng):
    """Full-batch gradient descent; returns (params, losses)."""
    n_out = int(y.max()) + 1
    params = init_params(X.shape[1], n_hidden, n_out, rng)
    losses = []
    for _ in range(n_steps):
        probs, cache = forward(params, X)
        losses.append(cross_entropy(probs, y))
        grads = backward(params, cache, y)
        for name in params:
            params[name] = params[name] - lr * grads[name]
    return params, losses


def predict(params, X):
    """Predicted class index for every row of X."""
    probs, _ = forward(params, X)
    return probs.argmax(axis=1)
