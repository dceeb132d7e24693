"""Checks for the attention lab."""

import inspect

import torch
import torch.nn.functional as F
from torch import nn

from mlpath.labs.checking import check, close, expect, forbid

torch.set_num_threads(1)

RULE = (
    "This lab asks for attention written with plain tensor operations: no "
    "F.scaled_dot_product_attention, nn.MultiheadAttention or F.multi_head_attention_forward "
    "inside your functions (the checks use them only to compute the expected answers)."
)
FORBIDDEN = (
    "torch.nn.functional.scaled_dot_product_attention",
    "torch.nn.functional.multi_head_attention_forward",
    "torch.nn.MultiheadAttention",
    "torch.nn.modules.activation.MultiheadAttention",
    "torch.nn.Transformer",
    "torch.nn.TransformerEncoderLayer",
)

RTOL, ATOL = 1e-5, 1e-8
E, HEADS = 16, 4


def _qkv(seed, batch=(2, 3), Tq=5, Tk=5, d_k=8, d_v=6):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(*batch, Tq, d_k, generator=g, dtype=torch.float64)
    k = torch.randn(*batch, Tk, d_k, generator=g, dtype=torch.float64)
    v = torch.randn(*batch, Tk, d_v, generator=g, dtype=torch.float64)
    return q, k, v


def _reference_weights(q, k, mask=None):
    """The attention weights, read off PyTorch's own attention by attending over an identity matrix."""
    eye = torch.eye(k.shape[-2], dtype=q.dtype).expand(*k.shape[:-1], k.shape[-2])
    return F.scaled_dot_product_attention(q, k, eye, attn_mask=mask)


def _result(fn, *args, **kwargs):
    lab = inspect.getmodule(fn)
    with forbid(lab, *FORBIDDEN, rule=RULE):
        out = fn(*args, **kwargs)
    expect(
        isinstance(out, tuple) and len(out) == 2,
        f"{fn.__name__} should return a tuple (output, weights), got {type(out).__name__}.",
    )
    return out


def _mha(seed):
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(E, HEADS, batch_first=True, dtype=torch.float64).eval()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(2, 6, E, generator=g, dtype=torch.float64)
    kv = torch.randn(2, 4, E, generator=g, dtype=torch.float64)
    return mha, x, kv


def _run_mha(lab, mha, query, key, value, mask=None):
    with torch.no_grad():
        return _result(
            lab.multi_head_attention,
            query,
            key,
            value,
            mha.in_proj_weight,
            mha.in_proj_bias,
            mha.out_proj.weight,
            mha.out_proj.bias,
            HEADS,
            mask=mask,
        )


@check("causal_mask(T) is True on and below the diagonal")
def mask_builder(lab):
    for T in (1, 4, 7):
        with forbid(lab, *FORBIDDEN, rule=RULE):
            m = lab.causal_mask(T)
        expect(
            isinstance(m, torch.Tensor) and m.dtype == torch.bool,
            f"causal_mask({T}) should be a bool tensor.",
        )
        expect(
            tuple(m.shape) == (T, T),
            f"causal_mask({T}) has shape {tuple(m.shape)}; expected ({T}, {T}).",
        )
        expected = torch.ones(T, T).tril().bool()
        wrong = (m != expected).nonzero()
        if len(wrong):
            i, j = (int(t) for t in wrong[0])
            expect(
                False,
                f"causal_mask({T})[{i}, {j}] is {bool(m[i, j])}; query {i} "
                + ("may" if j <= i else "must not")
                + f" attend to key {j}. True means 'may attend' and a position sees itself and the past "
                "(j <= i), never the future: the mask is inverted or shifted.",
            )


