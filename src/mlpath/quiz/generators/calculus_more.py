"""More calculus generators: tangents, minima, areas, gradients, Jacobians, convexity, steps."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _n, _nz


@generator("tangent-line")
def tangent_line(rng: random.Random) -> Instance:
    a, x0 = _nz(rng, -3, 3), rng.randint(-3, 3)
    dx = rng.choice([0.1, -0.1, 0.2, -0.2, 0.5])
    f0, slope = a * x0 * x0, 2 * a * x0
    value = f0 + slope * dx
    return _n(
        f"Use the tangent line of f(x) = {a}x² at x = {x0} to estimate f({fmt(x0 + dx)}). "
        "Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"f({x0}) = {f0} and f'({x0}) = {slope}, so f({fmt(x0 + dx)}) ≈ {f0} + "
        f"{slope}·({fmt(dx)}) = {value:.2f}.",
    )


@generator("parabola-minimum")
def parabola_minimum(rng: random.Random) -> Instance:
    a, b = rng.randint(1, 4), rng.randint(-12, 12)
    c = rng.randint(-5, 5)
    x_star = Fraction(-b, 2 * a)
    return _n(
        f"At which x does f(x) = {a}x² + {b}x + {c} have its minimum? Give 2 decimals.".replace(
            "+ -", "− "
        ),
        float(x_star),
        decimals=2,
        explanation=f"f'(x) = {2 * a}x + {b} = 0 gives x = {-b}/{2 * a} = {fmt(float(x_star))}; "
        "f' changes sign from negative to positive there.",
    )


@generator("definite-integral-linear")
def definite_integral_linear(rng: random.Random) -> Instance:
    m, q = rng.randint(-3, 4), rng.randint(0, 6)
    a, b = sorted(rng.sample(range(0, 6), 2))
    value = Fraction(m, 2) * (b * b - a * a) + q * (b - a)
    return _n(
        f"Evaluate the integral of f(x) = {m}x + {q} from {a} to {b}. Give 1 decimal.".replace(
            "+ -", "− "
        ),
        float(value),
        decimals=1,
        explanation=f"F(x) = {fmt(m / 2)}x² + {q}x; F({b}) − F({a}) = {fmt(float(value))}.",
    )


@generator("gradient-norm")
def gradient_norm(rng: random.Random) -> Instance:
    a, b = _nz(rng, -3, 3), _nz(rng, -3, 3)
    x, y = rng.randint(-2, 2), rng.randint(-2, 2)
    g = (2 * a * x, 2 * b * y)
    value = math.hypot(*g)
    return _n(
        f"f(x, y) = {a}x² + {b}y². What is the length ‖∇f‖ of the gradient at ({x}, {y})? "
        "Give 3 decimals.".replace("+ -", "− "),
        value,
        decimals=3,
        explanation=f"∇f = (2·{a}x, 2·{b}y) = {g}; its length is {value:.3f}, the steepest rate of "
        "increase there.",
    )


@generator("directional-derivative")
def directional_derivative(rng: random.Random) -> Instance:
    gx, gy = rng.randint(-4, 4), rng.randint(-4, 4)
    u, shown = rng.choice(
        [
            ((1, 0), "(1, 0)"),
            ((0, 1), "(0, 1)"),
            ((0.6, 0.8), "(0.6, 0.8)"),
            ((-0.8, 0.6), "(−0.8, 0.6)"),
        ]
    )
    value = gx * u[0] + gy * u[1]
    return _n(
        f"At a point, ∇f = ({gx}, {gy}). What is the rate of change of f in the unit direction "
        f"u = {shown}? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"The directional derivative is ∇f·u = {gx}·{fmt(u[0])} + {gy}·{fmt(u[1])} = "
        f"{fmt(value)}.",
    )


@generator("central-difference")
def central_difference(rng: random.Random) -> Instance:
    x0, h = rng.randint(-3, 3), rng.choice([0.1, 0.2, 0.5])
    approx = ((x0 + h) ** 3 - (x0 - h) ** 3) / (2 * h)
    return _n(
        f"Estimate the derivative of f(x) = x³ at x = {x0} with the central difference "
        f"(f(x + h) − f(x − h))/(2h), h = {h}. Give 3 decimals.",
        approx,
        decimals=3,
        explanation=f"The central difference of x³ is 3x² + h² = {3 * x0 * x0} + {fmt(h * h)} = "
        f"{approx:.3f}; the exact derivative is {3 * x0 * x0}, an error of only h².",
    )


@generator("exp-chain")
def exp_chain(rng: random.Random) -> Instance:
    a, x0 = rng.choice([-1, -0.5, 0.5, 1]), rng.choice([0, 0.5, 1, -1])
    value = 2 * a * x0 * math.exp(a * x0 * x0)
    return _n(
        f"f(x) = e^({fmt(a)}x²). What is f'({fmt(x0)})? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"Chain rule: f'(x) = e^({fmt(a)}x²)·{fmt(2 * a)}x, so f'({fmt(x0)}) = "
        f"{value:.4f}.",
    )


@generator("jacobian-entry")
def jacobian_entry(rng: random.Random) -> Instance:
    a, b = _nz(rng, -3, 3), _nz(rng, -3, 3)
    x, y = rng.randint(-2, 3), rng.randint(-2, 3)
    jac = [[2 * a * x * y, a * x * x], [1, 3 * b * y * y]]
    i, j = rng.randrange(2), rng.randrange(2)
    return _n(
        f"f(x, y) = ({a}x²y, x + {b}y³). What is the Jacobian entry ∂f{i + 1}/∂{'xy'[j]} at "
        f"({x}, {y})?".replace("+ -", "− "),
        jac[i][j],
        decimals=0,
        explanation=f"J = [2·{a}xy, {a}x²; 1, 3·{b}y²] = [{jac[0][0]} {jac[0][1]}; {jac[1][0]} "
        f"{jac[1][1]}] at ({x}, {y}).",
    )


@generator("hessian-entry")
def hessian_entry(rng: random.Random) -> Instance:
    a, b, c = rng.randint(-4, 4), rng.randint(-4, 4), rng.randint(-4, 4)
    h = [[2 * a, b], [b, 2 * c]]
    i, j = rng.choice([(0, 0), (0, 1), (1, 1)])
    return _n(
        f"f(x, y) = {a}x² + {b}xy + {c}y². What is the Hessian entry ∂²f/∂{'xy'[i]}∂{'xy'[j]}?".replace(
            "+ -", "− "
        ),
        h[i][j],
        decimals=0,
        explanation=f"H = [2·{a} {b}; {b} 2·{c}] = [{h[0][0]} {h[0][1]}; {h[1][0]} {h[1][1]}], the "
        "same at every point for a quadratic.",
    )


@generator("convexity-check")
def convexity_check(rng: random.Random) -> Instance:
    options = [
        ("x² + 3x", "convex", "f'' = 2 > 0 everywhere"),
        ("eˣ + x²", "convex", "f'' = eˣ + 2 > 0"),
        ("−x²", "concave", "f'' = −2 < 0"),
        ("x³", "neither convex nor concave", "f'' = 6x changes sign at 0"),
        ("|x|", "convex", "it is the maximum of x and −x, both linear"),
        ("sin x", "neither convex nor concave", "f'' = −sin x changes sign"),
        ("ln x (x > 0)", "concave", "f'' = −1/x² < 0"),
        ("x⁴", "convex", "f'' = 12x² ≥ 0"),
        ("−eˣ", "concave", "f'' = −eˣ < 0"),
        ("x² − 4x + 1", "convex", "f'' = 2 > 0"),
    ]
    f, key, why = rng.choice(options)
    return single_from(
        rng,
        f"On its domain, the function f(x) = {f} is:",
        key=key,
        distractors=["convex", "concave", "neither convex nor concave"],
        explanation=f"{why}, so f is {key}.",
    )


@generator("divergence-threshold")
def divergence_threshold(rng: random.Random) -> Instance:
    a = rng.choice([0.5, 1, 2, 4, 5, 10])
    c = rng.randint(-3, 3)
    value = 1 / a
    return _n(
        f"Gradient descent on f(x) = {fmt(a)}(x − {c})² uses x ← x − η f'(x). Above which "
        "learning rate η does it diverge? Give 3 decimals.".replace("− -", "+ "),
        value,
        decimals=3,
        explanation=f"f'(x) = {fmt(2 * a)}(x − {c}), so the distance to {c} is multiplied by "
        f"|1 − {fmt(2 * a)}η| each step; it grows once η > 1/{fmt(a)} = {fmt(value)}.",
    )
