"""Lab: transfer learning on the digits (reference solution)."""

import copy

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def accuracy(model, X, y):
    """Fraction of rows of X (N, 64), pixels scaled to [0, 1], that model classifies as y."""
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        pred = (
            model(torch.as_tensor(X, dtype=torch.float32, device=dev)).argmax(dim=1).cpu().numpy()
        )
    return float((pred == np.asarray(y)).mean())


class DigitNet(nn.Module):
    """A feature extractor (backbone: 64 pixels -> 64 features) and a linear classifier (head)."""

    def __init__(self, n_classes):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(64, n_classes)

    def forward(self, x):
        return self.head(self.backbone(x))


def fit(model, X, y, seed, epochs=100, lr=1e-2):
    """Full-batch Adam on the cross-entropy, updating only the parameters that require grad."""
    torch.manual_seed(seed)
    dev = device()
    model.to(dev).train()
    X = torch.as_tensor(X, dtype=torch.float32, device=dev)
    y = torch.as_tensor(y, dtype=torch.long, device=dev)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        F.cross_entropy(model(X), y).backward()
        opt.step()
    return model.eval()


def pretrain(X, y, seed):
    """Train a fresh 10-class DigitNet on the large source task."""
    torch.manual_seed(seed)
    return fit(DigitNet(10), X, y, seed, epochs=150)


def freeze(module):
    """Stop training module: requires_grad = False on all its parameters."""
    for p in module.parameters():
        p.requires_grad = False


def fine_tune(pretrained, X, y, n_classes, seed):
    """Copy pretrained, freeze its backbone, give it a new n_classes head and train only the head."""
    torch.manual_seed(seed)
    model = copy.deepcopy(pretrained)
    freeze(model.backbone)
    model.head = nn.Linear(model.head.in_features, n_classes)
    return fit(model, X, y, seed)


def from_scratch(X, y, n_classes, seed):
    """Train a fresh DigitNet on (X, y) only: the baseline that transfer learning must beat."""
    torch.manual_seed(seed)
    return fit(DigitNet(n_classes), X, y, seed)