@check("scaled_dot_product_attention matches F.scaled_dot_product_attention")
def sdpa_plain(lab):
    q, k, v = _qkv(0, Tq=5, Tk=7)
    out, weights = _result(lab.scaled_dot_product_attention, q, k, v)
    expected = F.scaled_dot_product_attention(q, k, v)
    expect(
        tuple(out.shape) == tuple(expected.shape),
        f"output has shape {tuple(out.shape)}; expected {tuple(expected.shape)}.",
    )
    expect(
        tuple(weights.shape) == (2, 3, 5, 7),
        f"weights have shape {tuple(weights.shape)}; expected (2, 3, 5, 7) = (..., Tq, Tk).",
    )
    close(
        weights.sum(-1),
        torch.ones(2, 3, 5),
        rtol=RTOL,
        atol=1e-6,
        what="sum of each query's weights over the keys (softmax over the last axis, the keys)",
    )
    close(
        weights,
        _reference_weights(q, k),
        rtol=RTOL,
        atol=ATOL,
        what="attention weights (did you divide the scores by sqrt(d_k)?)",
    )
    close(out, expected, rtol=RTOL, atol=ATOL, what="attention output")


@check("scaled_dot_product_attention with a causal mask matches PyTorch")
def sdpa_causal(lab):
    q, k, v = _qkv(1, Tq=6, Tk=6)
    mask = torch.ones(6, 6).tril().bool()
    out, weights = _result(lab.scaled_dot_product_attention, q, k, v, mask=mask)
    future = weights[..., ~mask]
    expect(
        float(future.abs().max()) == 0.0,
        f"a query puts weight {float(future.abs().max()):.3g} on a future key where the mask is False; "
        "set those scores to -inf before the softmax (masked_fill(~mask, float('-inf'))).",
    )
    sums = weights.sum(-1)
    expect(
        bool(torch.allclose(sums, torch.ones_like(sums), rtol=RTOL, atol=1e-6)),
        f"with a causal mask, a query's weights over the keys sum to {float(sums.min()):.3g} instead "
        "of 1. Mask the scores before the softmax (masked keys set to -inf) and take the softmax "
        "over the last axis, the keys: it then spreads all the weight over the keys a query may "
        "see. Zeroing weights after the softmax, or a softmax over another axis, breaks this.",
    )
    close(
        weights,
        _reference_weights(q, k, mask),
        rtol=RTOL,
        atol=ATOL,
        what="causal attention weights",
    )
    close(
        out,
        F.scaled_dot_product_attention(q, k, v, is_causal=True),
        rtol=RTOL,
        atol=ATOL,
        what="causal attention output",
    )


@check("scaled_dot_product_attention with a general boolean mask")
def sdpa_bool_mask(lab):
    q, k, v = _qkv(2, Tq=4, Tk=5)
    g = torch.Generator().manual_seed(3)
    mask = torch.rand(4, 5, generator=g) > 0.4
    mask[:, 0] = True  # every query sees at least one key
    out, _ = _result(lab.scaled_dot_product_attention, q, k, v, mask=mask)
    close(
        out,
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
        rtol=RTOL,
        atol=ATOL,
        what="output with a boolean mask (True = may attend)",
    )


@check(
    "scaled_dot_product_attention with a padding mask of ragged lengths (broadcast to the scores)"
)
def sdpa_padding(lab):
    q, k, v = _qkv(4, batch=(3, 2), Tq=4, Tk=6)
    lengths = torch.tensor([6, 2, 4])  # sequence b has lengths[b] real keys, then padding
    mask = (torch.arange(6) < lengths[:, None])[:, None, None, :]  # (3, 1, 1, Tk)
    out, weights = _result(lab.scaled_dot_product_attention, q, k, v, mask=mask)
    expect(
        tuple(weights.shape) == (3, 2, 4, 6),
        f"weights have shape {tuple(weights.shape)}; expected (3, 2, 4, 6): a (N, 1, 1, Tk) mask "
        "broadcasts to the (N, H, Tq, Tk) scores (masked_fill broadcasts; boolean indexing does not).",
    )
    padded = weights.masked_select(~mask.expand_as(weights))
    expect(
        float(padded.abs().max()) == 0.0,
        f"a query puts weight {float(padded.abs().max()):.3g} on a padding key (sequence 1 has only "
        "2 real keys of 6); the mask must be broadcast against the scores, each sequence with its "
        "own length.",
    )
    close(
        out,
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
        rtol=RTOL,
        atol=ATOL,
        what="output with a (N, 1, 1, Tk) padding mask of lengths 6, 2, 4",
    )


