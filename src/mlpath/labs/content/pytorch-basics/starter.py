"""Lab: PyTorch basics — tensors, autograd, nn.Module, a training loop, train/eval modes, saving.

Run `mlpath check pytorch-basics` to check your work.
"""

# ruff: noqa: F401 - the imports below are the ones you will need
import torch
from torch import nn


def pick_device():
    """Return torch.device("cuda") when torch.cuda.is_available(), else torch.device("cpu").

    Never require a GPU: the check accepts either answer as long as it matches your machine.
    """
    raise NotImplementedError


def pairwise_sq_dists(A, B):
    """Squared Euclidean distances between every row of A (n, d) and every row of B (m, d).

    Return a tensor of shape (n, m) with D[i, j] = sum_k (A[i, k] - B[j, k])**2.
    Use broadcasting, no Python loops: A[:, None, :] has shape (n, 1, d), B[None, :, :] has (1, m, d).
    Checked against torch.cdist(A, B) ** 2 (rtol=1e-6, atol=1e-9, float64 inputs).
    """
    raise NotImplementedError


def linear_forward(X, W, b):
    """Affine map of a batch: X (n, d_in), W (d_out, d_in), b (d_out,) -> X @ W.T + b, shape (n, d_out).

    Checked against torch.nn.functional.linear (rtol=1e-5).
    """
    raise NotImplementedError


def grad_of_f(x):
    """Gradient of f(x) = sum(x**3 * sin(x)) at the 1-D tensor x, computed with AUTOGRAD.

    Steps: a copy of x with requires_grad=True, compute f, call f.backward(), return the .grad.
    Checked against the analytic 3x² sin(x) + x³ cos(x) (rtol=1e-10, float64 input).
    """
    raise NotImplementedError


def mse_grads(X, y, w, b):
    """Gradients (dw, db) of L = mean((X @ w + b - y)**2) with autograd.

    X (n, d), y (n,), w (d,), b scalar tensor. Return dw with shape (d,) and db a scalar tensor.
    Checked against the analytic 2/n X^T (Xw + b - y) and 2 mean(Xw + b - y) (rtol=1e-10).
    """
    raise NotImplementedError


class MLP(nn.Module):
    """Linear(n_in, n_hidden) -> ReLU -> Dropout(p_drop) -> Linear(n_hidden, n_out).

    forward(x) maps (batch, n_in) to logits (batch, n_out). Checked: it is an nn.Module with exactly
    two nn.Linear layers and one nn.Dropout(p_drop), the right parameter count, and in eval mode its
    output equals Linear -> ReLU -> Linear.
    """

    def __init__(self, n_in, n_hidden, n_out, p_drop=0.5):
        super().__init__()
        # TODO: build the layers (e.g. one nn.Sequential stored as an attribute)
        raise NotImplementedError

    def forward(self, x):
        raise NotImplementedError


def train(model, X, y, epochs, lr):
    """Full-batch training: torch.optim.SGD(model.parameters(), lr=lr) on nn.CrossEntropyLoss.

    X (n, d) float tensor, y (n,) long tensor of class indices. Put the model in training mode.
    Each epoch: zero the gradients, forward, loss, backward, optimizer step.
    Return a list of `epochs` floats: the loss of each epoch (the one you called backward on).
    Checked against the same loop written by the checker (rtol=1e-4) on an nn.Linear(4, 3).
    """
    raise NotImplementedError


def predict_logits(model, X):
    """Logits of `model` for X in evaluation mode (dropout off), without tracking gradients.

    Checked: two calls give identical outputs, the result has requires_grad=False, and it equals
    Linear -> ReLU -> Linear computed with the model's own layers.
    """
    raise NotImplementedError


def save_model(model, path):
    """Save the model's state_dict (not the model object) to `path` with torch.save.

    Checked: torch.load(path, weights_only=True) gives a dict with the keys of model.state_dict().
    """
    raise NotImplementedError


def load_model(path, n_in, n_hidden, n_out):
    """Build MLP(n_in, n_hidden, n_out), load the state_dict saved at `path`, and return it in eval mode.

    Checked: the reloaded model is in evaluation mode and gives exactly the outputs of the saved one.
    """
    raise NotImplementedError
