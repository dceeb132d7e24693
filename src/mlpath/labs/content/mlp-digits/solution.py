"""Lab: an MLP on scikit-learn's digits with a train/validation/test split and early stopping."""

import copy

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn


def split_indices(y, seed):
    """Stratified 60/20/20 split of the sample indices into (train_idx, val_idx, test_idx)."""
    idx = np.arange(len(y))
    rest_idx, test_idx = train_test_split(idx, test_size=0.2, stratify=y, random_state=seed)
    train_idx, val_idx = train_test_split(
        rest_idx, test_size=0.25, stratify=y[rest_idx], random_state=seed
    )
    return train_idx, val_idx, test_idx


def prepare_data(X, y, seed):
    """Split with split_indices, standardize with a scaler fit on the training rows only."""
    train_idx, val_idx, test_idx = split_indices(y, seed)
    scaler = StandardScaler().fit(X[train_idx])
    data = {}
    for part, idx in (("train", train_idx), ("val", val_idx), ("test", test_idx)):
        data[f"X_{part}"] = scaler.transform(X[idx]).astype(np.float32)
        data[f"y_{part}"] = y[idx].astype(np.int64)
    return data


def build_mlp(n_in, n_hidden, n_out, p_drop):
    """Linear -> ReLU -> Dropout -> Linear."""
    return nn.Sequential(
        nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(n_hidden, n_out)
    )


def evaluate_loss(model, X, y):
    """Mean cross-entropy of the model on (X, y) in evaluation mode."""
    model.eval()
    with torch.no_grad():
        return nn.functional.cross_entropy(model(torch.as_tensor(X)), torch.as_tensor(y)).item()


def train_mlp(
    X_train, y_train, X_val, y_val, *, n_hidden, p_drop, lr, batch_size, max_epochs, patience
):
    """Adam on mini-batches with early stopping on the validation loss; returns (model, history)."""
    model = build_mlp(X_train.shape[1], n_hidden, int(y_train.max()) + 1, p_drop)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    X_t, y_t = torch.as_tensor(X_train), torch.as_tensor(y_train)
    history = {"train_loss": [], "val_loss": []}
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(max_epochs):
        model.train()
        order = torch.randperm(len(X_t))
        total = 0.0
        for start in range(0, len(X_t), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(X_t[batch]), y_t[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history["train_loss"].append(total / len(X_t))
        val_loss = evaluate_loss(model, X_val, y_val)
        history["val_loss"].append(val_loss)
        if val_loss < best_loss:
            best_loss, best_epoch, best_state = val_loss, epoch, copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    history["best_epoch"] = best_epoch
    model.eval()
    return model, history


def predict(model, X):
    """Predicted class (numpy int array) for every row of X."""
    model.eval()
    with torch.no_grad():
        return model(torch.as_tensor(X)).argmax(dim=1).numpy()
