"""Checks for the Keras char-transformer lab (Keras 3; the checker runs it on the torch backend)."""

import functools

import keras
import numpy as np

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect

if keras.backend.backend() == "torch":  # a tiny model: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

# Library layers that would do the lab's work for the learner (keras.ops.dot_product_attention,
# a function, is allowed: the attention lab has taught it).
LIBRARY_BLOCKS = {"MultiHeadAttention", "GroupQueryAttention", "Attention", "AdditiveAttention"}
LIBRARY_PACKAGES = ("keras_nlp", "keras_hub")  # their TransformerDecoder & co.

BLOCK = 16  # block size of the small untrained models built by the checks
LOSS_FRACTION = 1 / 3  # trained loss must be at most this fraction of the unigram entropy
N_NEW = 80  # characters to generate: more than the training block size of 32


def _np(t, what):
    try:
        return np.asarray(keras.ops.convert_to_numpy(t))
    except Exception:  # anything that is not a tensor
        raise CheckFailed(
            f"{what}: expected a tensor or an array, got {type(t).__name__}."
        ) from None


@functools.cache
def _corpus(lab):
    text = lab.load_text()
    stoi, itos = lab.build_vocab(text)
    return text, stoi, itos, np.asarray(lab.encode(text, stoi))


def _untrained(lab, vocab_size, dropout=0.0, n_layers=2):
    keras.utils.set_random_seed(0)
    return lab.CharTransformer(
        vocab_size, BLOCK, d_model=32, n_heads=4, n_layers=n_layers, dropout=dropout
    )


def _logits(model, x, training=False):
    return _np(model(x, training=training), "the model's logits").astype(float)


@functools.cache
def _trained(lab):
    _, _, itos, data = _corpus(lab)
    keras.utils.set_random_seed(0)
    model = lab.train_model(data, len(itos), seed=0)
    expect(
        isinstance(model, keras.Model),
        f"train_model should return the trained CharTransformer, got {type(model).__name__}.",
    )
    return model


def _unigram_entropy(data):
    p = np.bincount(data) / len(data)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _text_loss(model, data):
    """Mean next-character cross-entropy (nats) over windows of the whole text, every 4 characters."""
    B = model.block_size
    starts = range(0, len(data) - B - 1, 4)
    x = np.stack([data[s : s + B] for s in starts])
    y = np.stack([data[s + 1 : s + B + 1] for s in starts])
    logits = _logits(model, x)
    logits -= logits.max(-1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    return float(-np.take_along_axis(log_p, y[..., None], -1).mean())


def _sublayers(model):
    try:
        return list(model._flatten_layers(include_self=False, recursive=True))
    except Exception:  # a Keras without this helper: the direct layers only
        return list(getattr(model, "layers", []))


@check("CharTransformer gives logits of shape (B, T, vocab_size)")
def logits_shape(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos))
    expect(
        isinstance(model, keras.Model),
        f"CharTransformer should be a keras.Model subclass, got {type(model).__name__}.",
    )
    expect(
        getattr(model, "block_size", None) == BLOCK,
        f"CharTransformer(vocab, {BLOCK}, ...) should keep block_size = {BLOCK} as an attribute "
        "(generate needs it).",
    )
    for B, T in [(3, BLOCK), (2, 5)]:
        out = _logits(model, data[: B * T].reshape(B, T))
        expect(
            out.shape == (B, T, len(itos)),
            f"model(ids of shape ({B}, {T})) gave shape {out.shape}; expected ({B}, {T}, {len(itos)}) "
            "= (batch, time, vocab_size): one row of logits per position.",
        )


@check("the blocks are built by hand, not from keras.layers.MultiHeadAttention or a library block")
def hand_built(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos))
    model(data[:BLOCK][None], training=False)  # builds every sublayer
    used = sorted(
        {
            type(layer).__name__
            for layer in _sublayers(model)
            if (
                type(layer).__name__ in LIBRARY_BLOCKS
                and type(layer).__module__.startswith("keras")
            )
            or type(layer).__module__.startswith(LIBRARY_PACKAGES)
        }
    )
    expect(
        not used,
        f"your CharTransformer contains {', '.join(used)}: this lab asks you to write the "
        "self-attention and the block yourself (layers.Dense, layers.LayerNormalization, "
        "layers.Embedding, and keras.ops or your own attention from the attention lab).",
    )


