"""Checks for the Keras attention lab (Keras 3; the checker runs it on the torch backend)."""

import inspect

import keras
import numpy as np

from mlpath.labs.checking import CheckFailed, check, close, expect, forbid

if keras.backend.backend() == "torch":  # tiny tensors: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

RULE = (
    "This lab asks for attention written with keras.ops: no keras.ops.dot_product_attention, "
    "keras.layers.MultiHeadAttention or keras.layers.Attention (nor torch's "
    "scaled_dot_product_attention) inside your functions; the checks use them only to compute "
    "the expected answers."
)
FORBIDDEN = (
    "keras.ops.dot_product_attention",
    "keras.ops.nn.dot_product_attention",
    "keras.src.ops.nn.dot_product_attention",
    "keras.layers.MultiHeadAttention",
    "keras.layers.GroupQueryAttention",
    "keras.layers.Attention",
    "keras.layers.AdditiveAttention",
    "keras.src.layers.attention.multi_head_attention.MultiHeadAttention",
    "torch.nn.functional.scaled_dot_product_attention",
    "torch.nn.functional.multi_head_attention_forward",
    "torch.nn.MultiheadAttention",
)

RTOL, ATOL = 1e-4, 1e-5  # float32 inputs
E, HEADS = 16, 4
D_HEAD = E // HEADS
PROJECTIONS = ("query", "key", "value", "output")


def _np(t, what):
    try:
        return np.asarray(keras.ops.convert_to_numpy(t))
    except Exception:  # anything that is not a tensor
        raise CheckFailed(f"{what}: expected a tensor, got {type(t).__name__}.") from None


def _tensor(a):
    return keras.ops.convert_to_tensor(a)


def _call(fn, *args, **kwargs):
    with forbid(inspect.getmodule(fn), *FORBIDDEN, rule=RULE):
        return fn(*args, **kwargs)


def _attend(fn, *args, **kwargs):
    """(output, weights) of the learner's attention function, as float64 NumPy arrays."""
    out = _call(fn, *args, **kwargs)
    expect(
        isinstance(out, tuple) and len(out) == 2,
        f"{fn.__name__} should return a tuple (output, weights), got {type(out).__name__}.",
    )
    return (
        _np(out[0], f"{fn.__name__} output").astype(float),
        _np(out[1], f"{fn.__name__} weights").astype(float),
    )


def _softmax(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def _reference(q, k, v, mask=None, scale=None):
    """Attention in float64 NumPy: (output, weights)."""
    q, k, v = (np.asarray(a, dtype=float) for a in (q, k, v))
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = _softmax(scores)
    return weights @ v, weights


def _qkv(seed, batch=(2, 3), Tq=5, Tk=5, d_k=8, d_v=6):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(*batch, Tq, d_k)).astype("float32")
    k = rng.normal(size=(*batch, Tk, d_k)).astype("float32")
    v = rng.normal(size=(*batch, Tk, d_v)).astype("float32")
    return q, k, v


def _sdpa(lab, q, k, v, mask=None):
    args = [_tensor(a) for a in (q, k, v)]
    return _attend(
        lab.scaled_dot_product_attention, *args, mask=None if mask is None else _tensor(mask)
    )


@check("causal_mask(T) is True on and below the diagonal")
def mask_builder(lab):
    for T in (1, 4, 7):
        m = _np(_call(lab.causal_mask, T), f"causal_mask({T})")
        expect(m.dtype == bool, f"causal_mask({T}) should be a bool tensor, got dtype {m.dtype}.")
        expect(m.shape == (T, T), f"causal_mask({T}) has shape {m.shape}; expected ({T}, {T}).")
        expected = np.tril(np.ones((T, T), dtype=bool))
        if (m != expected).any():
            i, j = (int(t) for t in np.argwhere(m != expected)[0])
            if not np.diag(m).all() and (m == np.tril(expected, -1)).all():
                why = (
                    "the diagonal is False, so a position cannot attend to itself (and position 0 "
                    "sees nothing at all): keep the diagonal, ops.tril without k=-1"
                )
            else:
                why = "the mask is inverted or shifted (triu would be the future)"
            expect(
                False,
                f"causal_mask({T})[{i}, {j}] is {bool(m[i, j])}; query {i} "
                + ("may" if j <= i else "must not")
                + f" attend to key {j}. True means 'may attend' and a position sees itself and "
                f"the past (j <= i), never the future: {why}.",
            )


