"""Lab: transfer learning on the digits.

Pretrain a network on a big labelled task, then reuse its feature extractor (the
"backbone") for a new task that has only 2 labelled examples per class: freeze the
backbone, put a new head on top and train only the head. Compare with training the same
network from scratch on those few examples.

Source task: 10-way digit classification on 60% of scikit-learn's digits.
New task: tell apart the digits 5-9 (labels 0-4) in the other 40%, from 2 examples each.
The checker builds both and passes the arrays in; pixels are already scaled to [0, 1].

Check your work with:  mlpath check transfer-learning
"""

import copy  # noqa: F401  (copy.deepcopy is handy)

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401


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
    """A feature extractor and a linear classifier.

    self.backbone: nn.Sequential 64 -> 128 -> 64 with ReLUs (the features).
    self.head: nn.Linear(64, n_classes).  forward(x (N, 64)) = head(backbone(x)), logits (N, n_classes).
    """

    def __init__(self, n_classes):
        super().__init__()
        raise NotImplementedError

    def forward(self, x):
        raise NotImplementedError


def fit(model, X, y, seed, epochs=100, lr=1e-2):
    """Train model full-batch with Adam on the cross-entropy; return it in eval mode.

    Only parameters with requires_grad=True may change: build the optimizer from those
    alone. Set torch.manual_seed(seed) first. X (N, 64) floats, y (N,) int labels.
    """
    # TODO: tensors on device(); opt = Adam([p for p in model.parameters() if p.requires_grad], lr)
    # TODO: epochs times: zero_grad, F.cross_entropy(model(X), y), backward, step.
    raise NotImplementedError


def pretrain(X, y, seed):
    """Train a fresh DigitNet(10) on the source task (about 150 epochs); return it."""
    raise NotImplementedError


def freeze(module):
    """Freeze every parameter of module (requires_grad = False). Note: module.eval() is NOT freezing."""
    raise NotImplementedError


def fine_tune(pretrained, X, y, n_classes, seed):
    """Transfer: return a new model for the new task, trained on (X, y) only through its head.

    Work on a copy (copy.deepcopy) so the pretrained model stays as it is; freeze the
    copy's backbone; replace its head with a new nn.Linear(64, n_classes); fit.
    The check verifies the backbone weights are exactly the pretrained ones afterwards.
    """
    raise NotImplementedError


def from_scratch(X, y, n_classes, seed):
    """Baseline: a fresh DigitNet(n_classes) trained (all layers) on (X, y) only."""
    raise NotImplementedError
