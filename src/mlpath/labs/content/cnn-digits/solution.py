"""Lab: a convolutional network on the 8x8 digits (reference solution)."""

import copy

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """Spatial output size of a convolution (or max-pooling) along one dimension."""
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def to_tensor(X):
    """Turn raw digits rows (N, 64), pixel values 0..16, into a float32 tensor (N, 1, 8, 8) in [0, 1]."""
    X = np.asarray(X, dtype=np.float32) / 16.0
    return torch.from_numpy(X).reshape(-1, 1, 8, 8)


def split_indices(y, seed):
    """Stratified 60/20/20 split of range(len(y)) into (train_idx, val_idx, test_idx)."""
    idx = np.arange(len(y))
    rest, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=seed)
    train, val = train_test_split(rest, test_size=0.25, stratify=y[rest], random_state=seed)
    return train, val, test


def build_cnn(n_classes=10):
    """A small CNN: (N, 1, 8, 8) float32 -> (N, n_classes) logits."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.25),
        nn.Linear(32 * 4 * 4, 64),
        nn.ReLU(),
        nn.Linear(64, n_classes),
    )


def random_shift(images):
    """Data augmentation: shift a batch (N, 1, 8, 8) by up to one pixel in each direction."""
    padded = nn.functional.pad(images, (1, 1, 1, 1))
    dx, dy = torch.randint(0, 3, (2,)).tolist()
    return padded[:, :, dy : dy + 8, dx : dx + 8]


def accuracy(model, X, y):
    """Fraction of rows of X that model classifies as y."""
    return float((predict(model, X) == np.asarray(y)).mean())


def train_cnn(X_train, y_train, X_val, y_val, seed, epochs=30, batch_size=64, lr=3e-3):
    """Train build_cnn() with Adam on shifted images; return the model of the epoch with the best validation accuracy."""
    torch.manual_seed(seed)
    dev = device()
    model = build_cnn().to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    X = to_tensor(X_train).to(dev)
    y = torch.as_tensor(np.asarray(y_train), dtype=torch.long, device=dev)
    best_acc, best_state = -1.0, None
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(X), device=dev).split(batch_size):
            opt.zero_grad()
            loss_fn(model(random_shift(X[batch])), y[batch]).backward()
            opt.step()
        val_acc = accuracy(model, X_val, y_val)
        if val_acc > best_acc:
            best_acc, best_state = val_acc, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return model.eval()


def predict(model, X):
    """Predicted class labels (N,) int64 numpy array for raw digits rows X (N, 64)."""
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        logits = model(to_tensor(X).to(dev))
    return logits.argmax(dim=1).cpu().numpy()
