"""Evaluate a bank's ``derivation``: arithmetic and ``math.*`` only, never arbitrary code.

A bank may come with a custom curriculum, so its formulas are data, not code: they are
parsed with :mod:`ast` and only numbers, arithmetic, and calls to ``math`` functions
(plus ``abs``, ``min``, ``max``, ``round``, ``sum``) are evaluated.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
_BUILTINS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "sum": sum,
}
MAX_EXPONENT = 1000
MAX_LENGTH = 500


class FormulaError(ValueError):
    """The derivation is not a formula this evaluator accepts, or it fails."""


def evaluate(text: str) -> float:
    """The value of ``text``, e.g. ``"math.sqrt(3**2 + 4**2)"`` -> 5.0."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not a Python expression ({exc.msg})") from None
    try:
        value = _eval(tree.body)
    except FormulaError:
        raise
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise FormulaError(f"fails: {exc}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormulaError("does not give a number")
    return float(value)


def _eval(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise FormulaError("booleans are not numbers here")
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow):
            if abs(right) > MAX_EXPONENT:
                raise FormulaError(f"exponent larger than {MAX_EXPONENT}")
            return float(left) ** right  # floats: a huge power overflows instead of hanging
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Tuple | ast.List):
        return [_eval(e) for e in node.elts]
    if isinstance(node, ast.Attribute) and _is_math(node.value):
        value = getattr(math, node.attr, None)
        if isinstance(value, float):
            return value
        raise FormulaError(f"math.{node.attr} is not a constant")
    if isinstance(node, ast.Call) and not node.keywords:
        func = _function(node.func)
        return func(*(_eval(a) for a in node.args))
    raise FormulaError(f"{ast.unparse(node)!r} is not allowed (numbers, arithmetic, math.*)")


def _function(node: ast.AST) -> Callable[..., Any]:
    if isinstance(node, ast.Name) and node.id in _BUILTINS:
        return _BUILTINS[node.id]
    if isinstance(node, ast.Attribute) and _is_math(node.value) and not node.attr.startswith("_"):
        func = getattr(math, node.attr, None)
        if callable(func):
            return func  # type: ignore[no-any-return]
    raise FormulaError(f"{ast.unparse(node)!r} is not an allowed function")


def _is_math(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "math"
