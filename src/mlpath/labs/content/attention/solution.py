"""Lab: attention by hand (reference solution)."""

import math

import torch


def causal_mask(T):
    """(T, T) bool tensor, True where query position i may attend to key position j (j <= i)."""
    return torch.ones(T, T, dtype=torch.bool).tril()


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v, with positions where mask is False left out.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v), mask: None or bool (Tq, Tk)
    (broadcastable to the scores). Returns (output (..., Tq, d_v), weights (..., Tq, Tk)).
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


def split_heads(x, n_heads):
    """(N, T, E) -> (N, n_heads, T, E // n_heads)."""
    N, T, E = x.shape
    return x.reshape(N, T, n_heads, E // n_heads).transpose(1, 2)


def merge_heads(x):
    """(N, n_heads, T, d_head) -> (N, T, n_heads * d_head)."""
    N, H, T, D = x.shape
    return x.transpose(1, 2).reshape(N, T, H * D)


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
    """Multi-head attention with the weights of an nn.MultiheadAttention(E, n_heads, batch_first=True).

    query: (N, Tq, E), key and value: (N, Tk, E); in_proj_weight (3E, E) and in_proj_bias (3E,)
    stack the query, key and value projections; out_proj_weight (E, E), out_proj_bias (E,).
    mask: None or bool (Tq, Tk), True = may attend.
    Returns (output (N, Tq, E), weights (N, n_heads, Tq, Tk)).
    """
    W_q, W_k, W_v = in_proj_weight.chunk(3)
    b_q, b_k, b_v = in_proj_bias.chunk(3)
    q = split_heads(query @ W_q.T + b_q, n_heads)
    k = split_heads(key @ W_k.T + b_k, n_heads)
    v = split_heads(value @ W_v.T + b_v, n_heads)
    heads, weights = scaled_dot_product_attention(q, k, v, mask)
    return merge_heads(heads) @ out_proj_weight.T + out_proj_bias, weights
