"""Lab: attention by hand.

Implement scaled dot-product attention, a causal mask and multi-head attention with plain
tensor operations (no F.scaled_dot_product_attention, no nn.MultiheadAttention inside
your functions). The checks compare your results with PyTorch's own attention on the
same inputs and weights, in float64, with rtol=1e-5.

Check your work with:  mlpath check attention-mechanisms
"""

import math  # noqa: F401  (math.sqrt is handy)

import torch  # noqa: F401


def causal_mask(T):
    """Build the causal mask for a sequence of length T.

    Returns a (T, T) torch.bool tensor where entry [i, j] is True when query position i
    may attend to key position j, i.e. when j <= i (itself and the past, never the future).
    This is the convention of F.scaled_dot_product_attention: True = may attend.
    """
    # TODO: a lower-triangular matrix of True (torch.ones(...).tril() is one way).
    raise NotImplementedError


def scaled_dot_product_attention(q, k, v, mask=None):
    """Scaled dot-product attention: softmax(q @ k^T / sqrt(d_k)) @ v.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v) float tensors; any leading
    batch/head dimensions. mask: None, or a bool tensor (Tq, Tk) (or broadcastable to
    the scores) where False means "this query must not attend to this key".

    Returns (output, weights): output (..., Tq, d_v) and the attention weights
    (..., Tq, Tk), each row summing to 1 over the keys. Checked against
    F.scaled_dot_product_attention, rtol=1e-5.
    """
    # TODO 1: scores = q @ k^T, divided by sqrt(d_k) (d_k = q.shape[-1]).
    # TODO 2: where mask is False, set the score to -inf (Tensor.masked_fill).
    # TODO 3: softmax over the keys axis; return (weights @ v, weights).
    raise NotImplementedError


def split_heads(x, n_heads):
    """Split the feature axis into heads: (N, T, E) -> (N, n_heads, T, E // n_heads).

    Head h holds features h*d_head : (h+1)*d_head of each position (d_head = E // n_heads).
    """
    # TODO: reshape to (N, T, n_heads, d_head), then swap the T and head axes.
    raise NotImplementedError


def merge_heads(x):
    """Undo split_heads: (N, n_heads, T, d_head) -> (N, T, n_heads * d_head)."""
    raise NotImplementedError


def multi_head_attention(
    query,
    key,
    value,
    in_proj_weight,
    in_proj_bias,
    out_proj_weight,
    out_proj_bias,
    n_heads,
    mask=None,
):
    """Multi-head attention with the weights of nn.MultiheadAttention(E, n_heads, batch_first=True).

    query: (N, Tq, E); key, value: (N, Tk, E).
    in_proj_weight (3E, E) and in_proj_bias (3E,) stack the query, key and value
    projections in that order (rows 0:E are W_q, E:2E are W_k, 2E:3E are W_v);
    a projection is x @ W.T + b. out_proj_weight (E, E) and out_proj_bias (E,) project
    the merged heads. mask: None or bool (Tq, Tk), True = may attend (note: the opposite
    of nn.MultiheadAttention's own bool attn_mask, where True means "blocked").

    Returns (output (N, Tq, E), weights (N, n_heads, Tq, Tk)). Checked against the module
    with average_attn_weights=False, rtol=1e-5.
    """
    # TODO 1: split the stacked projection weights and biases into three (Tensor.chunk).
    # TODO 2: project query, key and value, then split_heads each of them.
    # TODO 3: scaled_dot_product_attention per head (the head axis is just a batch axis).
    # TODO 4: merge_heads, then the output projection.
    raise NotImplementedError
