"""Lab: a small character-level transformer in Keras 3 (reference solution)."""

import codecs
import contextlib
import io
import math

import keras
import numpy as np
from keras import layers, ops


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


class CausalSelfAttention(layers.Layer):
    """Multi-head self-attention where position t only sees positions <= t."""

    def __init__(self, d_model, n_heads, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.n_heads = n_heads
        self.qkv = layers.Dense(3 * d_model)
        self.proj = layers.Dense(d_model)
        self.attn_drop = layers.Dropout(dropout)

    def call(self, x, training=None):
        T, C = ops.shape(x)[1], ops.shape(x)[2]
        d = C // self.n_heads

        def split(t):
            return ops.transpose(ops.reshape(t, (-1, T, self.n_heads, d)), (0, 2, 1, 3))

        q, k, v = (split(t) for t in ops.split(self.qkv(x), 3, axis=-1))
        scores = ops.matmul(q, ops.swapaxes(k, -1, -2)) / math.sqrt(d)
        scores = ops.where(ops.tril(ops.ones((T, T), dtype="bool")), scores, float("-inf"))
        weights = self.attn_drop(ops.softmax(scores, axis=-1), training=training)
        y = ops.reshape(ops.transpose(ops.matmul(weights, v), (0, 2, 1, 3)), (-1, T, C))
        return self.proj(y)


class Block(layers.Layer):
    """Pre-norm transformer block: x + attention(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d_model, n_heads, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.ln1 = layers.LayerNormalization()
        self.attn = CausalSelfAttention(d_model, n_heads, dropout)
        self.ln2 = layers.LayerNormalization()
        self.fc = layers.Dense(4 * d_model, activation="gelu")
        self.out = layers.Dense(d_model)
        self.drop = layers.Dropout(dropout)

    def call(self, x, training=None):
        x = x + self.attn(self.ln1(x), training=training)
        return x + self.drop(self.out(self.fc(self.ln2(x))), training=training)


class CharTransformer(keras.Model):
    """Decoder-only transformer: ids (B, T), T <= block_size -> next-character logits (B, T, vocab_size)."""

    def __init__(
        self, vocab_size, block_size, d_model=64, n_heads=4, n_layers=2, dropout=0.1, **kwargs
    ):
        super().__init__(**kwargs)
        self.block_size = block_size
        self.tok_emb = layers.Embedding(vocab_size, d_model)
        self.pos_emb = layers.Embedding(block_size, d_model)
        self.drop = layers.Dropout(dropout)
        self.blocks = [Block(d_model, n_heads, dropout) for _ in range(n_layers)]
        self.ln_f = layers.LayerNormalization()
        self.head = layers.Dense(vocab_size)

    def call(self, idx, training=None):
        positions = ops.arange(ops.shape(idx)[1])
        x = self.drop(self.tok_emb(idx) + self.pos_emb(positions), training=training)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(self.ln_f(x))


def get_batch(data, block_size, batch_size, rng):
    """Random windows x (batch_size, block_size) of data and their next-character targets y (same shape)."""
    starts = rng.integers(0, len(data) - block_size, size=batch_size)
    x = np.stack([data[s : s + block_size] for s in starts])
    y = np.stack([data[s + 1 : s + block_size + 1] for s in starts])
    return x, y


def train_model(data, vocab_size, seed, steps=150, block_size=32, batch_size=32, lr=3e-3):
    """Train a CharTransformer on the id sequence data with AdamW and fit; return it."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = CharTransformer(vocab_size, block_size)
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    x, y = get_batch(data, block_size, steps * batch_size, rng)
    model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    return model


def generate(model, idx, n_new, temperature=1.0, seed=None):
    """Append n_new sampled ids to idx (1, T); the model sees at most its last block_size ids."""
    idx = np.asarray(idx)
    seeds = keras.random.SeedGenerator(seed)
    for _ in range(n_new):
        logits = model(idx[:, -model.block_size :], training=False)[:, -1, :]
        nxt = keras.random.categorical(logits / temperature, 1, seed=seeds)
        idx = np.concatenate([idx, ops.convert_to_numpy(nxt).astype(idx.dtype)], axis=1)
    return idx
