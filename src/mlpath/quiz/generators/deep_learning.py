"""Generators of the deep-learning phase: neurons, shapes, parameter counts, optimisers, schedules."""

from __future__ import annotations

import itertools
import math
import random

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _n


@generator("neuron-output")
def neuron_output(rng: random.Random) -> Instance:
    x = [rng.randint(-3, 3) for _ in range(3)]
    w = [rng.choice([-1, -0.5, 0.5, 1, 2]) for _ in range(3)]
    b = rng.choice([-1, -0.5, 0, 0.5, 1])
    z = sum(a * c for a, c in zip(w, x, strict=True)) + b
    act = rng.choice(["ReLU", "sigmoid"])
    value = max(0.0, z) if act == "ReLU" else 1 / (1 + math.exp(-z))
    return _n(
        f"A neuron has inputs x = ({', '.join(map(str, x))}), weights w = "
        f"({', '.join(fmt(v) for v in w)}) and bias {fmt(b)}, with a {act} activation. What is "
        "its output? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"z = w·x + b = {fmt(z)}; {act}(z) = {value:.3f}.",
    )


@generator("dense-param-count")
def dense_param_count(rng: random.Random) -> Instance:
    sizes = (
        [rng.choice([4, 8, 10, 16, 20, 64, 784])]
        + [rng.choice([8, 16, 32, 64, 100, 128]) for _ in range(rng.choice([1, 2]))]
        + [rng.choice([1, 2, 3, 10])]
    )
    value = sum(a * b + b for a, b in itertools.pairwise(sizes))
    return _n(
        f"A fully connected network has layer sizes {' → '.join(map(str, sizes))} (input first), "
        "each layer with weights and biases. How many parameters does it have?",
        value,
        decimals=0,
        explanation="Each layer has n_in·n_out weights plus n_out biases: "
        + " + ".join(f"({a}·{b} + {b})" for a, b in itertools.pairwise(sizes))
        + f" = {value}.",
    )


@generator("conv-param-count")
def conv_param_count(rng: random.Random) -> Instance:
    c_in, c_out, k = rng.choice([1, 3, 16, 32]), rng.choice([8, 16, 32, 64]), rng.choice([3, 5])
    value = c_out * (c_in * k * k + 1)
    return _n(
        f"A Conv2d layer has {c_in} input channels, {c_out} output channels and {k}×{k} kernels "
        "with a bias. How many parameters does it have?",
        value,
        decimals=0,
        explanation=f"Each of the {c_out} filters has {c_in}·{k}·{k} weights and one bias: "
        f"{c_out}·({c_in * k * k} + 1) = {value}, whatever the image size.",
    )


@generator("pool-output-size")
def pool_output_size(rng: random.Random) -> Instance:
    size = rng.choice([8, 14, 16, 28, 32, 64])
    k, s = rng.choice([(2, 2), (3, 2), (2, 1)])
    value = (size - k) // s + 1
    return _n(
        f"A {size}×{size} feature map goes through max pooling with a {k}×{k} window and stride "
        f"{s}, no padding. What is the output width?",
        value,
        decimals=0,
        explanation=f"⌊(W − k)/s⌋ + 1 = ⌊({size} − {k})/{s}⌋ + 1 = {value}.",
    )


@generator("transposed-conv-size")
def transposed_conv_size(rng: random.Random) -> Instance:
    size, k, s, p = (
        rng.choice([4, 7, 8, 14]),
        rng.choice([3, 4]),
        rng.choice([1, 2]),
        rng.choice([0, 1]),
    )
    value = (size - 1) * s - 2 * p + k
    return _n(
        f"A ConvTranspose2d layer gets a {size}×{size} input, with kernel {k}, stride {s}, "
        f"padding {p} and no output padding. What is the output width?",
        value,
        decimals=0,
        explanation=f"(W − 1)·s − 2p + k = ({size} − 1)·{s} − 2·{p} + {k} = {value}: transposed "
        "convolutions upsample, as a DCGAN generator does.",
    )


@generator("rnn-param-count")
def rnn_param_count(rng: random.Random) -> Instance:
    d, h = rng.choice([8, 16, 32, 50, 100]), rng.choice([16, 32, 64, 128])
    cell, gates = rng.choice([("LSTM", 4), ("GRU", 3), ("vanilla RNN", 1)])
    value = gates * (h * d + h * h + h)
    return _n(
        f"A one-layer {cell} has input size {d} and hidden size {h}, with one bias vector per gate. "
        "How many parameters does it have?",
        value,
        decimals=0,
        explanation=f"{gates} gate(s), each with an input matrix {h}×{d}, a recurrent matrix {h}×{h} "
        f"and a bias of {h}: {gates}·({h * d} + {h * h} + {h}) = {value}. (PyTorch keeps two bias "
        "vectors per gate, adding another 4h, 3h or h.)",
    )


