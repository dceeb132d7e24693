"""Lab: numerical gradients and a gradient check.

Implement the five functions marked TODO, then run `mlpath check partial-derivatives-gradients`.
The helpers `sigmoid`, `quadratic` and `logistic_loss` are given: they are the functions
whose gradients you compute.
"""

import numpy as np


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def quadratic(A, b, x):
    """f(x) = 1/2 xᵀ A x - bᵀ x for a square matrix A (not necessarily symmetric)."""
    return 0.5 * x @ A @ x - b @ x


def logistic_loss(w, X, y):
    """Mean binary cross-entropy of a logistic regression without intercept.

    J(w) = -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(X w).
    """
    p = sigmoid(X @ w)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def numerical_gradient(f, x, eps=1e-5):
    """Estimate the gradient of the scalar function f at x by central differences.

    Inputs:  f, a function taking an array shaped like x and returning a float;
             x, a float array of any shape (a vector or a matrix);
             eps, the step.
    Output:  a float array with the same shape as x whose element i is
             (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), e_i being the unit array at i.
    x must be unchanged when the function returns.
    Checked against the exact gradient with rtol=1e-6, atol=1e-7 (eps=1e-4).
    """
    # TODO 1. grad = an array of zeros shaped like x (float).
    # TODO 2. For every index i of x (np.ndindex(x.shape) walks them all):
    #         evaluate f with x[i] raised by eps and with x[i] lowered by eps,
    #         then restore x[i].
    # TODO 3. grad[i] = the difference of the two values divided by 2 * eps.
    raise NotImplementedError


def quadratic_gradient(A, b, x):
    """The exact gradient of quadratic(A, b, x) with respect to x.

    Inputs: A (n, n), b (n,), x (n,) float arrays. A is NOT assumed symmetric.
    Output: a float array of shape (n,). Checked with rtol=1e-10, atol=1e-12.
    """
    # TODO: differentiate 1/2 xᵀ A x - bᵀ x with respect to x.
    raise NotImplementedError


def logistic_gradient(w, X, y):
    """The exact gradient of logistic_loss(w, X, y) with respect to w.

    Inputs: w (d,), X (n, d), y (n,) of 0/1 values, all float arrays.
    Output: a float array of shape (d,). Checked with rtol=1e-8, atol=1e-12.
    """
    # TODO: use p = sigmoid(X @ w); the gradient is built from X and the error p - y.
    raise NotImplementedError


def relative_error(a, b):
    """How far apart two gradients are, independent of their scale.

    Inputs: two float arrays of the same shape.
    Output: a float, ||a - b|| / max(||a|| + ||b||, 1e-12) with ||.|| the Euclidean norm
            of all elements (0.0 when both are zero). Checked with rtol=1e-10.
    """
    # TODO: np.linalg.norm(a.ravel()) is the Euclidean norm of all elements of a.
    raise NotImplementedError


def gradient_check(f, grad_f, x, eps=1e-5, tol=1e-7):
    """Compare an analytic gradient with the numerical one at x.

    Inputs: f (the function), grad_f (its claimed gradient function), x (float array),
            eps (step for numerical_gradient), tol (largest acceptable relative error).
    Output: a tuple (ok, error): error = relative_error(grad_f(x), numerical_gradient(f, x, eps))
            as a float, and ok = error < tol, a bool.
    """
    # TODO: combine your numerical_gradient and relative_error.
    raise NotImplementedError