# A case small enough to work out by hand: d_k = 4, so the scores are divided by 2.
HAND_Q = np.array([[2.0, 0, 0, 0], [0, 4.0, 0, 0]], dtype="float32")
HAND_K = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 0, 0]], dtype="float32")
HAND_V = np.array([[1.0, 0], [0, 1.0], [0, 0]], dtype="float32")


@check("scaled_dot_product_attention on a case worked out by hand (the 1/sqrt(d_k) scale)")
def sdpa_by_hand(lab):
    out, weights = _sdpa(lab, HAND_Q, HAND_K, HAND_V)
    expect(
        weights.shape == (2, 3),
        f"for q (2, 4) and k (3, 4) the weights have shape {weights.shape}; expected (2, 3) = (Tq, Tk).",
    )
    raw = (HAND_Q @ HAND_K.T).astype(float)  # [[2, 0, 0], [0, 4, 0]]
    right = _softmax(raw / 2)
    if not np.allclose(weights, right, rtol=RTOL, atol=ATOL):
        wrong = {
            "the scores were not scaled at all: divide q kᵀ by sqrt(d_k)": _softmax(raw),
            "the scores were divided by d_k = 4; divide by sqrt(d_k) = 2": _softmax(raw / 4),
            "the scores were divided by sqrt(d_v), the size of the values; divide by sqrt(d_k), "
            "the size of the vectors in the dot product": _softmax(raw / np.sqrt(2)),
            "the softmax was applied twice (to the weights again): apply it once, to the scaled "
            "scores": _softmax(_softmax(raw / 2)),
            "the softmax ran over the queries: each row (one query) must sum to 1 over the keys, "
            "a softmax over the last axis": np.exp(raw / 2) / np.exp(raw / 2).sum(0),
        }
        for why, w in wrong.items():
            expect(
                not np.allclose(weights, w, rtol=1e-3, atol=1e-4),
                f"with q = [[2, 0, 0, 0], [0, 4, 0, 0]] and keys [1, 0, 0, 0], [0, 1, 0, 0], "
                f"[0, 0, 0, 0] the raw scores are [[2, 0, 0], [0, 4, 0]], divided by sqrt(d_k) = 2 "
                f"they are [[1, 0, 0], [0, 2, 0]], and the weights softmax of that: "
                f"{np.round(right, 4).tolist()}. Yours are {np.round(weights, 4).tolist()}: {why}.",
            )
    close(weights, right, rtol=RTOL, atol=ATOL, what="weights of the by-hand case")
    close(
        out, right @ HAND_V, rtol=RTOL, atol=ATOL, what="output of the by-hand case (weights @ v)"
    )


@check("scaled_dot_product_attention on random batched inputs (Tq=5, Tk=7)")
def sdpa_plain(lab):
    q, k, v = _qkv(0, Tq=5, Tk=7)
    out, weights = _sdpa(lab, q, k, v)
    want_out, want_w = _reference(q, k, v)
    expect(out.shape == want_out.shape, f"output has shape {out.shape}; expected {want_out.shape}.")
    expect(
        weights.shape == (2, 3, 5, 7),
        f"weights have shape {weights.shape}; expected (2, 3, 5, 7) = (..., Tq, Tk).",
    )
    close(
        weights.sum(-1),
        np.ones((2, 3, 5)),
        rtol=RTOL,
        atol=ATOL,
        what="sum of each query's weights over the keys (softmax over the last axis, the keys)",
    )
    close(weights, want_w, rtol=RTOL, atol=ATOL, what="attention weights")
    close(out, want_out, rtol=RTOL, atol=ATOL, what="attention output")


