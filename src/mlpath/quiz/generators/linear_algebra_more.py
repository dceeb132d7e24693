"""More linear-algebra generators: transposes, predictions, systems, maps, eigenvalues, SVD."""

from __future__ import annotations

import math
import random

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _m, _n, _nz, _v


@generator("transpose-entry")
def transpose_entry(rng: random.Random) -> Instance:
    rows, cols = rng.choice([(2, 3), (3, 2), (2, 4)])
    a = [[rng.randint(-9, 9) for _ in range(cols)] for _ in range(rows)]
    i, j = rng.randrange(cols), rng.randrange(rows)
    return _n(
        f"A = {_m(a)} is {rows}×{cols}. What is the entry in row {i + 1}, column {j + 1} of Aᵀ?",
        a[j][i],
        decimals=0,
        explanation=f"(Aᵀ)[{i + 1},{j + 1}] = A[{j + 1},{i + 1}] = {a[j][i]}: transposing swaps "
        "row and column indexes.",
    )


@generator("matrix-combination-entry")
def matrix_combination_entry(rng: random.Random) -> Instance:
    a = [[rng.randint(-5, 5) for _ in range(2)] for _ in range(2)]
    b = [[rng.randint(-5, 5) for _ in range(2)] for _ in range(2)]
    s, t = _nz(rng, -3, 3), _nz(rng, -3, 3)
    i, j = rng.randrange(2), rng.randrange(2)
    value = s * a[i][j] + t * b[i][j]
    return _n(
        f"A = {_m(a)} and B = {_m(b)}. What is the entry in row {i + 1}, column {j + 1} of "
        f"{s}A + {t}B?".replace("+ -", "− "),
        value,
        decimals=0,
        explanation=f"Scaling and adding work entry by entry: {s}·{a[i][j]} + {t}·{b[i][j]} = {value}.",
    )


@generator("dataset-prediction")
def dataset_prediction(rng: random.Random) -> Instance:
    x = [[rng.randint(0, 5) for _ in range(3)] for _ in range(3)]
    w = [rng.choice([-2, -1, 0.5, 1, 2, 3]) for _ in range(3)]
    i = rng.randrange(3)
    value = sum(a * b for a, b in zip(x[i], w, strict=True))
    return _n(
        f"A dataset has rows X = {_m(x)} and a linear model has weights w = "
        f"({', '.join(fmt(v) for v in w)}). What is the prediction for row {i + 1}, entry "
        f"{i + 1} of X w? Give 1 decimal.",
        value,
        decimals=1,
        explanation=f"Row {i + 1} dotted with w: "
        + " + ".join(f"{a}·{fmt(b)}" for a, b in zip(x[i], w, strict=True))
        + f" = {fmt(value)}.",
    )


@generator("back-substitution")
def back_substitution(rng: random.Random) -> Instance:
    x, y, z = rng.randint(-4, 4), rng.randint(-4, 4), rng.randint(-4, 4)
    a, b, c = _nz(rng, -3, 3), _nz(rng, -3, 3), _nz(rng, 1, 3)
    e1, e2, e3 = x + a * y + b * z, y + c * z, z
    which = rng.choice(["x", "y"])
    return _n(
        f"Solve by back-substitution: x + {a}y + {b}z = {e1}, y + {c}z = {e2}, z = {e3}. "
        f"What is {which}?".replace("+ -", "− "),
        x if which == "x" else y,
        decimals=0,
        explanation=f"z = {z}; then y = {e2} − {c}·{z} = {y}; then x = {e1} − {a}·{y} − {b}·{z} = {x}.",
    )


@generator("invertible-check")
def invertible_check(rng: random.Random) -> Instance:
    a, b = _nz(rng, -4, 4), rng.randint(-4, 4)
    if rng.random() < 0.5:
        k = _nz(rng, -3, 3)
        c, d = k * a, k * b
    else:
        while True:
            c, d = rng.randint(-4, 4), rng.randint(-4, 4)
            if a * d - b * c:
                break
    det = a * d - b * c
    key = "No: det = 0, its columns are dependent" if det == 0 else f"Yes: det = {det} ≠ 0"
    return single_from(
        rng,
        f"Is the matrix [{a} {b}; {c} {d}] invertible?",
        key=key,
        distractors=[
            "No: det = 0, its columns are dependent",
            f"Yes: det = {det} ≠ 0" if det else "Yes: every square matrix is invertible",
            "Only if it is symmetric",
        ],
        explanation=f"det = ({a})({d}) − ({b})({c}) = {det}; a square matrix is invertible exactly "
        "when its determinant is non-zero.",
    )


