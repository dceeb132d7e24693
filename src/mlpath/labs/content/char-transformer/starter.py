"""Lab: a small character-level transformer.

Build a decoder-only transformer (token + positional embeddings, causal self-attention
blocks with layer norm and an MLP), train it to predict the next character of the Zen of
Python, and sample new text from it. The text ships with Python (the `this` module), so
nothing is downloaded. The data helpers are written for you.

Check your work with:  mlpath check transformers
"""

import codecs
import contextlib
import io

import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401


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
    """Text -> 1-D long tensor of character ids."""
    return torch.tensor([stoi[ch] for ch in text], dtype=torch.long)


def decode(ids, itos):
    """Sequence of ids -> text."""
    return "".join(itos[int(i)] for i in ids)


def device():
    """The device to train on: a GPU when there is one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class CharTransformer(nn.Module):
    """Decoder-only transformer over characters.

    CharTransformer(vocab_size, block_size, d_model=64, n_heads=4, n_layers=2).
    forward(idx): idx is a long tensor (B, T) with T <= block_size; returns next-character
    logits (B, T, vocab_size), where the logits at position t depend only on idx[:, :t+1].
    Keep block_size as an attribute (self.block_size): generate() needs it.

    Suggested structure (write the blocks yourself, or use nn.TransformerEncoderLayer with
    norm_first=True, batch_first=True and a causal mask):
      token embedding nn.Embedding(vocab_size, d_model)
      + positional embedding nn.Embedding(block_size, d_model) of torch.arange(T)
      -> n_layers blocks: x = x + causal_self_attention(LayerNorm(x)); x = x + MLP(LayerNorm(x))
      -> final LayerNorm -> nn.Linear(d_model, vocab_size)
    For causal attention, F.scaled_dot_product_attention(q, k, v, is_causal=True) on
    (B, heads, T, d_head) tensors does the masking for you.
    """

    def __init__(self, vocab_size, block_size, d_model=64, n_heads=4, n_layers=2):
        super().__init__()
        self.block_size = block_size
        # TODO: embeddings, blocks, final layer norm, output head.
        raise NotImplementedError

    def forward(self, idx):
        raise NotImplementedError


def get_batch(data, block_size, batch_size, generator):
    """Sample a training batch from the 1-D id tensor data.

    Returns (x, y), long tensors of shape (batch_size, block_size): x[b] is the slice
    data[s : s + block_size] for a random start s (torch.randint with generator=generator),
    and y[b] is the same window shifted by one, data[s + 1 : s + block_size + 1], so that
    y[b, t] is the character that follows x[b, t].
    """
    raise NotImplementedError


def train_model(data, vocab_size, seed, steps=200):
    """Train a CharTransformer(vocab_size, block_size=32) for `steps` steps; return it in eval mode.

    Set torch.manual_seed(seed) and use torch.Generator().manual_seed(seed) for get_batch, so
    that the same seed gives the same model whatever the global random state, and another
    seed another model (the check trains a few steps with seeds 1, 1 and 2 to see this).
    Loss: F.cross_entropy on the logits flattened to (B*T, vocab) and targets to (B*T,).
    AdamW with lr=3e-3, batch_size=32 and about 200 steps is enough; the check needs it to
    finish within a few seconds on a CPU.
    """
    raise NotImplementedError


@torch.no_grad()
def generate(model, idx, n_new, generator):
    """Sample n_new characters after the prompt idx (1, T); return ids (1, T + n_new) on the CPU.

    Put the model in eval mode. Repeat n_new times: feed the last model.block_size ids (the
    model has no position embedding beyond that), take the logits of the LAST position,
    softmax them, draw one id with torch.multinomial(probs, 1, generator=generator) (probs on
    the CPU), append it, so that the next step sees it.
    """
    raise NotImplementedError