@check("a causal mask: no weight on the future, and future tokens cannot change the past")
def sdpa_causal(lab):
    T, t = 6, 3
    q, k, v = _qkv(1, Tq=T, Tk=T)
    mask = np.tril(np.ones((T, T), dtype=bool))
    out, weights = _sdpa(lab, q, k, v, mask)
    with np.errstate(invalid="ignore"):
        allowed_share = np.nanmean(np.where(mask, weights, 0).sum(-1)[..., : T - 1])
    expect(
        not allowed_share < 0.25,
        f"only {allowed_share:.0%} of the weight goes to the keys the mask allows: the mask is used "
        "the wrong way round. True means 'may attend': keep the scores where the mask is True and "
        "set the others to -inf (ops.where(mask, scores, -inf)).",
    )
    future = np.abs(weights[..., ~mask])
    expect(
        float(np.nanmax(future)) == 0.0,
        f"a query puts weight {float(np.nanmax(future)):.3g} on a future key where the mask is "
        "False; set those scores to -inf before the softmax (ops.where(mask, scores, -inf)).",
    )
    sums = weights.sum(-1)
    expect(
        np.allclose(sums, 1.0, rtol=RTOL, atol=ATOL),
        f"with a causal mask, a query's weights over the keys sum to {float(np.nanmin(sums)):.3g} "
        "instead of 1. Mask the scores before the softmax (masked keys set to -inf): the softmax "
        "then spreads all the weight over the keys a query may see. Zeroing weights after the "
        "softmax, or a softmax over another axis, breaks this.",
    )
    k2, v2 = k.copy(), v.copy()
    k2[..., t:, :] += 3.0
    v2[..., t:, :] -= 5.0
    changed, _ = _sdpa(lab, q, k2, v2, mask)
    diff = float(np.abs(changed[..., :t, :] - out[..., :t, :]).max())
    expect(
        diff <= 1e-5,
        f"changing the keys and values at positions {t}..{T - 1} changed the outputs of queries "
        f"0..{t - 1} by up to {diff:.3g}: a query must not see the future at all, so the mask must "
        "remove the future keys before the softmax.",
    )
    want_out, want_w = _reference(q, k, v, mask)
    close(weights, want_w, rtol=RTOL, atol=ATOL, what="causal attention weights")
    close(out, want_out, rtol=RTOL, atol=ATOL, what="causal attention output")


@check("scaled_dot_product_attention with a general boolean mask")
def sdpa_bool_mask(lab):
    q, k, v = _qkv(2, Tq=4, Tk=5)
    mask = np.random.default_rng(3).random((4, 5)) > 0.4
    mask[:, 0] = True  # every query sees at least one key
    out, _ = _sdpa(lab, q, k, v, mask)
    close(
        out,
        _reference(q, k, v, mask)[0],
        rtol=RTOL,
        atol=ATOL,
        what="output with a boolean mask (True = may attend)",
    )


@check("a padding mask (N, 1, 1, Tk) of ragged lengths, broadcast to the scores")
def sdpa_padding(lab):
    q, k, v = _qkv(4, batch=(3, 2), Tq=4, Tk=6)
    lengths = np.array([6, 2, 4])  # sequence b has lengths[b] real keys, then padding
    mask = (np.arange(6) < lengths[:, None])[:, None, None, :]
    out, weights = _sdpa(lab, q, k, v, mask)
    expect(
        weights.shape == (3, 2, 4, 6),
        f"weights have shape {weights.shape}; expected (3, 2, 4, 6): a (N, 1, 1, Tk) mask "
        "broadcasts to the (N, H, Tq, Tk) scores (ops.where broadcasts).",
    )
    padded = np.abs(weights[~np.broadcast_to(mask, weights.shape)])
    expect(
        float(padded.max()) == 0.0,
        f"a query puts weight {float(padded.max()):.3g} on a padding key (sequence 1 has only 2 "
        "real keys of 6); the mask must be broadcast against the scores, each sequence with its "
        "own length.",
    )
    close(
        out,
        _reference(q, k, v, mask)[0],
        rtol=RTOL,
        atol=ATOL,
        what="output with a (N, 1, 1, Tk) padding mask of lengths 6, 2, 4",
    )


@check("scaled_dot_product_attention stays finite for large scores")
def sdpa_large_scores(lab):
    q, k, v = _qkv(5, batch=(4,), Tq=5, Tk=5)
    q = q * np.array([1.0, 30.0, 300.0, 1000.0], dtype="float32")[:, None, None]
    out, weights = _sdpa(lab, q, k, v)
    expect(
        np.isfinite(weights).all() and np.isfinite(out).all(),
        "with scores in the hundreds (query vectors scaled by up to 1000) your weights contain "
        "NaN or inf: exp() overflows (float32 overflows above about 88). A stable softmax "
        "subtracts each row's maximum before exp() (ops.softmax does this for you); subtracting "
        "one maximum for the whole tensor underflows the rows whose own maximum is far below it.",
    )
    # float32 scores in the thousands carry rounding of about 1e-4: a looser rtol than elsewhere
    close(
        weights,
        _reference(q, k, v)[1],
        rtol=2e-3,
        atol=1e-5,
        what="attention weights for large scores",
    )


