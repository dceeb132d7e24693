"""Checks for the linalg-pca lab: every expected value is computed here with NumPy / scikit-learn."""

import ast
import inspect

import numpy as np
from sklearn.datasets import load_iris, load_wine
from sklearn.decomposition import PCA

from mlpath.labs.checking import check, close, expect, forbid, source_uses

_PRODUCTS = (
    "numpy.matmul",
    "numpy.dot",
    "numpy.einsum",
    "numpy.tensordot",
    "numpy.linalg.multi_dot",
)
_MATMUL_RULE = "matmul must be written with dot products of rows and columns, as the README asks."


def _attribute_dots(lab):
    """Lines where matmul calls something.dot(...) (np.dot, A.dot); the learner's own dot() is fine."""
    try:
        source = inspect.getsource(lab.matmul)
        first = inspect.getsourcelines(lab.matmul)[1]
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return []
    return [
        f"line {first + node.lineno - 1}: .dot()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "dot"
    ]


def _vectors(seed=0, d=7):
    rng = np.random.default_rng(seed)
    return rng.normal(size=d), rng.normal(size=d)


def _iris():
    return load_iris(return_X_y=True)[0]


def _wine_standardized():
    X = load_wine(return_X_y=True)[0]
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _align_rows(got, ref):
    """Flip the sign of each row of got so it points the same way as the same row of ref."""
    signs = np.where(np.sum(got * ref, axis=1) < 0, -1.0, 1.0)
    return got * signs[:, None]


def _variance_hint(X, ev, ref_ev):
    """A pointer to the usual mistake behind wrong explained variances ('' when none is recognised)."""
    n = len(X)
    if len(ev) > 1 and np.any(np.diff(ev) > 0):
        return " (they must be sorted in descending order: np.linalg.eigh returns them ascending)"
    if np.allclose(ev, ref_ev * (n - 1) / n, rtol=1e-6):
        return " (looks like the covariance was divided by n; use the sample covariance, divided by n - 1)"
    uncentred = np.linalg.eigvalsh(X.T @ X / (n - 1))[::-1][: len(ev)]
    if np.allclose(ev, uncentred, rtol=1e-6):
        return " (looks like X was not centred: subtract the column means before the covariance)"
    return ""


def _check_pca(lab, X, k, name):
    ref = PCA(n_components=k).fit(X)
    with forbid(
        lab,
        "sklearn.decomposition.PCA",
        "sklearn.decomposition.TruncatedSVD",
        rule="Write PCA yourself, as the README asks.",
    ):
        fitted = lab.pca_fit(X.copy(), k)
    mean, components, ev, ratio = (np.asarray(a, dtype=float) for a in fitted)
    d = X.shape[1]
    expect(
        components.shape == (k, d),
        f"{name}: components must have shape (n_components, n_features) = {(k, d)}, one component per ROW; "
        f"got {components.shape}.",
    )
    close(mean, ref.mean_, rtol=1e-9, atol=1e-12, what=f"{name}: mean of each column")
    close(
        ev,
        ref.explained_variance_,
        rtol=1e-6,
        atol=1e-9,
        what=f"{name}: explained variance{_variance_hint(X, ev, ref.explained_variance_)}",
    )
    close(
        _align_rows(components, ref.components_),
        ref.components_,
        rtol=1e-6,
        atol=1e-9,
        what=f"{name}: principal components (rows, compared up to sign)",
    )
    ratio_hint = ""
    if k < d and np.isclose(ratio.sum(), 1.0):
        ratio_hint = " (your ratios sum to 1: divide by the total variance of ALL directions, not only the kept ones)"
    close(
        ratio,
        ref.explained_variance_ratio_,
        rtol=1e-6,
        atol=1e-9,
        what=f"{name}: explained variance ratio{ratio_hint}",
    )


@check("Dot product and norm")
def dot_and_norm(lab):
    u, v = _vectors()
    got = lab.dot(u, v)
    expect(
        np.ndim(got) == 0,
        f"dot() must return a single number, got an array of shape {np.shape(got)}.",
    )
    close(got, np.dot(u, v), rtol=1e-10, what="dot(u, v)")
    close(lab.norm(v), np.linalg.norm(v), rtol=1e-10, what="norm(v)")


@check("Projection of one vector onto another")
def projection(lab):
    u, v = _vectors(seed=1)
    v = 3.0 * v  # not unit length on purpose
    got = np.asarray(lab.project(u, v), dtype=float)
    expect(
        got.shape == u.shape,
        f"project(u, v) must return a vector of shape {u.shape}, got {got.shape}.",
    )
    coef = np.linalg.lstsq(v[:, None], u, rcond=None)[0][0]
    close(
        got,
        coef * v,
        rtol=1e-9,
        atol=1e-12,
        what="projection of u onto v (did you divide by v . v, the squared length of v?)",
    )