@check("causality: changing a future character leaves earlier logits unchanged")
def causality(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos))
    x = data[:BLOCK].copy()[None]
    changed = x.copy()
    t = BLOCK - 4
    changed[0, t:] = (changed[0, t:] + 1) % len(itos)
    a, b = _logits(model, x), _logits(model, changed)
    diff = float(np.abs(a[0, :t] - b[0, :t]).max())
    expect(
        diff <= 1e-5,
        f"changing the characters at positions {t}..{BLOCK - 1} changed the logits at earlier "
        f"positions (by up to {diff:.3g}): the model looks into the future. Mask the attention "
        "scores with a lower-triangular (causal) mask before the softmax.",
    )


@check("positions matter: reordering the input, or repeating one character, changes the logits")
def positions(lab):
    _, _, itos, data = _corpus(lab)
    # One layer: without positions, its last output sees the context as a set (deeper causal
    # layers leak some order through the prefixes each earlier position sees).
    model = _untrained(lab, len(itos), n_layers=1)
    x = data[:BLOCK].copy()[None]
    shuffled = x.copy()
    shuffled[0, :-1] = x[0, :-1][np.random.default_rng(0).permutation(BLOCK - 1)]
    moved = float(np.abs(_logits(model, x)[0, -1] - _logits(model, shuffled)[0, -1]).max())
    expect(
        moved > 1e-4,
        "reordering the first 15 characters of a window left the logits at its last position "
        "unchanged: the model sees its context as an unordered set. Add a positional embedding "
        "(layers.Embedding(block_size, d_model) of ops.arange(T)) to the token embedding.",
    )
    out = _logits(model, np.zeros((1, BLOCK), dtype=data.dtype))
    spread = float(np.abs(out[0] - out[0, :1]).max())
    expect(
        spread > 1e-4,
        "for an input that repeats one character, the logits are the same at every position: the "
        "model cannot tell positions apart. Add a positional embedding to the token embedding.",
    )


@check("dropout is on with training=True and off with training=False")
def dropout_modes(lab):
    _, _, itos, data = _corpus(lab)
    model = _untrained(lab, len(itos), dropout=0.5)
    x = data[: 2 * BLOCK].reshape(2, BLOCK)
    first, second = _logits(model, x), _logits(model, x)
    expect(
        np.array_equal(first, second),
        "model(x, training=False) gave different logits on two calls: dropout is on in inference "
        "mode. Pass the training argument of call() down to every Dropout (and to your blocks) "
        "instead of training=True.",
    )
    noisy, noisy_again = _logits(model, x, training=True), _logits(model, x, training=True)
    expect(
        not np.allclose(noisy, first) and not np.allclose(noisy, noisy_again),
        "with dropout=0.5, model(x, training=True) gave the same logits as training=False: the "
        "dropout argument is not used. Add layers.Dropout(dropout) (after the embeddings, on the "
        "attention weights or on the residual branches) and call it with training=training.",
    )


@check("get_batch returns windows and their next-character targets")
def batches(lab):
    data = np.arange(100)
    x, y = (np.asarray(a) for a in lab.get_batch(data, 8, 5, np.random.default_rng(0)))
    expect(
        x.shape == (5, 8) and y.shape == (5, 8),
        f"get_batch(data, 8, 5, rng) gave shapes {x.shape} and {y.shape}; expected (5, 8) each.",
    )
    close(
        x[:, 1:] - x[:, :-1],
        np.ones((5, 7)),
        what="steps within a window of arange(100) (windows must be contiguous slices)",
    )
    close(
        y,
        x + 1,
        what="targets y for data = arange(100): y must be x shifted by one character (the next character)",
    )
    np.random.seed(1)
    again = np.asarray(lab.get_batch(data, 8, 5, np.random.default_rng(0))[0])
    other = np.asarray(lab.get_batch(data, 8, 5, np.random.default_rng(1))[0])
    expect(
        np.array_equal(x, again) and not np.array_equal(x, other),
        "get_batch must draw its starts from the generator it is given (rng.integers(...)): the "
        "same generator seed must give the same batch whatever the global seed, and another seed "
        "another batch.",
    )
    xs, ys = (np.asarray(a) for a in lab.get_batch(np.arange(20), 8, 400, np.random.default_rng(2)))
    expect(
        int(xs.min()) == 0 and int(ys.max()) == 19,
        f"over 400 windows of 8 from arange(20), x never starts at 0 or y never reaches the last "
        f"character (smallest x {int(xs.min())}, largest y {int(ys.max())}): every start from 0 to "
        "len(data) - block_size - 1 must be possible (rng.integers(0, len(data) - block_size, ...)).",
    )