@generator("attention-shape")
def attention_shape(rng: random.Random) -> Instance:
    b, t, d = rng.choice([2, 4, 8, 32]), rng.choice([5, 10, 16, 64]), rng.choice([12, 24, 48])
    which = rng.choice(["weights", "output"])
    key = f"({b}, {t}, {t})" if which == "weights" else f"({b}, {t}, {d})"
    return single_from(
        rng,
        f"Self-attention gets queries, keys and values of shape (batch {b}, tokens {t}, dim {d}). "
        f"What is the shape of the attention {which}?",
        key=key,
        distractors=[
            f"({b}, {t}, {t})",
            f"({b}, {t}, {d})",
            f"({b}, {d}, {d})",
            f"({t}, {t})",
            f"({b}, {d}, {t})",
        ],
        explanation=f"QKᵀ/√d and its row-wise softmax have shape (B, T, T) = ({b}, {t}, {t}); "
        f"multiplying by V gives the output, (B, T, d) = ({b}, {t}, {d}).",
    )


@generator("initial-loss")
def initial_loss(rng: random.Random) -> Instance:
    k = rng.choice([2, 3, 4, 5, 6, 7, 8, 10, 12, 20, 26, 43, 100, 1000])
    value = math.log(k)
    return _n(
        f"An untrained {k}-class softmax classifier outputs nearly uniform probabilities. What "
        "initial cross-entropy loss (natural log) should you expect? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Each class gets p ≈ 1/{k}, so the loss is −ln(1/{k}) = ln {k} = {value:.3f}. "
        "A very different first loss suggests a bug.",
    )


