"""Generators of the math phase, linear algebra: products, systems, eigenvalues, SVD."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _m, _n, _nz, _v

# --------------------------------------------------------------------------- linear algebra


@generator("matrix-vector-entry")
def matrix_vector_entry(rng: random.Random) -> Instance:
    a = [[rng.randint(-4, 4) for _ in range(3)] for _ in range(2)]
    x = [rng.randint(-3, 3) for _ in range(3)]
    i = rng.randrange(2)
    value = sum(a[i][k] * x[k] for k in range(3))
    terms = " + ".join(f"({a[i][k]})({x[k]})" for k in range(3))
    return _n(
        f"A = {_m(a)} (rows separated by ';') and x = {_v(x)}. What is entry {i + 1} of A x?",
        value,
        decimals=0,
        explanation=f"Entry {i + 1} of A x is row {i + 1} of A dotted with x: {terms} = {value}.",
    )


@generator("matrix-product-entry")
def matrix_product_entry(rng: random.Random) -> Instance:
    a = [[rng.randint(-3, 3) for _ in range(3)] for _ in range(2)]
    b = [[rng.randint(-3, 3) for _ in range(2)] for _ in range(3)]
    i, j = rng.randrange(2), rng.randrange(2)
    value = sum(a[i][k] * b[k][j] for k in range(3))
    terms = " + ".join(f"({a[i][k]})({b[k][j]})" for k in range(3))
    return _n(
        f"A = {_m(a)} is 2×3 and B = {_m(b)} is 3×2 (rows separated by ';'). "
        f"What is the entry in row {i + 1}, column {j + 1} of AB?",
        value,
        decimals=0,
        explanation=f"(AB)[{i + 1},{j + 1}] = row {i + 1} of A · column {j + 1} of B = {terms} "
        f"= {value}.",
    )


@generator("product-shape")
def product_shape(rng: random.Random) -> Instance:
    m, n, p = rng.sample(range(2, 9), 3)
    return single_from(
        rng,
        f"A is {m}×{n} and B is {n}×{p}. What is the shape of AB?",
        key=f"{m}×{p}",
        distractors=[f"{p}×{m}", f"{n}×{n}", f"{m}×{n}", f"{n}×{p}", "AB is undefined"],
        explanation=f"(m×n)(n×p) gives m×p: the inner sizes ({n}) must match and disappear, "
        f"so AB is {m}×{p}.",
    )


@generator("determinant-2x2")
def determinant_2x2(rng: random.Random) -> Instance:
    a, b, c, d = (rng.randint(-6, 6) for _ in range(4))
    det = a * d - b * c
    return _n(
        f"What is the determinant of the matrix [{a} {b}; {c} {d}]?",
        det,
        decimals=0,
        explanation=f"det = ad − bc = ({a})({d}) − ({b})({c}) = {det}.",
    )


@generator("inverse-2x2-entry")
def inverse_2x2_entry(rng: random.Random) -> Instance:
    while True:
        a, b, c, d = (rng.randint(-5, 5) for _ in range(4))
        det = a * d - b * c
        if det in (-4, -2, -1, 1, 2, 4):
            break
    inverse = [[Fraction(d, det), Fraction(-b, det)], [Fraction(-c, det), Fraction(a, det)]]
    i, j = rng.randrange(2), rng.randrange(2)
    value = inverse[i][j]
    return _n(
        f"A = [{a} {b}; {c} {d}]. What is the entry in row {i + 1}, column {j + 1} of A⁻¹? "
        "Give 2 decimals.",
        float(value),
        decimals=2,
        explanation=f"det A = {det}, and A⁻¹ = (1/det)[d −b; −c a] = (1/{det})[{d} {-b}; {-c} {a}], "
        f"so the entry is {fmt(float(value))}.",
    )


@generator("solve-2x2-system")
def solve_2x2_system(rng: random.Random) -> Instance:
    while True:
        a, b, c, d = (rng.randint(-4, 4) for _ in range(4))
        if a * d - b * c != 0:
            break
    x, y = rng.randint(-5, 5), rng.randint(-5, 5)
    e, f = a * x + b * y, c * x + d * y
    which = rng.choice(["x", "y"])
    return _n(
        f"Solve {a}x + {b}y = {e} and {c}x + {d}y = {f}. What is {which}?".replace("+ -", "− "),
        x if which == "x" else y,
        decimals=0,
        explanation=f"Eliminating one unknown (or Cramer's rule, det = {a * d - b * c}) gives "
        f"x = {x}, y = {y}.",
    )


@generator("rank-of-matrix")
def rank_of_matrix(rng: random.Random) -> Instance:
    r1 = [_nz(rng, -3, 3), rng.randint(-3, 3), rng.randint(-3, 3)]
    k = _nz(rng, -3, 3)
    rank = rng.choice([1, 2])
    if rank == 1:
        r2 = [k * x for x in r1]
    else:
        while True:
            r2 = [rng.randint(-3, 3) for _ in range(3)]
            cross = (r1[0] * r2[1] - r1[1] * r2[0], r1[0] * r2[2] - r1[2] * r2[0])
            if any(cross):
                break
    why = (
        f"row 2 = {k} × row 1, so only one row is independent"
        if rank == 1
        else "neither row is a multiple of the other, so both rows are independent"
    )
    return _n(
        f"What is the rank of the 2×3 matrix [{' '.join(map(str, r1))}; {' '.join(map(str, r2))}]?",
        rank,
        decimals=0,
        explanation=f"The rank is the number of linearly independent rows: {why}; rank = {rank}.",
    )


@generator("compose-transformations")
def compose_transformations(rng: random.Random) -> Instance:
    a = [[rng.randint(-2, 2) for _ in range(2)] for _ in range(2)]
    b = [[rng.randint(-2, 2) for _ in range(2)] for _ in range(2)]
    ab = [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
    ba = [[sum(b[i][k] * a[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
    i, j = rng.randrange(2), rng.randrange(2)
    return _n(
        f"First apply B = {_m(b)}, then A = {_m(a)}. The combined transformation is one matrix; "
        f"what is its entry in row {i + 1}, column {j + 1}?",
        ab[i][j],
        decimals=0,
        explanation=f"Applying B first and then A is A·B (the first map stands on the right): "
        f"AB = {_m(ab)}. (BA = {_m(ba)} would apply A first.)",
    )


@generator("area-scaling")
def area_scaling(rng: random.Random) -> Instance:
    while True:
        a, b, c, d = (rng.randint(-4, 4) for _ in range(4))
        det = a * d - b * c
        if det:
            break
    area = rng.choice([1, 2, 3, 5])
    return _n(
        f"A shape of area {area} is transformed by [{a} {b}; {c} {d}]. "
        "What is the area of the image?",
        abs(det) * area,
        decimals=0,
        explanation=f"Areas scale by |det| = |{a}·{d} − {b}·{c}| = {abs(det)}, so the image has "
        f"area {abs(det)} × {area} = {abs(det) * area}"
        + (" (the negative determinant also flips orientation)." if det < 0 else "."),
    )


@generator("eigenvalue-2x2")
def eigenvalue_2x2(rng: random.Random) -> Instance:
    l1, l2 = rng.sample(range(-4, 7), 2)
    # a matrix with eigenvalues l1, l2: P diag(l1, l2) P^-1 with P = [1 k; 0 1]
    k = _nz(rng, -3, 3)
    a = [[l1, k], [0, l2]] if rng.random() < 0.5 else [[l1, 0], [k, l2]]
    largest = max(l1, l2)
    trace, det = l1 + l2, l1 * l2
    return _n(
        f"What is the larger eigenvalue of A = {_m(a)}?",
        largest,
        decimals=0,
        explanation=f"A is triangular, so det(A − λI) = ({a[0][0]} − λ)({a[1][1]} − λ) = 0 gives "
        f"λ = {l1} and λ = {l2} (check: trace {trace} = λ₁ + λ₂, det {det} = λ₁λ₂). "
        f"The larger is {largest}.",
    )


@generator("eigenvalue-symmetric")
def eigenvalue_symmetric(rng: random.Random) -> Instance:
    a, b = rng.randint(-3, 5), _nz(rng, -4, 4)
    which = rng.choice(["larger", "smaller"])
    value = a + abs(b) if which == "larger" else a - abs(b)
    return _n(
        f"What is the {which} eigenvalue of the symmetric matrix [{a} {b}; {b} {a}]?",
        value,
        decimals=0,
        explanation=f"(1, 1) and (1, −1) are eigenvectors of [a b; b a], with eigenvalues a + b = "
        f"{a + b} and a − b = {a - b}; the {which} is {value}.",
    )


@generator("rank-k-error")
def rank_k_error(rng: random.Random) -> Instance:
    sigmas = sorted(rng.sample(range(1, 13), 4), reverse=True)
    k = rng.choice([1, 2, 3])
    dropped = sigmas[k:]
    error = math.sqrt(sum(s * s for s in dropped))
    return _n(
        f"A matrix has singular values {', '.join(map(str, sigmas))}. Its best rank-{k} "
        "approximation keeps the largest ones. What is the Frobenius norm of the error? "
        "Give 2 decimals.",
        error,
        decimals=2,
        explanation="The error of the truncated SVD is the root of the sum of the squared dropped "
        f"singular values: sqrt({' + '.join(f'{s}²' for s in dropped)}) = {error:.2f}.",
    )


@generator("rank-from-singular-values")
def rank_from_singular_values(rng: random.Random) -> Instance:
    nonzero = sorted(rng.sample(range(1, 20), rng.randint(1, 4)), reverse=True)
    zeros = rng.randint(1, 3)
    values = [str(x) for x in nonzero] + ["0"] * zeros
    return _n(
        f"The SVD of a matrix gives the singular values {', '.join(values)}. What is its rank?",
        len(nonzero),
        decimals=0,
        explanation=f"The rank is the number of non-zero singular values: {len(nonzero)}.",
    )
