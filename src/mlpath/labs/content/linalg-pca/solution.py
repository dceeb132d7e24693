"""Reference solution: vectors, matrices and PCA from scratch with NumPy."""

import numpy as np


def dot(u, v):
    return float(np.sum(np.asarray(u) * np.asarray(v)))


def norm(v):
    return float(np.sqrt(dot(v, v)))


def project(u, v):
    v = np.asarray(v, dtype=float)
    return dot(u, v) / dot(v, v) * v


def matmul(A, B):
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    return np.sum(A[:, :, None] * B[None, :, :], axis=1)


def sorted_eigh(S):
    values, vectors = np.linalg.eigh(S)
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    centred = X - mean
    cov = centred.T @ centred / (len(X) - 1)
    values, vectors = sorted_eigh(cov)
    components = vectors[:, :n_components].T
    explained_variance = values[:n_components]
    ratio = explained_variance / values.sum()
    return mean, components, explained_variance, ratio


def pca_transform(X, mean, components):
    return (np.asarray(X, dtype=float) - mean) @ np.asarray(components).T
