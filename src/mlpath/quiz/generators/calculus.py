"""Generators of the math phase, calculus: derivatives, integrals, gradients, optimisation."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _m, _n, _nz, _v

# --------------------------------------------------------------------------- calculus


@generator("polynomial-derivative")
def polynomial_derivative(rng: random.Random) -> Instance:
    a, b, c = _nz(rng, -3, 3), rng.randint(-5, 5), rng.randint(-5, 5)
    x0 = rng.randint(-3, 3)
    value = 3 * a * x0**2 + 2 * b * x0 + c
    f = f"{a}x³ + {b}x² + {c}x".replace("+ -", "− ")
    return _n(
        f"f(x) = {f}. What is f'({x0})?",
        value,
        decimals=0,
        explanation=f"By the power rule f'(x) = {3 * a}x² + {2 * b}x + {c}, so "
        f"f'({x0}) = {3 * a}·{x0 * x0} + {2 * b}·{x0} + {c} = {value}.",
    )


@generator("exp-log-derivative")
def exp_log_derivative(rng: random.Random) -> Instance:
    kind = rng.choice(["exp", "log", "product"])
    if kind == "exp":
        a, b = _nz(rng, -3, 3), rng.choice([0.5, 1, 2])
        x0 = rng.choice([0, 0.5, 1])
        value = a * b * math.exp(b * x0)
        return _n(
            f"f(x) = {a}·e^({fmt(b)}x). What is f'({fmt(x0)})? Give 3 decimals.",
            value,
            decimals=3,
            explanation=f"f'(x) = {a}·{fmt(b)}·e^({fmt(b)}x), so f'({fmt(x0)}) = {value:.3f}.",
        )
    if kind == "log":
        a, x0 = _nz(rng, -4, 4), rng.choice([1, 2, 4, 5])
        value = a / x0
        return _n(
            f"f(x) = {a}·ln(x). What is f'({x0})? Give 3 decimals.",
            value,
            decimals=3,
            explanation=f"(ln x)' = 1/x, so f'({x0}) = {a}/{x0} = {value:.3f}.",
        )
    x0 = rng.choice([1, 2, 3])
    value = 2 * x0 * math.log(x0) + x0
    return _n(
        f"f(x) = x²·ln(x). What is f'({x0})? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Product rule: f'(x) = 2x·ln x + x²·(1/x) = 2x ln x + x, so "
        f"f'({x0}) = {value:.3f}.",
    )


@generator("forward-difference")
def forward_difference(rng: random.Random) -> Instance:
    x0, h = rng.randint(-4, 4), rng.choice([0.1, 0.2, 0.5])
    approx = ((x0 + h) ** 2 - x0**2) / h
    return _n(
        f"Estimate the derivative of f(x) = x² at x = {x0} with the forward difference "
        f"(f(x + h) − f(x)) / h and h = {h}. Give 2 decimals.",
        approx,
        decimals=2,
        explanation=f"((x + h)² − x²)/h = 2x + h = {2 * x0} + {h} = {approx:.2f}; the exact "
        f"derivative is {2 * x0}, and the error h shrinks with h.",
    )


@generator("definite-integral-polynomial")
def definite_integral_polynomial(rng: random.Random) -> Instance:
    c, d = rng.choice([3, 6]), rng.randint(-3, 3)
    a, b = sorted(rng.sample(range(-2, 4), 2))
    value = Fraction(c, 3) * (b**3 - a**3) + d * (b - a)
    return _n(
        f"Evaluate the integral of f(x) = {c}x² + {d} from x = {a} to x = {b}.".replace(
            "+ -", "− "
        ),
        float(value),
        decimals=2,
        explanation=f"An antiderivative is F(x) = {c // 3}x³ + {d}x; F({b}) − F({a}) = "
        f"{fmt(float(value))}.",
    )


@generator("exponential-area")
def exponential_area(rng: random.Random) -> Instance:
    lam, t = rng.choice([0.5, 1, 2, 3]), rng.choice([0.5, 1, 2])
    value = 1 - math.exp(-lam * t)
    return _n(
        f"Evaluate the integral of {fmt(lam)}·e^(−{fmt(lam)}x) from 0 to {fmt(t)}. Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"An antiderivative is −e^(−{fmt(lam)}x), so the integral is "
        f"1 − e^(−{fmt(lam * t)}) = {value:.3f}. From 0 to ∞ it would be exactly 1.",
    )


@generator("riemann-sum")
def riemann_sum(rng: random.Random) -> Instance:
    n = rng.choice([2, 3, 4, 5, 6, 8, 10])
    side = rng.choice(["left", "right"])
    points = [i / n for i in range(n)] if side == "left" else [(i + 1) / n for i in range(n)]
    value = sum(p * p for p in points) / n
    return _n(
        f"Approximate the integral of x² from 0 to 1 with a {side} Riemann sum of {n} strips of "
        "equal width. Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"Width 1/{n}; heights at the {side} ends: (1/{n})·Σ x² = {value:.4f}. "
        "The exact area is 1/3 ≈ 0.3333, which the sums approach as the strips get thinner.",
    )


@generator("double-integral-rectangle")
def double_integral_rectangle(rng: random.Random) -> Instance:
    a, b = sorted(rng.sample(range(0, 4), 2))
    c, d = sorted(rng.sample(range(0, 4), 2))
    value = Fraction(b * b - a * a, 2) * Fraction(d * d - c * c, 2)
    return _n(
        f"Evaluate the double integral of f(x, y) = x·y over the rectangle {a} ≤ x ≤ {b}, "
        f"{c} ≤ y ≤ {d}. Give 2 decimals.",
        float(value),
        decimals=2,
        explanation=f"As an iterated integral it factors: (∫x dx)(∫y dy) = "
        f"(({b}² − {a}²)/2)(({d}² − {c}²)/2) = {fmt(float(value))}.",
    )


@generator("partial-derivative")
def partial_derivative(rng: random.Random) -> Instance:
    a, b = _nz(rng, -3, 3), _nz(rng, -3, 3)
    x0, y0 = rng.randint(-3, 3), rng.randint(-3, 3)
    which = rng.choice(["x", "y"])
    value = 2 * a * x0 * y0 if which == "x" else a * x0**2 + 3 * b * y0**2
    rule = f"{2 * a}xy" if which == "x" else f"{a}x² + {3 * b}y²"
    return _n(
        f"f(x, y) = {a}x²y + {b}y³. What is ∂f/∂{which} at (x, y) = ({x0}, {y0})?".replace(
            "+ -", "− "
        ),
        value,
        decimals=0,
        explanation=f"Holding the other variable fixed, ∂f/∂{which} = {rule}; at ({x0}, {y0}) "
        f"that is {value}.",
    )


@generator("mse-gradient")
def mse_gradient(rng: random.Random) -> Instance:
    xs = [rng.randint(1, 4) for _ in range(2)]
    ys = [rng.randint(-3, 6) for _ in range(2)]
    w = rng.randint(-2, 2)
    grad = sum(2 * (w * x - y) * x for x, y in zip(xs, ys, strict=True)) / 2
    return _n(
        f"For one weight w and data (x, y) = ({xs[0]}, {ys[0]}) and ({xs[1]}, {ys[1]}), "
        f"L(w) = (1/2) Σ (w·x − y)². What is dL/dw at w = {w}? Give 1 decimal.",
        grad,
        decimals=1,
        explanation="dL/dw = (1/2) Σ 2(w·x − y)·x = "
        + " + ".join(f"({w}·{x} − {y})·{x}" for x, y in zip(xs, ys, strict=True))
        + f" = {fmt(grad)}.",
    )


@generator("chain-rule-power")
def chain_rule_power(rng: random.Random) -> Instance:
    a, b, n = _nz(rng, -3, 3), rng.randint(-3, 3), rng.choice([2, 3, 4])
    x0 = rng.choice([-1, 0, 1])
    inner = a * x0 + b
    value = n * inner ** (n - 1) * a
    return _n(
        f"f(x) = ({a}x + {b})^{n}. What is f'({x0})?".replace("+ -", "− "),
        value,
        decimals=0,
        explanation=f"Chain rule: f'(x) = {n}({a}x + {b})^{n - 1} · {a}; at x = {x0} the inner "
        f"value is {inner}, so f'({x0}) = {n}·{inner}^{n - 1}·{a} = {value}.",
    )


@generator("sigmoid-derivative")
def sigmoid_derivative(rng: random.Random) -> Instance:
    z = rng.choice([-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3])
    s = 1 / (1 + math.exp(-z))
    value = s * (1 - s)
    return _n(
        f"σ(z) = 1/(1 + e^(−z)). What is σ'({fmt(z)})? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"σ'(z) = σ(z)(1 − σ(z)); σ({fmt(z)}) = {s:.4f}, so σ'({fmt(z)}) = {value:.4f}.",
    )


@generator("backward-pass")
def backward_pass(rng: random.Random) -> Instance:
    x, y, z = _nz(rng, -4, 4), _nz(rng, -4, 4), _nz(rng, -4, 4)
    which = rng.choice(["x", "y", "z"])
    grads = {"x": z, "y": z, "z": x + y}
    return _n(
        f"f = (x + y)·z with x = {x}, y = {y}, z = {z}. A backward pass through the graph "
        f"q = x + y, f = q·z gives ∂f/∂{which} = ?",
        grads[which],
        decimals=0,
        explanation=f"∂f/∂q = z = {z} and ∂f/∂z = q = {x + y}; the add gate passes its gradient "
        f"unchanged, so ∂f/∂x = ∂f/∂y = {z}.",
    )


@generator("quadratic-form-gradient")
def quadratic_form_gradient(rng: random.Random) -> Instance:
    a = [[rng.randint(-3, 3) for _ in range(2)] for _ in range(2)]
    x = [rng.randint(-2, 2), rng.randint(-2, 2)]
    s = [[a[i][j] + a[j][i] for j in range(2)] for i in range(2)]
    g = [s[i][0] * x[0] + s[i][1] * x[1] for i in range(2)]
    i = rng.randrange(2)
    return _n(
        f"f(x) = xᵀAx with A = {_m(a)}. What is component {i + 1} of ∇f at x = {_v(x)}?",
        g[i],
        decimals=0,
        explanation=f"∇(xᵀAx) = (A + Aᵀ)x = {_m(s)}·{_v(x)} = {_v(g)}.",
    )


@generator("hessian-classify")
def hessian_classify(rng: random.Random) -> Instance:
    while True:
        a, b, c = rng.randint(-3, 3), rng.randint(-4, 4), rng.randint(-3, 3)
        det = 4 * a * c - b * b
        if det != 0:
            break
    if det < 0:
        key = "a saddle point"
    elif a > 0:
        key = "a local minimum"
    else:
        key = "a local maximum"
    return single_from(
        rng,
        f"f(x, y) = {a}x² + {b}xy + {c}y² has a stationary point at the origin. "
        "Its Hessian classifies it as:".replace("+ -", "− "),
        key=key,
        distractors=["a local minimum", "a local maximum", "a saddle point"],
        explanation=f"H = [{2 * a} {b}; {b} {2 * c}] with det = {det}: "
        + (
            "a negative determinant means eigenvalues of opposite signs, a saddle."
            if det < 0
            else f"det > 0 and H₁₁ = {2 * a} {'> 0: both eigenvalues positive, a minimum' if a > 0 else '< 0: both eigenvalues negative, a maximum'}."
        ),
    )


@generator("taylor-first-order")
def taylor_first_order(rng: random.Random) -> Instance:
    x0, y0 = rng.choice([1, 2]), rng.choice([1, 2, 3])
    dx, dy = rng.choice([0.1, -0.1, 0.2]), rng.choice([0.1, -0.1, -0.2])
    f0 = x0 * x0 * y0
    fx, fy = 2 * x0 * y0, x0 * x0
    approx = f0 + fx * dx + fy * dy
    return _n(
        f"Use the first-order Taylor approximation of f(x, y) = x²y around ({x0}, {y0}) to "
        f"estimate f({fmt(x0 + dx)}, {fmt(y0 + dy)}). Give 2 decimals.",
        approx,
        decimals=2,
        explanation=f"f ≈ f(a) + ∇f(a)·Δ = {f0} + {fx}·({fmt(dx)}) + {fy}·({fmt(dy)}) = {approx:.2f}.",
    )


@generator("gradient-descent-step")
def gradient_descent_step(rng: random.Random) -> Instance:
    c, x0 = rng.randint(-3, 5), rng.randint(-4, 8)
    lr = rng.choice([0.1, 0.25, 0.4])
    steps = rng.choice([1, 2])
    x = float(x0)
    for _ in range(steps):
        x = x - lr * 2 * (x - c)
    return _n(
        f"Minimise f(x) = (x − {c})² by gradient descent from x₀ = {x0} with learning rate "
        f"{lr}. What is x after {steps} step{'s' if steps > 1 else ''}? Give 3 decimals.".replace(
            "− -", "+ "
        ),
        x,
        decimals=3,
        explanation=f"f'(x) = 2(x − {c}); each step x ← x − {lr}·2(x − {c}) moves a fraction "
        f"{2 * lr:g} of the way to {c}. After {steps}: x = {x:.3f}.",
    )


@generator("lagrange-multiplier")
def lagrange_multiplier(rng: random.Random) -> Instance:
    c = rng.choice([2, 4, 6, 8, 10])
    which = rng.choice(["value", "lambda"])
    if which == "value":
        return _n(
            f"Minimise x² + y² subject to x + y = {c}. What is the minimum value?",
            c * c / 2,
            decimals=1,
            explanation=f"∇(x² + y²) = λ∇(x + y) gives 2x = 2y = λ, so x = y = {c // 2}; "
            f"the minimum is 2·{c // 2}² = {fmt(c * c / 2)}.",
        )
    return _n(
        f"Minimise x² + y² subject to x + y = {c} with a Lagrange multiplier: ∇f = λ∇g. What is λ?",
        c,
        decimals=0,
        explanation=f"2x = λ and 2y = λ give x = y = λ/2; x + y = λ = {c}.",
    )