@check("split_heads and merge_heads reshape and undo each other")
def heads(lab):
    x = np.arange(2 * 3 * 8, dtype="float32").reshape(2, 3, 8)
    s = _np(_call(lab.split_heads, _tensor(x), 4), "split_heads")
    expect(
        s.shape == (2, 4, 3, 2),
        f"split_heads(x (2, 3, 8), 4) has shape {s.shape}; expected (2, 4, 3, 2).",
    )
    close(
        s[0, 1, 2],
        x[0, 2, 2:4],
        what="split_heads(x, 4)[0, 1, 2] (head 1 holds features 2:4 of each position)",
    )
    merged = _np(_call(lab.merge_heads, _tensor(s)), "merge_heads")
    close(
        merged,
        x,
        what="merge_heads(split_heads(x, 4)) (merge_heads must undo split_heads: swap the head "
        "and time axes back before reshaping to (N, T, E))",
    )


def _keras_mha(seed):
    """A keras.layers.MultiHeadAttention with random weights and biases, and its weights flattened."""
    keras.utils.set_random_seed(seed)
    mha = keras.layers.MultiHeadAttention(num_heads=HEADS, key_dim=D_HEAD)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 6, E)).astype("float32")
    kv = rng.normal(size=(2, 4, E)).astype("float32")
    mha(x, kv, kv)  # builds the weights
    params = {}
    for name, dense in zip(
        PROJECTIONS, (mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense)
    ):
        dense.bias.assign(rng.normal(size=dense.bias.shape).astype("float32"))
        params[f"{name}_kernel"] = _np(dense.kernel, "kernel").reshape(E, E)
        params[f"{name}_bias"] = _np(dense.bias, "bias").reshape(E)
    return mha, x, kv, params


def _run_mha(lab, params, query, key, value, mask=None):
    return _attend(
        lab.multi_head_attention,
        _tensor(query),
        _tensor(key),
        _tensor(value),
        {name: _tensor(p) for name, p in params.items()},
        HEADS,
        mask=None if mask is None else _tensor(mask),
    )


def _numpy_mha(params, query, key, value, mask=None, transposed=False):
    """Multi-head attention in NumPy; transposed=True projects with x @ kernel.T (a mistake)."""

    def project(x, name):
        kernel = params[f"{name}_kernel"]
        return x @ (kernel.T if transposed else kernel) + params[f"{name}_bias"]

    def split(x):
        n, t, _ = x.shape
        return x.reshape(n, t, HEADS, D_HEAD).transpose(0, 2, 1, 3)

    out, w = _reference(
        *(split(project(a, n)) for a, n in ((query, "query"), (key, "key"), (value, "value"))), mask
    )
    n, _, t, _ = out.shape
    return project(out.transpose(0, 2, 1, 3).reshape(n, t, E), "output"), w


def _expect_keras_layout(got, params, query, key, value, mask=None):
    if np.allclose(got, _numpy_mha(params, query, key, value, mask, transposed=True)[0], atol=1e-4):
        raise CheckFailed(
            "your output is what x @ kernel.T + bias gives: that is PyTorch's nn.Linear layout "
            "(out_features, in_features). A Keras kernel is (in_features, out_features): project "
            "with x @ kernel + bias."
        )


@check("multi_head_attention matches keras.layers.MultiHeadAttention (self-attention)")
def mha_self(lab):
    mha, x, _, params = _keras_mha(0)
    out, weights = _run_mha(lab, params, x, x, x)
    expected, expected_w = (_np(a, "reference") for a in mha(x, x, x, return_attention_scores=True))
    expect(out.shape == expected.shape, f"output has shape {out.shape}; expected {expected.shape}.")
    expect(
        weights.shape == expected_w.shape,
        f"weights have shape {weights.shape}; expected {expected_w.shape} = (N, heads, Tq, Tk): "
        "return the weights of every head.",
    )
    _expect_keras_layout(out, params, x, x, x)
    close(weights, expected_w, rtol=RTOL, atol=ATOL, what="per-head attention weights")
    close(out, expected, rtol=RTOL, atol=ATOL, what="multi-head attention output")


