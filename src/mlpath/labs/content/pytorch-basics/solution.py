"""Lab: PyTorch basics."""

import torch
from torch import nn


def pick_device():
    """The device to compute on: cuda when available, else cpu."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def pairwise_sq_dists(A, B):
    """Squared Euclidean distances between the rows of A (n, d) and B (m, d), shape (n, m)."""
    diff = A[:, None, :] - B[None, :, :]
    return (diff**2).sum(dim=-1)


def linear_forward(X, W, b):
    """X (n, d_in) @ W.T (d_in, d_out) + b (d_out,)."""
    return X @ W.T + b


def grad_of_f(x):
    """Gradient of f(x) = sum(x**3 * sin(x)) at x, computed with autograd."""
    x = x.detach().clone().requires_grad_(True)
    f = (x**3 * torch.sin(x)).sum()
    f.backward()
    return x.grad


def mse_grads(X, y, w, b):
    """Gradients of mean((X @ w + b - y)**2) w.r.t. w and b, computed with autograd."""
    w = w.detach().clone().requires_grad_(True)
    b = b.detach().clone().requires_grad_(True)
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    return w.grad, b.grad


class MLP(nn.Module):
    """Linear -> ReLU -> Dropout -> Linear."""

    def __init__(self, n_in, n_hidden, n_out, p_drop=0.5):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, n_hidden),
            nn.ReLU(),
            nn.Dropout(p_drop),
            nn.Linear(n_hidden, n_out),
        )

    def forward(self, x):
        return self.net(x)


def train(model, X, y, epochs, lr):
    """Full-batch SGD on the cross-entropy; returns the loss of every epoch."""
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def predict_logits(model, X):
    """Logits of the model for X, in evaluation mode and without tracking gradients."""
    model.eval()
    with torch.no_grad():
        return model(X)


def save_model(model, path):
    """Save the model's parameters (its state_dict) to path."""
    torch.save(model.state_dict(), path)


def load_model(path, n_in, n_hidden, n_out):
    """Build an MLP, load the state_dict saved at path, and return it ready for inference."""
    model = MLP(n_in, n_hidden, n_out)
    model.load_state_dict(torch.load(path, weights_only=True))
    model.eval()
    return model