def _params(model):
    return np.concatenate([np.ravel(w) for w in model.get_weights()])


@check("train_model uses its seed: same seed, same model; another seed, another model")
def seeds(lab):
    _, _, itos, data = _corpus(lab)
    runs = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        keras.utils.set_random_seed(global_seed)
        runs.append(_params(lab.train_model(data, len(itos), seed=seed, steps=3)))
    expect(
        runs[0].shape == runs[1].shape and np.array_equal(runs[0], runs[1]),
        "train_model(seed=1) gave different models after different global seeds: it relies on "
        "the global random state. Call keras.utils.set_random_seed(seed) before building the "
        "model and give get_batch np.random.default_rng(seed).",
    )
    expect(
        not np.array_equal(runs[0], runs[2]),
        "train_model(seed=1) and train_model(seed=2) gave the same model: the seed is ignored.",
    )


@check(f"training loss is at most {LOSS_FRACTION:.2f} x the unigram entropy")
def training_loss(lab):
    _, _, _, data = _corpus(lab)
    model = _trained(lab)
    H = _unigram_entropy(data)
    at_most(
        _text_loss(model, data),
        LOSS_FRACTION * H,
        what=f"next-character cross-entropy on the text with training=False (nats; unigram "
        f"entropy {H:.3f}, limit {LOSS_FRACTION:.2f} x that = {LOSS_FRACTION * H:.3f})",
    )


@check(f"generate appends {N_NEW} characters from the vocabulary, the same for the same seed")
def generation(lab):
    text, _, itos, data = _corpus(lab)
    model = _trained(lab)
    prompt = data[:10][None]
    out = _np(lab.generate(model, prompt, N_NEW, seed=0), "generate")
    expect(
        out.shape == (1, 10 + N_NEW),
        f"generate(model, prompt (1, 10), {N_NEW}, seed=0) gave shape {out.shape}; expected (1, {10 + N_NEW}).",
    )
    expect(
        np.array_equal(out[0, :10], prompt[0]), "the generated sequence must start with the prompt."
    )
    expect(
        int(out.min()) >= 0 and int(out.max()) < len(itos),
        f"generated ids range over {int(out.min())}..{int(out.max())}; the vocabulary has ids 0..{len(itos) - 1}.",
    )
    expect(
        set(lab.decode(out[0], itos)) <= set(text),
        "the sample uses characters that are not in the text.",
    )
    again = _np(lab.generate(model, prompt, N_NEW, seed=0), "generate")
    expect(
        np.array_equal(out, again),
        "generate(..., seed=0) gave two different texts from the trained model (which has "
        "dropout): call the model with training=False and draw with keras.random.SeedGenerator(seed).",
    )


class _StubModel(keras.Model):
    """A fake language model, to test generate's loop independently of training.

    mode "next": id t predicts (t + 1) % vocab; "uniform": equal logits; "fixed": the logits
    FIXED_LOGITS whatever the input. It records (T, training) of each call.
    """

    def __init__(self, vocab=10, block_size=8, mode="next"):
        super().__init__()
        self.block_size, self.vocab, self.mode = block_size, vocab, mode
        self.log = _Log()

    def call(self, idx, training=None):
        idx = keras.ops.convert_to_tensor(idx, dtype="int32")
        self.log.calls.append((int(keras.ops.shape(idx)[1]), training))
        if self.mode == "next":
            return keras.ops.one_hot((idx + 1) % self.vocab, self.vocab) * 60.0
        base = FIXED_LOGITS if self.mode == "fixed" else np.zeros(self.vocab, dtype="float32")
        return keras.ops.zeros((*keras.ops.shape(idx), self.vocab)) + base


class _Log:
    """Kept outside Keras's attribute tracking."""

    def __init__(self):
        self.calls = []


