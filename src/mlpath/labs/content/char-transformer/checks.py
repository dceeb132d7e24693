"""Checks for the char-transformer lab."""

import functools

import torch
from torch import nn
from torch.nn import functional as F

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect

torch.set_num_threads(1)

# Library modules that would do the lab's work for the learner (F.scaled_dot_product_attention,
# a function, is allowed: the attention lab has taught it).
LIBRARY_BLOCKS = (
    nn.MultiheadAttention,
    nn.Transformer,
    nn.TransformerEncoder,
    nn.TransformerEncoderLayer,
    nn.TransformerDecoder,
    nn.TransformerDecoderLayer,
)

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
    expect(
        isinstance(model, nn.Module),
        f"train_model should return the trained CharTransformer, got {type(model).__name__}.",
    )
    return model.cpu()


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


@check("the blocks are built by hand, not from nn.MultiheadAttention or nn.Transformer*")
def hand_built(lab):
    _, _, itos, _ = _corpus(lab)
    model = _untrained(lab, len(itos))
    used = sorted({type(m).__name__ for m in model.modules() if isinstance(m, LIBRARY_BLOCKS)})
    expect(
        not used,
        f"your CharTransformer contains {', '.join(used)}: this lab asks you to write the "
        "self-attention and the block yourself (nn.Linear, nn.LayerNorm, nn.Embedding, and "
        "F.scaled_dot_product_attention or your own attention from the attention lab).",
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
    torch.manual_seed(1)
    again, _ = lab.get_batch(data, 8, 5, torch.Generator().manual_seed(0))
    other, _ = lab.get_batch(data, 8, 5, torch.Generator().manual_seed(1))
    expect(
        torch.equal(x, again) and not torch.equal(x, other),
        "get_batch must draw its starts from the generator it is given "
        "(torch.randint(..., generator=generator)): the same generator seed must give the same "
        "batch whatever the global seed, and another seed another batch.",
    )
    small = torch.arange(20)
    xs, ys = lab.get_batch(small, 8, 400, torch.Generator().manual_seed(2))
    expect(
        int(xs.min()) == 0 and int(ys.max()) == 19,
        f"over 400 windows of 8 from arange(20), x never starts at 0 or y never reaches the last "
        f"character (smallest x {int(xs.min())}, largest y {int(ys.max())}): every start from 0 to "
        "len(data) - block_size - 1 must be possible (torch.randint(len(data) - block_size, ...)).",
    )


def _params(model):
    return torch.cat([p.detach().cpu().flatten() for p in model.parameters()])


@check("train_model uses its seed: same seed, same model; another seed, another model")
def seeds(lab):
    _, _, itos, data = _corpus(lab)
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        torch.manual_seed(global_seed)
        runs.append(_params(lab.train_model(data, len(itos), seed=seed, steps=3)))
    expect(
        runs[0].shape == runs[1].shape and torch.equal(runs[0], runs[1]),
        "train_model(seed=1) gave different models after different global seeds: it relies on "
        "the global random state. Call torch.manual_seed(seed) before building the model and "
        "give get_batch torch.Generator().manual_seed(seed).",
    )
    expect(
        not torch.equal(runs[0], runs[2]),
        "train_model(seed=1) and train_model(seed=2) gave the same model: the seed is ignored.",
    )


@check(f"training loss is at most {LOSS_FRACTION:.2f} x the unigram entropy")
def training_loss(lab):
    _, _, _, data = _corpus(lab)
    model = _trained(lab)
    expect(
        not model.training,
        "train_model returned the model in training mode; return model.eval() so that whoever "
        "uses it next (generation, evaluation) gets deterministic inference behaviour.",
    )
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


class _StubModel(nn.Module):
    """A fake language model: at each position, id t predicts (t + 1) % vocab (or uniform logits).

    It records how it is called, to test generate's loop independently of training.
    """

    def __init__(self, vocab=10, block_size=8, uniform=False):
        super().__init__()
        self.block_size, self.vocab, self.uniform = block_size, vocab, uniform
        self.anchor = nn.Parameter(torch.zeros(()))
        self.calls = []  # (T, training) of each forward

    def forward(self, idx):
        self.calls.append((idx.shape[1], self.training))
        if idx.shape[1] > self.block_size:
            raise CheckFailed(
                f"generate fed the model {idx.shape[1]} ids, more than its block_size of "
                f"{self.block_size} (a real model has no position embedding beyond it): crop the "
                "context to the last block_size ids, idx[:, -model.block_size:]."
            )
        logits = torch.zeros(*idx.shape, self.vocab)
        if not self.uniform:
            logits.scatter_(2, ((idx + 1) % self.vocab)[..., None], 60.0)
        return logits + self.anchor


@check("generate samples one id at a time from the last position of an advancing, cropped context")
def generation_loop(lab):
    stub = _StubModel().train()
    prompt = torch.tensor([[3, 7]])
    out = lab.generate(stub, prompt, 12, torch.Generator().manual_seed(0))
    expect(
        tuple(out.shape) == (1, 14),
        f"generate(model, prompt (1, 2), 12, g) gave shape {tuple(out.shape)}; expected (1, 14).",
    )
    got = [int(i) for i in out[0]]
    wanted = [3, 7] + [(7 + i) % 10 for i in range(1, 13)]
    if got != wanted:
        new = got[2:]
        if len(set(new)) == 1:
            why = (
                "every new id is the same, so the model never sees what it generated: append each "
                "new id to idx (torch.cat([idx, next_id], dim=1)) and feed the grown context next time."
            )
        elif new[0] == 4:
            why = "the logits were read at the first position; take those of the LAST position, logits[:, -1]."
        else:
            why = (
                "take the logits of the last position and append each new id before the next step."
            )
        expect(
            False,
            f"with a model that always predicts 'last id + 1' (mod 10), generate should continue the "
            f"prompt [3, 7] as {wanted[2:]}; got {new}: {why}",
        )
    expect(
        not any(training for _, training in stub.calls),
        "generate called the model while it was in training mode: call model.eval() first "
        "(with dropout, a model in training mode samples from noisy logits).",
    )

    uniform = _StubModel(uniform=True)
    draws = []
    for seed, global_seed in ((0, 1), (0, 2), (1, 1)):
        torch.manual_seed(global_seed)
        draws.append(
            lab.generate(uniform, torch.tensor([[0]]), 30, torch.Generator().manual_seed(seed))
        )
    expect(
        len(set(int(i) for i in draws[0][0, 1:])) > 1,
        "with uniform logits, generate produced the same id 30 times: sample the next id with "
        "torch.multinomial(probs, 1, generator=generator) instead of taking the argmax.",
    )
    expect(
        torch.equal(draws[0], draws[1]) and not torch.equal(draws[0], draws[2]),
        "generate must draw with the generator it is given (torch.multinomial(..., "
        "generator=generator)): the same generator seed must give the same text whatever the "
        "global seed, and another seed another text.",
    )