@check("Matrix product")
def matrix_product(lab):
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(4, 6)), rng.normal(size=(6, 3))
    found = source_uses(
        lab,
        "matmul",
        operators=(ast.MatMult,),
        calls=("matmul", "einsum", "tensordot", "multi_dot"),
    ) + _attribute_dots(lab)
    expect(
        not found,
        f"matmul must not use the @ operator or a library matrix product ({'; '.join(found)}): "
        "write entry [i, j] as the dot product of row i of A and column j of B (loops, or "
        "broadcasting A[:, :, None] * B[None, :, :] and a sum over the shared axis).",
    )
    with forbid(lab, *_PRODUCTS, rule=_MATMUL_RULE):
        got = np.asarray(lab.matmul(A, B), dtype=float)
    expect(
        got.shape == (4, 3),
        f"matmul of a (4, 6) and a (6, 3) matrix must have shape (4, 3), got {got.shape}.",
    )
    close(
        got,
        A @ B,
        rtol=1e-10,
        atol=1e-12,
        what="matmul(A, B): entry [i, j] is row i of A . column j of B",
    )


@check("Eigen-decomposition of a symmetric matrix, largest eigenvalue first")
def eigen_decomposition(lab):
    rng = np.random.default_rng(3)
    M = rng.normal(size=(5, 5))
    S = M @ M.T + np.diag(np.arange(5.0))
    values, vectors = (np.asarray(a, dtype=float) for a in lab.sorted_eigh(S.copy()))
    expect(
        values.shape == (5,) and vectors.shape == (5, 5),
        f"sorted_eigh must return values (5,) and vectors (5, 5); got {values.shape} and {vectors.shape}.",
    )
    expect(
        np.all(np.diff(values) <= 0),
        f"eigenvalues must be sorted in descending order (np.linalg.eigh returns them ascending); got {np.round(values, 4)}.",
    )
    close(values, np.linalg.eigvalsh(S)[::-1], rtol=1e-9, atol=1e-12, what="eigenvalues")
    close(
        S @ vectors,
        vectors * values,
        atol=1e-8,
        what="S @ vectors vs vectors * values (column i must be the eigenvector of values[i])",
    )
    close(
        vectors.T @ vectors,
        np.eye(5),
        atol=1e-8,
        what="vectors.T @ vectors (eigenvectors must be orthonormal)",
    )


@check("Eigenvalues of an indefinite matrix: sorted by value, not by magnitude")
def eigen_indefinite(lab):
    Q = np.linalg.qr(np.random.default_rng(4).normal(size=(5, 5)))[0]
    S = Q @ np.diag([3.0, -5.0, 1.0, 0.5, -2.0]) @ Q.T
    S = (S + S.T) / 2
    values, vectors = (np.asarray(a, dtype=float) for a in lab.sorted_eigh(S.copy()))
    expect(
        not np.allclose(values, [-5.0, 3.0, -2.0, 1.0, 0.5], atol=1e-9),
        "sorted_eigh sorted the eigenvalues by magnitude (-5 first); sort them by value, largest "
        "first: 3, 1, 0.5, -2, -5.",
    )
    close(
        values,
        [3.0, 1.0, 0.5, -2.0, -5.0],
        atol=1e-9,
        what="eigenvalues of a matrix with eigenvalues 3, -5, 1, 0.5, -2, largest first",
    )
    close(
        S @ vectors,
        vectors * values,
        atol=1e-8,
        what="S @ vectors vs vectors * values for the indefinite matrix",
    )


@check("PCA on the iris data (2 components) matches scikit-learn")
def pca_iris(lab):
    _check_pca(lab, _iris(), 2, "iris")


@check("PCA on the standardized wine data (3 components) matches scikit-learn")
def pca_wine(lab):
    _check_pca(lab, _wine_standardized(), 3, "wine")


@check("Projecting data onto the components matches PCA.transform")
def transform(lab):
    X = _wine_standardized()
    ref = PCA(n_components=3).fit(X)
    got = np.asarray(
        lab.pca_transform(X.copy(), ref.mean_.copy(), ref.components_.copy()), dtype=float
    )
    expect(
        got.shape == (len(X), 3),
        f"pca_transform must return shape (n_samples, k) = {(len(X), 3)}, got {got.shape}.",
    )
    close(
        got, ref.transform(X), rtol=1e-6, atol=1e-9, what="PCA scores (centred data @ components.T)"
    )


@check("pca_transform uses the mean it is given (new rows, the training mean)")
def transform_new_rows(lab):
    X = _iris()
    ref = PCA(n_components=2).fit(X)
    new = X[100:110]  # ten virginica rows: their own mean is far from the training mean
    got = np.asarray(
        lab.pca_transform(new.copy(), ref.mean_.copy(), ref.components_.copy()), dtype=float
    )
    expect(
        got.shape == (10, 2),
        f"pca_transform must return shape (10, 2) for 10 rows, got {got.shape}.",
    )
    expect(
        not np.allclose(got, (new - new.mean(axis=0)) @ ref.components_.T, atol=1e-9),
        "pca_transform centred the new rows with their own mean: subtract the mean you are given "
        "(the training data's), so that new points land where the training points would.",
    )
    close(
        got,
        ref.transform(new),
        rtol=1e-6,
        atol=1e-9,
        what="PCA scores of 10 new rows with the training mean",
    )