FIXED_LOGITS = np.array([2.0, 1.0, 0.0, -1.0, -2.0], dtype="float32")


def _ids(out, what="generate"):
    return [int(i) for i in _np(out, what).reshape(-1)]


@check("generate samples one id at a time from the last position of an advancing, cropped context")
def generation_loop(lab):
    stub = _StubModel()
    out = _ids(lab.generate(stub, np.array([[3, 7]]), 12, seed=0))
    expect(
        len(out) == 14,
        f"generate(model, prompt (1, 2), 12) gave {len(out)} ids; expected 14 (the prompt, then 12 new ids).",
    )
    too_long = max(T for T, _ in stub.log.calls)
    expect(
        too_long <= stub.block_size,
        f"generate fed the model {too_long} ids, more than its block_size of {stub.block_size} (a "
        "real model has no position embedding beyond it): crop the context to the last "
        "block_size ids, idx[:, -model.block_size:].",
    )
    wanted = [3, 7] + [(7 + i) % 10 for i in range(1, 13)]
    if out != wanted:
        new = out[2:]
        if len(set(new)) == 1:
            why = (
                "every new id is the same, so the model never sees what it generated: append each "
                "new id to idx (np.concatenate([idx, next_id], axis=1)) and feed the grown context next time."
            )
        elif new[0] == 4:
            why = "the logits were read at the first position; take those of the LAST position, logits[:, -1, :]."
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
        not any(training for _, training in stub.log.calls),
        "generate called the model with training=True: call it with training=False (or "
        "model.predict), otherwise dropout is on and you sample from noisy logits.",
    )


@check("generate samples with keras.random and its seed: same seed same text, no seed fresh text")
def sampling_seeds(lab):
    uniform = _StubModel(mode="uniform")
    draws = []
    for seed, global_seed in ((0, 1), (0, 2), (1, 1)):
        keras.utils.set_random_seed(global_seed)
        draws.append(_ids(lab.generate(uniform, np.array([[0]]), 30, seed=seed))[1:])
    if all(len(set(d)) == 1 for d in draws):
        argmax = len({d[0] for d in draws}) == 1
        expect(
            False,
            "with uniform logits, generate produced the same id 30 times: "
            + (
                "sample the next id (keras.random.categorical) instead of taking the argmax."
                if argmax
                else "every step draws the same random number. An int seed passed to each "
                "keras.random call gives the same draw every time: create one "
                "keras.random.SeedGenerator(seed) before the loop and pass it as seed=."
            ),
        )
    expect(
        draws[0] == draws[1],
        "generate(..., seed=0) gave different ids after different global seeds: draw with the "
        "seed you are given (keras.random.SeedGenerator(seed) passed to keras.random.categorical), "
        "not with the global random state.",
    )
    expect(
        draws[0] != draws[2],
        "generate(..., seed=0) and seed=1 gave the same ids: the seed is ignored.",
    )
    keras.utils.set_random_seed(3)
    free = [_ids(lab.generate(uniform, np.array([[0]]), 30, seed=None))[1:] for _ in range(2)]
    expect(
        free[0] != free[1],
        "two calls of generate(..., seed=None) gave the same ids: without a seed each call must "
        "draw fresh random numbers (keras.random.SeedGenerator(None)), not a fixed default seed.",
    )


@check("generate divides the logits by the temperature")
def temperature(lab):
    n = 400
    for temp in (0.5, 2.0):
        stub = _StubModel(vocab=5, mode="fixed")
        ids = _ids(lab.generate(stub, np.array([[0]]), n, temperature=temp, seed=7))[1:]
        freq = np.bincount(ids, minlength=5)[:5] / n
        scaled = FIXED_LOGITS.astype(float) / temp
        want = np.exp(scaled) / np.exp(scaled).sum()
        gap = 0.5 * float(np.abs(freq - want).sum())
        expect(
            gap <= 0.1,
            f"with logits {FIXED_LOGITS.tolist()} and temperature {temp}, the ids were drawn with "
            f"frequencies {np.round(freq, 2).tolist()}; softmax(logits / temperature) is "
            f"{np.round(want, 2).tolist()} (total variation {gap:.2f}, allowed 0.1). Divide the "
            "logits by the temperature before sampling: below 1 it sharpens the distribution, "
            "above 1 it flattens it.",
        )