@check("scaled_dot_product_attention stays finite for large scores")
def sdpa_large_scores(lab):
    q, k, v = _qkv(5, batch=(4,), Tq=5, Tk=5)
    q = q * torch.tensor([1.0, 30.0, 300.0, 1000.0], dtype=q.dtype)[:, None, None]
    out, weights = _result(lab.scaled_dot_product_attention, q, k, v)
    expect(
        bool(torch.isfinite(weights).all() and torch.isfinite(out).all()),
        "with scores in the hundreds (query vectors scaled by up to 1000) your weights contain "
        "NaN or inf: exp() overflows. A stable softmax subtracts each row's maximum before "
        "exp() (torch.softmax does this for you); subtracting one maximum for the whole tensor "
        "underflows the rows whose own maximum is far below it.",
    )
    close(
        weights,
        _reference_weights(q, k),
        rtol=RTOL,
        atol=ATOL,
        what="attention weights for large scores",
    )


@check("split_heads and merge_heads reshape and undo each other")
def heads(lab):
    x = torch.arange(2 * 3 * 8, dtype=torch.float64).reshape(2, 3, 8)
    with forbid(lab, *FORBIDDEN, rule=RULE):
        s = lab.split_heads(x, 4)
        merged = lab.merge_heads(s)
    expect(
        tuple(s.shape) == (2, 4, 3, 2),
        f"split_heads(x (2, 3, 8), 4) has shape {tuple(s.shape)}; expected (2, 4, 3, 2).",
    )
    close(
        s[0, 1, 2],
        x[0, 2, 2:4],
        what="split_heads(x, 4)[0, 1, 2] (head 1 holds features 2:4 of each position)",
    )
    close(merged, x, what="merge_heads(split_heads(x, 4))")


@check("multi_head_attention matches nn.MultiheadAttention (self-attention)")
def mha_self(lab):
    mha, x, _ = _mha(0)
    out, weights = _run_mha(lab, mha, x, x, x)
    with torch.no_grad():
        expected, expected_w = mha(x, x, x, average_attn_weights=False)
    expect(
        tuple(out.shape) == tuple(expected.shape),
        f"output has shape {tuple(out.shape)}; expected {tuple(expected.shape)}.",
    )
    expect(
        tuple(weights.shape) == tuple(expected_w.shape),
        f"weights have shape {tuple(weights.shape)}; expected {tuple(expected_w.shape)} = (N, heads, Tq, Tk).",
    )
    close(weights, expected_w, rtol=RTOL, atol=ATOL, what="per-head attention weights")
    close(out, expected, rtol=RTOL, atol=ATOL, what="multi-head attention output")


@check("multi_head_attention matches nn.MultiheadAttention (cross-attention)")
def mha_cross(lab):
    mha, x, kv = _mha(1)
    out, _ = _run_mha(lab, mha, x, kv, kv)
    with torch.no_grad():
        expected, _ = mha(x, kv, kv)
    expect(
        tuple(out.shape) == tuple(expected.shape),
        f"output has shape {tuple(out.shape)}; expected {tuple(expected.shape)} (Tq from query, E from out_proj).",
    )
    close(
        out,
        expected,
        rtol=RTOL,
        atol=ATOL,
        what="cross-attention output (keys/values from another sequence)",
    )


@check("multi_head_attention with a causal mask matches nn.MultiheadAttention")
def mha_causal(lab):
    mha, x, _ = _mha(2)
    T = x.shape[1]
    mask = torch.ones(T, T).tril().bool()
    out, weights = _run_mha(lab, mha, x, x, x, mask=mask)
    with torch.no_grad():
        # nn.MultiheadAttention's bool attn_mask means the opposite: True = NOT allowed.
        expected, expected_w = mha(x, x, x, attn_mask=~mask, average_attn_weights=False)
    close(weights, expected_w, rtol=RTOL, atol=ATOL, what="per-head causal attention weights")
    close(out, expected, rtol=RTOL, atol=ATOL, what="causal multi-head attention output")
