"""Lab: attention by hand in Keras 3.

Implement scaled dot-product attention, a causal mask and multi-head attention with
keras.ops (no keras.ops.dot_product_attention, no keras.layers.MultiHeadAttention inside
your functions). The checks compare your results with cases worked out by hand and with
Keras's own MultiHeadAttention on the same weights, in float32, with rtol=1e-4.

Written against Keras 3 (`import keras`): it runs on TensorFlow, JAX or PyTorch as the
backend; the checker runs it on the torch backend (KERAS_BACKEND=torch).

Check your work with:  mlpath check attention-mechanisms
"""

import math  # noqa: F401  (math.sqrt is handy)

import keras  # noqa: F401
from keras import ops  # noqa: F401  (ops.matmul, ops.swapaxes, ops.where, ops.softmax, ...)


def causal_mask(T):
    """Build the causal mask for a sequence of length T.

    Returns a (T, T) bool tensor where entry [i, j] is True when query position i may
    attend to key position j, i.e. when j <= i (itself and the past, never the future).
    Convention of this lab and of keras.layers.MultiHeadAttention's attention_mask:
    True = may attend. Checked exactly for T = 1, 4, 7.
    """
    # TODO: a lower-triangular matrix of True (ops.tril of ops.ones(..., dtype="bool")).
    raise NotImplementedError


def scaled_dot_product_attention(q, k, v, mask=None):
    """Scaled dot-product attention: softmax(q @ k^T / sqrt(d_k)) @ v.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v) float32 tensors, with any
    leading batch/head axes. mask: None, or a bool tensor (Tq, Tk) (or broadcastable to the
    scores, e.g. (N, 1, 1, Tk)) where False means "this query must not attend to this key".

    Returns (output, weights): output (..., Tq, d_v) and the attention weights
    (..., Tq, Tk), each row summing to 1 over the keys. Checked on a case worked out by
    hand and against a float64 reference, rtol=1e-4.
    """
    # TODO 1: scores = q @ k^T (ops.matmul, ops.swapaxes(k, -1, -2)), divided by sqrt(d_k).
    # TODO 2: where mask is False, set the score to -inf (ops.where), BEFORE the softmax.
    # TODO 3: softmax over the keys axis; return (weights @ v, weights).
    raise NotImplementedError


def split_heads(x, n_heads):
    """Split the feature axis into heads: (N, T, E) -> (N, n_heads, T, E // n_heads).

    Head h holds features h*d_head : (h+1)*d_head of each position (d_head = E // n_heads).
    """
    # TODO: reshape to (N, T, n_heads, d_head), then move the head axis before T (ops.transpose).
    raise NotImplementedError


def merge_heads(x):
    """Undo split_heads: (N, n_heads, T, d_head) -> (N, T, n_heads * d_head)."""
    raise NotImplementedError


def multi_head_attention(query, key, value, params, n_heads, mask=None):
    """Multi-head attention with the weights of a keras.layers.MultiHeadAttention(n_heads, E // n_heads).

    query: (N, Tq, E); key, value: (N, Tk, E). params is a dict of tensors:
      "query_kernel", "key_kernel", "value_kernel", "output_kernel": each (E, E);
      "query_bias", "key_bias", "value_bias", "output_bias": each (E,).
    A projection is x @ kernel + bias (a Keras kernel is (in_features, out_features)).
    Columns h*d:(h+1)*d of the query, key and value kernels belong to head h, and so do rows
    h*d:(h+1)*d of the output kernel (d = E // n_heads).
    mask: None or bool (Tq, Tk), True = may attend (the same convention as Keras's
    attention_mask).

    Returns (output (N, Tq, E), weights (N, n_heads, Tq, Tk)). Checked against
    keras.layers.MultiHeadAttention(..., return_attention_scores=True), rtol=1e-4, and by
    changing one head's weights (only that head's weights may change).
    """
    # TODO 1: project query, key and value (x @ kernel + bias), then split_heads each.
    # TODO 2: scaled_dot_product_attention per head (the head axis is just a batch axis).
    # TODO 3: merge_heads, then the output projection.
    raise NotImplementedError