@generator("rotate-vector")
def rotate_vector(rng: random.Random) -> Instance:
    v = (rng.randint(-5, 5), rng.randint(-5, 5))
    while v == (0, 0):
        v = (rng.randint(-5, 5), rng.randint(-5, 5))
    angle, image = rng.choice(
        [
            ("90° counter-clockwise", (-v[1], v[0])),
            ("180°", (-v[0], -v[1])),
            ("90° clockwise", (v[1], -v[0])),
        ]
    )
    others = [(-v[1], v[0]), (-v[0], -v[1]), (v[1], -v[0]), (v[1], v[0]), (-v[0], v[1])]
    return single_from(
        rng,
        f"Where does the rotation by {angle} send v = {_v(v)}?",
        key=_v(image),
        distractors=[_v(o) for o in others if o != image],
        explanation=f"Rotating by {angle} maps (x, y) to {_v(image)} for v = {_v(v)}; the matrix's "
        "columns are the images of the basis vectors.",
    )


@generator("basis-image")
def basis_image(rng: random.Random) -> Instance:
    a = [[rng.randint(-4, 4) for _ in range(2)] for _ in range(2)]
    j = rng.randrange(2)
    col = (a[0][j], a[1][j])
    row = (a[j][0], a[j][1])
    name = "î = (1, 0)" if j == 0 else "ĵ = (0, 1)"
    other = (a[0][1 - j], a[1][1 - j])
    return single_from(
        rng,
        f"Where does the matrix {_m(a)} send {name}?",
        key=_v(col),
        distractors=[_v(row), _v(other), _v((col[1], col[0])), _v((-col[0], -col[1]))],
        explanation=f"A basis vector lands on the matching column: column {j + 1} is {_v(col)}.",
    )


@generator("trace-det-eigen")
def trace_det_eigen(rng: random.Random) -> Instance:
    a = [[rng.randint(-5, 6) for _ in range(2)] for _ in range(2)]
    trace, det = a[0][0] + a[1][1], a[0][0] * a[1][1] - a[0][1] * a[1][0]
    which = rng.choice(["sum", "product"])
    value = trace if which == "sum" else det
    return _n(
        f"Without solving for them, what is the {which} of the eigenvalues of {_m(a)}?",
        value,
        decimals=0,
        explanation=f"The eigenvalues add up to the trace ({trace}) and multiply to the "
        f"determinant ({det}), since det(A − λI) = λ² − trace·λ + det.",
    )


@generator("eigenvector-check")
def eigenvector_check(rng: random.Random) -> Instance:
    a_, b_ = rng.randint(-3, 4), _nz(rng, -3, 3)
    a = [[a_, b_], [b_, a_]]
    v, lam = rng.choice(
        [((1, 1), a_ + b_), ((1, -1), a_ - b_), ((2, 2), a_ + b_), ((3, -3), a_ - b_)]
    )
    av = (a[0][0] * v[0] + a[0][1] * v[1], a[1][0] * v[0] + a[1][1] * v[1])
    return _n(
        f"v = {_v(v)} is an eigenvector of A = {_m(a)}. Compute A v and read off the eigenvalue.",
        lam,
        decimals=0,
        explanation=f"A v = {_v(av)} = {lam}·{_v(v)}, so λ = {lam}.",
    )


@generator("frobenius-from-singular")
def frobenius_from_singular(rng: random.Random) -> Instance:
    s = sorted(rng.sample(range(1, 10), 3), reverse=True)
    which = rng.choice(["norm", "kept"])
    if which == "norm":
        value = math.sqrt(sum(x * x for x in s))
        return _n(
            f"A matrix has singular values {', '.join(map(str, s))}. What is its Frobenius norm? "
            "Give 3 decimals.",
            value,
            decimals=3,
            explanation=f"‖A‖_F = sqrt(Σ σᵢ²) = sqrt({' + '.join(f'{x}²' for x in s)}) = {value:.3f}.",
        )
    value = s[0] ** 2 / sum(x * x for x in s)
    return _n(
        f"A matrix has singular values {', '.join(map(str, s))}. What fraction of its squared "
        "Frobenius norm does the best rank-1 approximation keep? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"σ₁²/Σσᵢ² = {s[0] ** 2}/{sum(x * x for x in s)} = {value:.3f}.",
    )


@generator("rank-one-entry")
def rank_one_entry(rng: random.Random) -> Instance:
    sigma = rng.randint(2, 9)
    u = [rng.choice([-1, 1, 2, -2]) for _ in range(2)]
    v = [rng.choice([-1, 1, 3]) for _ in range(2)]
    i, j = rng.randrange(2), rng.randrange(2)
    value = sigma * u[i] * v[j]
    return _n(
        f"A rank-1 matrix is σ u vᵀ with σ = {sigma}, u = {_v(u)} and v = {_v(v)}. What is its "
        f"entry in row {i + 1}, column {j + 1}?",
        value,
        decimals=0,
        explanation=f"(σ u vᵀ)[{i + 1},{j + 1}] = σ·u{i + 1}·v{j + 1} = {sigma}·{u[i]}·{v[j]} = {value}.",
    )
