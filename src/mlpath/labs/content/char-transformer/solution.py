"""Lab: a small character-level transformer (reference solution)."""

import codecs
import contextlib
import io

import torch
from torch import nn
from torch.nn import functional as F


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


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where position t only sees positions <= t."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    """Pre-norm transformer block: x + attention(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class CharTransformer(nn.Module):
    """Decoder-only transformer: ids (B, T) with T <= block_size -> next-character logits (B, T, vocab_size)."""

    def __init__(self, vocab_size, block_size, d_model=64, n_heads=4, n_layers=2):
        super().__init__()
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(block_size, d_model)
        self.blocks = nn.Sequential(*[Block(d_model, n_heads) for _ in range(n_layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        positions = torch.arange(idx.shape[1], device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(positions)
        return self.head(self.ln_f(self.blocks(x)))


def get_batch(data, block_size, batch_size, generator):
    """Random windows x (batch_size, block_size) of data and their next-character targets y (same shape)."""
    starts = torch.randint(len(data) - block_size, (batch_size,), generator=generator)
    x = torch.stack([data[s : s + block_size] for s in starts])
    y = torch.stack([data[s + 1 : s + block_size + 1] for s in starts])
    return x, y


def train_model(data, vocab_size, seed, steps=200, block_size=32, batch_size=32, lr=3e-3):
    """Train a CharTransformer on the id sequence data with AdamW; return it in eval mode."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    dev = device()
    model = CharTransformer(vocab_size, block_size).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        x, y = (t.to(dev) for t in get_batch(data, block_size, batch_size, generator))
        loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@torch.no_grad()
def generate(model, idx, n_new, generator):
    """Append n_new sampled ids to idx (1, T); the model sees at most its last block_size ids."""
    model.eval()
    dev = next(model.parameters()).device
    idx = idx.to(dev)
    for _ in range(n_new):
        logits = model(idx[:, -model.block_size :])[:, -1]
        probs = F.softmax(logits, dim=-1).cpu()
        nxt = torch.multinomial(probs, 1, generator=generator).to(dev)
        idx = torch.cat([idx, nxt], dim=1)
    return idx.cpu()