@check("multi_head_attention matches keras.layers.MultiHeadAttention (cross-attention)")
def mha_cross(lab):
    mha, x, kv, params = _keras_mha(1)
    out, _ = _run_mha(lab, params, x, kv, kv)
    # Keras's layer takes (query, value, key)
    expected = _np(mha(x, kv, kv), "reference")
    expect(
        out.shape == expected.shape,
        f"output has shape {out.shape}; expected {expected.shape} (Tq from query, E from the output kernel).",
    )
    _expect_keras_layout(out, params, x, kv, kv)
    close(
        out,
        expected,
        rtol=RTOL,
        atol=ATOL,
        what="cross-attention output (keys and values from another sequence)",
    )


@check("multi_head_attention with a causal mask matches keras.layers.MultiHeadAttention")
def mha_causal(lab):
    mha, x, _, params = _keras_mha(2)
    T = x.shape[1]
    mask = np.tril(np.ones((T, T), dtype=bool))  # Keras's attention_mask: True = may attend, too
    out, weights = _run_mha(lab, params, x, x, x, mask)
    expected, expected_w = (
        _np(a, "reference") for a in mha(x, x, x, attention_mask=mask, return_attention_scores=True)
    )
    future = np.abs(weights[..., ~mask]).max() if weights.shape == expected_w.shape else 0.0
    expect(
        future == 0.0,
        f"with a causal mask a head puts weight {future:.3g} on a future key: pass the mask down "
        "to scaled_dot_product_attention (a (Tq, Tk) mask broadcasts over the batch and head axes), "
        "which must apply it to the scores before the softmax (True = may attend).",
    )
    close(weights, expected_w, rtol=RTOL, atol=ATOL, what="per-head causal attention weights")
    close(out, expected, rtol=RTOL, atol=ATOL, what="causal multi-head attention output")


@check("heads are really separate: one head's weights change only that head")
def mha_heads_independent(lab):
    _, x, _, params = _keras_mha(3)
    out, base = _run_mha(lab, params, x, x, x)
    _expect_keras_layout(out, params, x, x, x)
    expect(
        base.shape == (2, HEADS, 6, 6),
        f"weights have shape {base.shape}; expected (2, {HEADS}, 6, 6) = (N, heads, Tq, Tk).",
    )
    head = 1
    cols = slice(head * D_HEAD, (head + 1) * D_HEAD)
    nudged = dict(params)
    nudged["query_kernel"] = params["query_kernel"].copy()
    nudged["query_kernel"][:, cols] *= -2.0
    _, after = _run_mha(lab, nudged, x, x, x)
    moved = [h for h in range(HEADS) if not np.allclose(after[:, h], base[:, h], atol=1e-6)]
    expect(
        moved == [head],
        f"changing only head {head}'s query weights (columns {cols.start}:{cols.stop} of "
        f"query_kernel) changed the weights of heads {moved}, expected only [{head}]. Head h "
        f"must own features h*d:(h+1)*d of every position (d = E / heads = {D_HEAD}): reshape "
        "(N, T, E) to (N, T, heads, d), then move the head axis before T.",
    )
    order = [2, 1, 0, 3]  # swap heads 0 and 2 in every projection
    perm = np.concatenate([np.arange(h * D_HEAD, (h + 1) * D_HEAD) for h in order])
    swapped = {}
    for name in PROJECTIONS[:3]:
        swapped[f"{name}_kernel"] = params[f"{name}_kernel"][:, perm]
        swapped[f"{name}_bias"] = params[f"{name}_bias"][perm]
    swapped["output_kernel"] = params["output_kernel"][perm, :]
    swapped["output_bias"] = params["output_bias"]
    out_swapped, w_swapped = _run_mha(lab, swapped, x, x, x)
    close(
        w_swapped,
        base[:, order],
        rtol=RTOL,
        atol=ATOL,
        what="weights after swapping heads 0 and 2 in every projection (they must swap places)",
    )
    close(
        out_swapped,
        out,
        rtol=RTOL,
        atol=ATOL,
        what="output after swapping heads 0 and 2 in every projection, output rows included "
        "(merging the heads must put each head's result back in its own feature slice, so the "
        "output does not change)",
    )
