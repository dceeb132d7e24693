"""Lab: a small character-level transformer in Keras 3.

Build a decoder-only transformer (token + positional embeddings, causal self-attention
blocks with layer norm, an MLP and dropout), train it to predict the next character of the
Zen of Python, and sample new text from it with a temperature and a seed. The text ships
with Python (the `this` module), so nothing is downloaded. The data helpers are written
for you.

Written against Keras 3 (`import keras`): it runs on TensorFlow, JAX or PyTorch as the
backend; the checker runs it on the torch backend (KERAS_BACKEND=torch).

Check your work with:  mlpath check transformers
"""

import codecs
import contextlib
import io
import math  # noqa: F401  (math.sqrt is handy)

import keras
import numpy as np
from keras import layers, ops  # noqa: F401


def load_text():
    """The Zen of Python, as stored (rot13-encoded) in the standard library's `this` module."""
    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints the poem
        import this
    return codecs.decode(this.s, "rot13")


def build_vocab(text):
    """Sorted characters of text: (stoi dict char -> id, itos list id -> char)."""
    itos = sorted(set(text))
    return {ch: i for i, ch in enumerate(itos)}, itos


def encode(text, stoi):
    """Text -> 1-D int32 NumPy array of character ids."""
    return np.array([stoi[ch] for ch in text], dtype="int32")


def decode(ids, itos):
    """Sequence of ids -> text."""
    return "".join(itos[int(i)] for i in ids)


class CharTransformer(keras.Model):
    """Decoder-only transformer over characters.

    CharTransformer(vocab_size, block_size, d_model=64, n_heads=4, n_layers=2, dropout=0.1).
    call(idx, training=None): idx is an int tensor or array (B, T) with T <= block_size;
    returns next-character logits (B, T, vocab_size), where the logits at position t depend
    only on idx[:, :t+1]. Keep block_size as an attribute (self.block_size): generate()
    needs it. With training=True dropout is on; with training=False (or None) it is off.

    Suggested structure (write the attention and the blocks yourself as keras.layers.Layer
    subclasses; no keras.layers.MultiHeadAttention):
      token embedding layers.Embedding(vocab_size, d_model)
      + positional embedding layers.Embedding(block_size, d_model) of ops.arange(T)
      -> Dropout(dropout)
      -> n_layers blocks: x = x + causal_self_attention(LayerNormalization(x))
                          x = x + Dropout(MLP(LayerNormalization(x)))
      -> final LayerNormalization -> layers.Dense(vocab_size)
    Causal self-attention: one layers.Dense(3 * d_model) gives q, k, v; split them into
    heads (B, heads, T, d_model // heads); scores q kᵀ / sqrt(d_head) with the future set to
    -inf before the softmax (ops.tril of a (T, T) bool mask); merge the heads; a
    layers.Dense(d_model) projection. Pass training=training to every Dropout and block.
    """

    def __init__(
        self, vocab_size, block_size, d_model=64, n_heads=4, n_layers=2, dropout=0.1, **kwargs
    ):
        super().__init__(**kwargs)
        self.block_size = block_size
        # TODO: embeddings, dropout, blocks, final layer norm, output head.
        raise NotImplementedError

    def call(self, idx, training=None):
        raise NotImplementedError


def get_batch(data, block_size, batch_size, rng):
    """Sample a training batch from the 1-D id array data.

    Returns (x, y), int NumPy arrays of shape (batch_size, block_size): x[b] is the slice
    data[s : s + block_size] for a random start s drawn with rng.integers (rng is a
    np.random.Generator), and y[b] is the same window shifted by one,
    data[s + 1 : s + block_size + 1], so that y[b, t] is the character that follows x[b, t].
    Every start from 0 to len(data) - block_size - 1 must be possible.
    """
    raise NotImplementedError


def train_model(data, vocab_size, seed, steps=150):
    """Train a CharTransformer(vocab_size, block_size=32) for `steps` steps and return it.

    Call keras.utils.set_random_seed(seed) first and draw the batches with
    np.random.default_rng(seed), so that the same seed gives the same model whatever the
    global random state, and another seed another model (the check trains 3 steps with seeds
    1, 1 and 2 to see this). Compile with keras.optimizers.AdamW(learning_rate=3e-3) and
    keras.losses.SparseCategoricalCrossentropy(from_logits=True); get_batch(data, 32,
    steps * 32, rng) gives every step's windows at once, and model.fit(x, y, batch_size=32,
    epochs=1, shuffle=False, verbose=0) runs `steps` steps. About 150 steps are enough; the
    check needs it to finish within a few seconds on a CPU.
    """
    raise NotImplementedError


def generate(model, idx, n_new, temperature=1.0, seed=None):
    """Sample n_new characters after the prompt idx (1, T); return ids (1, T + n_new) (NumPy).

    Repeat n_new times: feed the last model.block_size ids (the model has no position
    embedding beyond that) in inference mode (training=False), take the logits of the LAST
    position, divide them by the temperature (> 0; below 1 sharper, above 1 flatter), draw
    one id with keras.random.categorical(logits, 1, seed=...), and append it, so that the
    next step sees it. Randomness: create one keras.random.SeedGenerator(seed) before the
    loop and pass it to every draw: the same seed then gives the same text whatever the
    global random state, and seed=None fresh text on every call.
    """
    raise NotImplementedError