@generator("init-scale")
def init_scale(rng: random.Random) -> Instance:
    fan_in, fan_out = rng.choice([64, 100, 128, 256, 512, 784]), rng.choice([10, 32, 64, 128, 256])
    scheme = rng.choice(["He", "Xavier"])
    value = math.sqrt(2 / fan_in) if scheme == "He" else math.sqrt(2 / (fan_in + fan_out))
    rule = "sqrt(2 / fan_in)" if scheme == "He" else "sqrt(2 / (fan_in + fan_out))"
    return _n(
        f"A layer has fan-in {fan_in} and fan-out {fan_out}. What standard deviation does {scheme} "
        f"(normal) initialisation use? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"{scheme}: σ = {rule} = {value:.4f}. He suits ReLU (which zeroes half its "
        "inputs); Xavier/Glorot suits tanh and sigmoid.",
    )


@generator("momentum-step")
def momentum_step(rng: random.Random) -> Instance:
    w, g1, g2 = rng.randint(-3, 3), rng.choice([-2, -1, 1, 2, 4]), rng.choice([-2, -1, 1, 3])
    lr, beta = rng.choice([0.1, 0.01]), rng.choice([0.9, 0.5])
    v1 = g1
    v2 = beta * v1 + g2
    value = w - lr * v1 - lr * v2
    return _n(
        f"SGD with momentum: v ← {beta}·v + g, w ← w − {lr}·v, starting at w = {w}, v = 0. The "
        f"gradients of the first two steps are {g1} and {g2}. What is w after two steps? "
        "Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"v₁ = {g1}, w₁ = {w} − {lr}·{g1}; v₂ = {beta}·{g1} + {g2} = {fmt(v2)}, "
        f"w₂ = w₁ − {lr}·{fmt(v2)} = {value:.4f}.",
    )


@generator("adam-first-step")
def adam_first_step(rng: random.Random) -> Instance:
    g = rng.choice([-5, -0.2, -0.01, 0.003, 0.5, 2, 40])
    lr = rng.choice([0.001, 0.01, 0.1])
    step = lr * g / (abs(g) + 1e-8)
    return _n(
        f"Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) makes its first update on a weight whose gradient "
        f"is {fmt(g)}, with learning rate {lr}. By how much does the weight change (signed)? "
        "Give 4 decimals.",
        -step,
        decimals=4,
        explanation=f"m̂ = g and v̂ = g² after bias correction, so the step is −lr·g/(|g| + ε) ≈ "
        f"{-step:.4f}: the first step has size lr whatever the gradient's scale.",
    )


@generator("inverted-dropout")
def inverted_dropout(rng: random.Random) -> Instance:
    p = rng.choice([0.1, 0.2, 0.25, 0.5, 0.6])
    a = rng.choice([0.6, 1.2, 2, 3, 4.5])
    value = a / (1 - p)
    return _n(
        f"Inverted dropout with drop probability {p} keeps an activation of value {fmt(a)} during "
        "training. What value does it pass on? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Kept activations are divided by the keep probability 1 − p = {fmt(1 - p)}: "
        f"{fmt(a)}/{fmt(1 - p)} = {value:.3f}, so the expected value is unchanged and evaluation "
        "needs no rescaling.",
    )


@generator("batchnorm-value")
def batchnorm_value(rng: random.Random) -> Instance:
    xs = [rng.randint(-4, 8) for _ in range(4)]
    while len(set(xs)) == 1:
        xs = [rng.randint(-4, 8) for _ in range(4)]
    gamma, beta = rng.choice([1, 2, 0.5]), rng.choice([0, 1, -1])
    mean = sum(xs) / 4
    var = sum((x - mean) ** 2 for x in xs) / 4
    i = rng.randrange(4)
    value = gamma * (xs[i] - mean) / math.sqrt(var + 1e-5) + beta
    return _n(
        f"A batch-norm layer in training mode gets the mini-batch {xs} for one feature, with "
        f"γ = {fmt(gamma)} and β = {fmt(beta)} (ε = 1e-5). What is the output for the value "
        f"{xs[i]}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Batch mean {fmt(mean)}, biased variance {fmt(var)}; output = γ·(x − mean)/"
        f"√(var + ε) + β = {value:.3f}.",
    )


@generator("lr-schedule")
def lr_schedule(rng: random.Random) -> Instance:
    lr0, total = rng.choice([0.1, 0.01, 0.001]), rng.choice([100, 200, 1000])
    kind = rng.choice(["step", "cosine"])
    t = rng.choice([total // 4, total // 2, 3 * total // 4, total // 10])
    if kind == "step":
        every = total // 4
        value = lr0 * 0.1 ** (t // every)
        text = f"multiplies it by 0.1 every {every} steps"
    else:
        value = lr0 * 0.5 * (1 + math.cos(math.pi * t / total))
        text = f"follows a cosine from {lr0} at step 0 to 0 at step {total}"
    return _n(
        f"A schedule starts at learning rate {lr0} and {text}. What is the learning rate at step "
        f"{t}? Give it to 3 significant figures.",
        value,
        tolerance={"rel": 0.005},
        explanation=f"At step {t} the schedule gives {value:.3g}.",
    )


@generator("perplexity")
def perplexity(rng: random.Random) -> Instance:
    nll = rng.choice([0.5, 0.75, 1.0, 1.2, 1.386, 1.5, 1.8, 2.0, 2.303, 2.5, 3.0, 3.2])
    value = math.exp(nll)
    return _n(
        f"A language model's average negative log-likelihood per token on held-out text is "
        f"{nll} nats. What is its perplexity? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"Perplexity = exp(average NLL) = e^{nll} = {value:.2f}: as uncertain as a "
        f"uniform choice among about {value:.0f} tokens.",
    )


@generator("cosine-similarity")
def cosine_similarity(rng: random.Random) -> Instance:
    while True:
        u = [rng.randint(-3, 3) for _ in range(3)]
        v = [rng.randint(-3, 3) for _ in range(3)]
        if any(u) and any(v):
            break
    dot = sum(a * b for a, b in zip(u, v, strict=True))
    value = dot / (math.sqrt(sum(a * a for a in u)) * math.sqrt(sum(b * b for b in v)))
    return _n(
        f"Two word embeddings are u = ({', '.join(map(str, u))}) and v = "
        f"({', '.join(map(str, v))}). What is their cosine similarity? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"cos = u·v/(‖u‖‖v‖) = {dot}/({math.sqrt(sum(a * a for a in u)):.3f}·"
        f"{math.sqrt(sum(b * b for b in v)):.3f}) = {value:.3f}.",
    )


@generator("model-memory")
def model_memory(rng: random.Random) -> Instance:
    params = rng.choice([10, 25, 110, 340, 1300, 7000])  # millions
    dtype, size = rng.choice([("float32", 4), ("float16", 2), ("bfloat16", 2), ("int8", 1)])
    value = params * 1e6 * size / 1e9
    return _n(
        f"A model has {params} million parameters stored as {dtype}. How many gigabytes (10⁹ bytes) "
        "do its weights take? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"{params}·10⁶ parameters × {size} bytes = {value:.3f} GB, before activations, "
        "gradients and optimizer state (Adam keeps two more values per parameter).",
    )


@generator("diffusion-signal")
def diffusion_signal(rng: random.Random) -> Instance:
    betas = rng.choice([0.01, 0.02, 0.05, 0.1])
    t = rng.choice([1, 2, 3, 5, 10])
    alpha_bar = (1 - betas) ** t
    which = rng.choice(["signal", "noise"])
    value = math.sqrt(alpha_bar) if which == "signal" else math.sqrt(1 - alpha_bar)
    return _n(
        f"A diffusion model uses a constant β = {betas} per step. In x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε "
        f"with ᾱ_t = Π(1 − β), what is the {which} coefficient at t = {t}? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"ᾱ_{t} = (1 − {betas})^{t} = {alpha_bar:.4f}; √ᾱ = {math.sqrt(alpha_bar):.4f}, "
        f"√(1 − ᾱ) = {math.sqrt(1 - alpha_bar):.4f}.",
    )


@generator("vae-kl")
def vae_kl(rng: random.Random) -> Instance:
    mu, sigma = rng.choice([-1, -0.5, 0, 0.5, 1, 2]), rng.choice([0.5, 1, 2])
    value = 0.5 * (sigma**2 + mu**2 - 1 - math.log(sigma**2))
    return _n(
        f"A VAE encoder outputs a 1-D Gaussian with mean {mu} and standard deviation {sigma}. "
        "What is its KL divergence from the standard normal prior, in nats? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − ln σ²) = {value:.4f}; it is 0 only "
        "for μ = 0, σ = 1.",
    )
