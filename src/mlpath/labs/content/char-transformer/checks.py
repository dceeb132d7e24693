"""Checks for the char-transformer lab."""

import functools

import torch
from torch.nn import functional as F

from mlpath.labs.checking import at_most, check, close, expect

torch.set_num_threads(2)

BLOCK = 16  # block size of the small untrained models built by the checks
LOSS_FRACTION = 1 / 3  # trained loss must be at most this fraction of the unigram entropy
N_NEW = 80  # characters to generate: more than the training block size of 32


@functools.cache
def _corpus(lab):
    text = lab.load_text()
    stoi, itos = lab.build_vocab(text)
    return text, stoi, itos, lab.encode(text, stoi)


def _untrained(lab, vocab_size):
    torch.manual_seed(0)
    return lab.CharTransformer(vocab_size, BLOCK, d_model=32, n_heads=4, n_layers=2).eval()


@functools.cache
def _trained(lab):
    _, _, itos, data = _corpus(lab)
    torch.manual_seed(0)
    model = lab.train_model(data, len(itos), seed=0)
    return model.cpu().eval()


def _unigram_entropy(data):
    p = torch.bincount(data).double()
    p = p[p > 0] / p.sum()
    return float(-(p * p.log()).sum())


def _text_loss(model, data):
    """Mean next-character cross-entropy (nats) over windows of the whole text, every 4 characters."""
    B = model.block_size
    starts = range(0, len(data) - B - 1, 4)
    x = torch.stack([data[s : s + B] for s in starts])
    y = torch.stack([data[s + 1 : s + B + 1] for s in starts])
    with torch.no_grad():
        return float(F.cross_entropy(model(x).flatten(0, 1), y.flatten()))


@check("CharTransformer gives logits of shape (B, T, vocab_size)")
def logits_shape(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos))
    for B, T in [(3, BLOCK), (2, 5)]:
        with torch.no_grad():
            out = model(data[: B * T].reshape(B, T))
        expect(
            tuple(out.shape) == (B, T, len(itos)),
            f"model(ids of shape ({B}, {T})) gave shape {tuple(out.shape)}; expected ({B}, {T}, {len(itos)}) "
            "= (batch, time, vocab_size): one row of logits per position.",
        )


@check("causality: changing a future character leaves earlier logits unchanged")
def causality(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos))
    x = data[:BLOCK].clone()[None]
    changed = x.clone()
    t = BLOCK - 4
    changed[0, t:] = (changed[0, t:] + 1) % len(itos)
    with torch.no_grad():
        a, b = model(x), model(changed)
    diff = float((a[0, :t] - b[0, :t]).abs().max())
    expect(
        diff <= 1e-5,
        f"changing the characters at positions {t}..{BLOCK - 1} changed the logits at earlier positions "
        f"(by up to {diff:.3g}): the model looks into the future. Use a causal mask in self-attention "
        "(is_causal=True or a lower-triangular mask).",
    )


@check("positions matter: a repeated character gives different logits at different positions")
def positions(lab):
    _, _, itos, _ = _corpus(lab)
    model = _untrained(lab, len(itos))
    with torch.no_grad():
        out = model(torch.zeros(1, BLOCK, dtype=torch.long))
    spread = float((out[0] - out[0, :1]).abs().max())
    expect(
        spread > 1e-4,
        "for an input that repeats one character, the logits are the same at every position: the model "
        "cannot tell positions apart. Add a positional embedding (nn.Embedding(block_size, d_model) of "
        "torch.arange(T)) to the token embedding.",
    )


@check("get_batch returns windows and their next-character targets")
def batches(lab):
    data = torch.arange(100)
    x, y = lab.get_batch(data, 8, 5, torch.Generator().manual_seed(0))
    expect(
        tuple(x.shape) == (5, 8) and tuple(y.shape) == (5, 8),
        f"get_batch(data, 8, 5, g) gave shapes {tuple(x.shape)} and {tuple(y.shape)}; expected (5, 8) each.",
    )
    close(
        x[:, 1:] - x[:, :-1],
        torch.ones(5, 7),
        what="steps within a window of arange(100) (windows must be contiguous slices)",
    )
    close(
        y,
        x + 1,
        what="targets y for data = arange(100): y must be x shifted by one character (the next character)",
    )


@check(f"training loss is at most {LOSS_FRACTION:.2f} x the unigram entropy")
def training_loss(lab):
    _, _, _, data = _corpus(lab)
    model = _trained(lab)
    H = _unigram_entropy(data)
    at_most(
        _text_loss(model, data),
        LOSS_FRACTION * H,
        what=f"next-character cross-entropy on the text (nats; unigram entropy {H:.3f}, "
        f"limit {LOSS_FRACTION:.2f} x that = {LOSS_FRACTION * H:.3f})",
    )


@check(f"generate appends {N_NEW} characters from the vocabulary")
def generation(lab):
    text, _, itos, data = _corpus(lab)
    model = _trained(lab)
    prompt = data[:10][None]
    out = lab.generate(model, prompt, N_NEW, torch.Generator().manual_seed(0))
    expect(
        tuple(out.shape) == (1, 10 + N_NEW),
        f"generate(model, prompt (1, 10), {N_NEW}, g) gave shape {tuple(out.shape)}; expected (1, {10 + N_NEW}).",
    )
    expect(
        torch.equal(out[0, :10].cpu(), prompt[0]),
        "the generated sequence must start with the prompt.",
    )
    expect(
        int(out.min()) >= 0 and int(out.max()) < len(itos),
        f"generated ids range over {int(out.min())}..{int(out.max())}; the vocabulary has ids 0..{len(itos) - 1}.",
    )
    sample = lab.decode(out[0], itos)
    expect(set(sample) <= set(text), "the sample uses characters that are not in the text.")
