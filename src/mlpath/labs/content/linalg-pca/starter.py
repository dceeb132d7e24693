"""Lab: vectors, matrices and PCA from scratch with NumPy.

Implement every function marked TODO, then run `mlpath check pca`.
You may use NumPy (including np.linalg.eigh); do not use scikit-learn here:
the checks compare your results with it.
"""

import numpy as np  # noqa: F401 (you will need it)


def dot(u, v):
    """Dot product of two 1-D arrays of the same length.

    Input: u, v: float arrays of shape (d,).
    Output: a Python float, sum_i u[i] * v[i].
    Checked against np.dot with rtol=1e-10.
    """
    # TODO: multiply elementwise, then sum.
    raise NotImplementedError


def norm(v):
    """Euclidean (L2) length of a 1-D array.

    Input: v: float array of shape (d,).
    Output: a Python float, sqrt(v . v).
    Checked against np.linalg.norm with rtol=1e-10.
    """
    # TODO: reuse dot().
    raise NotImplementedError


def project(u, v):
    """Orthogonal projection of u onto the line spanned by v (v is not necessarily unit length).

    Input: u, v: float arrays of shape (d,), v != 0.
    Output: float array of shape (d,), a multiple of v such that u - projection is orthogonal to v.
    Checked against a least-squares fit of u on v (np.linalg.lstsq) with rtol=1e-9, atol=1e-12.
    """
    # TODO: the coefficient is (u . v) / (v . v).
    raise NotImplementedError


def matmul(A, B):
    """Matrix product A @ B, written with dot products of rows of A and columns of B.

    Input: A: float array (n, m); B: float array (m, p).
    Output: float array (n, p) with entry [i, j] = dot(A[i, :], B[:, j]).
    Do not use @, np.dot or np.matmul here (the check uses them to compare); loops or
    broadcasting are fine. Checked against A @ B with rtol=1e-10, atol=1e-12.
    """
    # TODO: fill an (n, p) array of zeros, or use broadcasting and a sum over the shared axis.
    raise NotImplementedError


def sorted_eigh(S):
    """Eigen-decomposition of a symmetric matrix, sorted by eigenvalue, LARGEST first.

    Input: S: symmetric float array (d, d).
    Output: (values, vectors) where values has shape (d,) in descending order and
    vectors has shape (d, d) with the unit eigenvector for values[i] in COLUMN i.
    Checked: values against np.linalg.eigvalsh (rtol=1e-9, atol=1e-12), S @ vectors == vectors * values
    and vectors.T @ vectors == identity (atol=1e-8). Eigenvectors are only defined up to sign; any sign passes.
    """
    # TODO: np.linalg.eigh(S) gives ascending eigenvalues; reorder values AND columns.
    raise NotImplementedError


def pca_fit(X, n_components):
    """Principal component analysis of the rows of X.

    Input: X: float array (n, d), one sample per row; n_components: int k <= d.
    Output: a tuple (mean, components, explained_variance, explained_variance_ratio):
      mean: (d,) column means of X;
      components: (k, d), the unit principal directions as ROWS, largest variance first;
      explained_variance: (k,), the variance of the data along each component, using the
        sample covariance (divide by n - 1);
      explained_variance_ratio: (k,), explained_variance divided by the TOTAL variance of the data.
    Checked against sklearn.decomposition.PCA (components_, explained_variance_,
    explained_variance_ratio_) with rtol=1e-6, atol=1e-9; components are compared up to sign.
    """
    # TODO 1: centre X by subtracting the column means.
    # TODO 2: the covariance matrix of the centred data, (d, d).
    # TODO 3: sorted_eigh() of the covariance; keep the first k eigenpairs.
    # TODO 4: the ratio of each kept eigenvalue to the sum of ALL eigenvalues.
    raise NotImplementedError


def pca_transform(X, mean, components):
    """Coordinates of the rows of X in the principal-component basis.

    Input: X: (n, d); mean: (d,); components: (k, d) unit rows.
    Output: float array (n, k): the centred data projected onto each component.
    Checked against sklearn's PCA.transform with rtol=1e-6, atol=1e-9 (same mean and components passed in).
    """
    # TODO: centre, then one matrix product.
    raise NotImplementedError
