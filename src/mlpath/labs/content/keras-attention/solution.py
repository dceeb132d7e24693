"""Lab: attention by hand in Keras 3 (reference solution)."""

import math

from keras import ops


def causal_mask(T):
    """(T, T) bool tensor, True where query position i may attend to key position j (j <= i)."""
    return ops.tril(ops.ones((T, T), dtype="bool"))


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v, with the scores where mask is False set to -inf first.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v), mask: None or bool (Tq, Tk)
    (broadcastable to the scores). Returns (output (..., Tq, d_v), weights (..., Tq, Tk)).
    """
    scores = ops.matmul(q, ops.swapaxes(k, -1, -2)) / math.sqrt(ops.shape(q)[-1])
    if mask is not None:
        scores = ops.where(mask, scores, float("-inf"))
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, v), weights


def split_heads(x, n_heads):
    """(N, T, E) -> (N, n_heads, T, E // n_heads)."""
    N, T, E = ops.shape(x)
    return ops.transpose(ops.reshape(x, (N, T, n_heads, E // n_heads)), (0, 2, 1, 3))


def merge_heads(x):
    """(N, n_heads, T, d_head) -> (N, T, n_heads * d_head)."""
    N, H, T, D = ops.shape(x)
    return ops.reshape(ops.transpose(x, (0, 2, 1, 3)), (N, T, H * D))


def multi_head_attention(query, key, value, params, n_heads, mask=None):
    """Multi-head attention with the weights of a keras.layers.MultiHeadAttention, flattened.

    query: (N, Tq, E), key and value: (N, Tk, E). params holds "query_kernel", "key_kernel",
    "value_kernel", "output_kernel" (each (E, E), a projection is x @ kernel + bias) and
    "query_bias", "key_bias", "value_bias", "output_bias" (each (E,)).
    mask: None or bool (Tq, Tk), True = may attend.
    Returns (output (N, Tq, E), weights (N, n_heads, Tq, Tk)).
    """

    def project(x, name):
        return ops.matmul(x, params[f"{name}_kernel"]) + params[f"{name}_bias"]

    q = split_heads(project(query, "query"), n_heads)
    k = split_heads(project(key, "key"), n_heads)
    v = split_heads(project(value, "value"), n_heads)
    heads, weights = scaled_dot_product_attention(q, k, v, mask)
    return project(merge_heads(heads), "output"), weights
