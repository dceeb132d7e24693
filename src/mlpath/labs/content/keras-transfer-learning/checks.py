"""Checks for the Keras transfer-learning lab (Keras 3: runs on any backend)."""

import functools

import keras
import numpy as np

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect
from mlpath.labs.content._shared.keras_steps import optimizer_steps
from mlpath.labs.content._shared.transfer import PER_CLASS, few_shot, task_data

if keras.backend.backend() == "torch":  # small models: one thread is fastest on a busy CPU
    import torch

    torch.set_num_threads(1)

SEEDS = (0, 1)
MIN_GAIN = 0.03  # mean test-accuracy gain of fine-tuning over training from scratch
MIN_ACCURACY = 0.80  # mean test accuracy of the fine-tuned model
BACKBONE_PARAMS = 64 * 128 + 128 + 4 * 128 + 128 * 64 + 64


@functools.cache
def _pretrained(lab):
    X_src, y_src, _, _ = task_data(np.float32)
    keras.utils.set_random_seed(0)
    return lab.pretrain(X_src, y_src, seed=0)


def _part(model, name, who):
    """The sub-layer `name` ("backbone" or "head") of a model, or a failure that says how to name it."""
    try:
        return model.get_layer(name)
    except (ValueError, AttributeError):
        raise CheckFailed(
            f"{who} has no layer named {name!r}: build it as keras.Sequential([keras.Input(shape=(64,)), "
            "backbone, keras.layers.Dense(n_classes, name='head')]) with the backbone a "
            "keras.Sequential(..., name='backbone'), so that the head can be swapped."
        ) from None


def _logits(model, X):
    return np.asarray(keras.ops.convert_to_numpy(model(X, training=False)), dtype=float)


def _cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(len(y)), y]))


def _accuracy(model, X, y):
    logits = _logits(model, X)
    expect(
        logits.shape == (len(X), 5),
        f"the model for the new task gives logits of shape {logits.shape}; expected ({len(X)}, 5). "
        "Put a new keras.layers.Dense(n_classes, name='head') on the backbone for the 5 new classes.",
    )
    return float((logits.argmax(1) == y).mean())


@functools.cache
def _accuracies(lab):
    """(fine-tuned, from-scratch) test accuracies for each seed."""
    out = []
    for seed in SEEDS:
        X, y, X_test, y_test = few_shot(seed, np.float32)
        keras.utils.set_random_seed(seed)
        tuned = lab.fine_tune(_pretrained(lab), X, y, 5, seed=seed)
        keras.utils.set_random_seed(seed)
        scratch = lab.from_scratch(X, y, 5, seed=seed)
        out.append((_accuracy(tuned, X_test, y_test), _accuracy(scratch, X_test, y_test)))
    return out


def _labelled_weights(backbone):
    """(layer class, weight name, value) of every weight of the backbone, in get_weights() order."""
    return [
        (type(layer).__name__, w.name, np.array(keras.ops.convert_to_numpy(w)))
        for layer in backbone.layers
        for w in layer.weights
    ]


def _fresh(lab, n_classes, seed):
    """A model from the learner's build_model with non-trivial batch-norm moving statistics."""
    keras.utils.set_random_seed(seed)
    model = lab.build_model(n_classes)
    rng = np.random.default_rng(seed)
    for layer in _part(model, "backbone", "build_model(...)").layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_mean.assign(rng.normal(0.5, 0.2, layer.moving_mean.shape))
            layer.moving_variance.assign(rng.uniform(0.5, 2.0, layer.moving_variance.shape))
    return model


@check("build_model has a backbone and a head, and outputs logits")
def structure(lab):
    keras.utils.set_random_seed(0)
    model = lab.build_model(7)
    expect(
        isinstance(model, keras.Model),
        f"build_model must return a keras.Model, got {type(model).__name__}.",
    )
    backbone, head = (
        _part(model, "backbone", "build_model(7)"),
        _part(model, "head", "build_model(7)"),
    )
    expect(
        isinstance(head, keras.layers.Dense) and head.units == 7,
        "the layer named 'head' must be keras.layers.Dense(n_classes): build_model(7) needs Dense(7).",
    )
    expect(
        isinstance(backbone, keras.Model) and backbone.count_params() == BACKBONE_PARAMS,
        f"the backbone must be a keras.Sequential of Dense(128, relu), BatchNormalization(momentum=0.9) "
        f"and Dense(64, relu) ({BACKBONE_PARAMS} parameters), got "
        f"{backbone.count_params() if hasattr(backbone, 'count_params') else type(backbone).__name__}.",
    )
    expect(
        any(isinstance(layer, keras.layers.BatchNormalization) for layer in backbone.layers),
        "the backbone needs its keras.layers.BatchNormalization(momentum=0.9) between the two Dense layers.",
    )
    x = np.random.default_rng(0).uniform(size=(3, 64)).astype(np.float32)
    out = _logits(model, x)
    expect(
        out.shape == (3, 7),
        f"build_model(7) on (3, 64) inputs gave shape {out.shape}; expected (3, 7).",
    )
    composed = np.asarray(
        keras.ops.convert_to_numpy(head(backbone(x, training=False))), dtype=float
    )
    expect(
        np.allclose(composed, out, atol=1e-5),
        "the model's output should be head(backbone(x)), so that swapping the head changes the task.",
    )
    expect(
        not ((out >= 0).all() and np.allclose(out.sum(axis=1), 1.0, atol=1e-4)),
        "build_model outputs probabilities (each row sums to 1), but the lab trains with "
        "SparseCategoricalCrossentropy(from_logits=True), which applies its own softmax: a softmax in "
        "the head is a double softmax. The head is Dense(n_classes) with no activation (logits).",
    )


@check("freeze makes a whole layer untrainable (trainable = False)")
def freezing(lab):
    model = _fresh(lab, 5, 0)
    backbone, head = (
        _part(model, "backbone", "build_model(5)"),
        _part(model, "head", "build_model(5)"),
    )
    lab.freeze(backbone)
    still = [w.path for w in backbone.weights if w.trainable]
    expect(
        not still,
        f"after freeze(backbone), these backbone weights are still trainable: {still}. "
        "Set layer.trainable = False on the layer you freeze (for a sub-model this freezes all its layers).",
    )
    expect(
        not backbone.trainable,
        "freeze marked the backbone's variables untrainable one by one, but the layer itself is still "
        "trainable=True, so its BatchNormalization layers still run in training mode and update their "
        "moving statistics while the head trains. Set layer.trainable = False instead.",
    )
    expect(
        head.trainable and len(model.trainable_weights) == len(head.weights) == 2,
        "freeze(backbone) must leave the head trainable: model.trainable_weights should be exactly the "
        f"head's kernel and bias, got {[w.path for w in model.trainable_weights]}.",
    )


@check("predict: one label per row, in inference mode, whatever the other rows")
def predicting(lab):
    model = _fresh(lab, 4, 1)
    X = np.random.default_rng(2).uniform(size=(40, 64)).astype(np.float32)
    before = model.get_weights()
    labels = np.asarray(lab.predict(model, X))
    expect(
        labels.shape == (40,),
        f"predict must return one label per row, shape (40,), got {labels.shape}.",
    )
    alone = np.asarray(lab.predict(model, X[:1]))
    changed = any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    expect(
        not changed and alone.shape == (1,) and alone[0] == labels[0],
        "predict changed the model's batch-norm moving statistics, or gave row 0 another label when "
        "predicted alone: the model ran in training mode, where BatchNormalization normalises with the "
        "batch's own statistics (and updates its moving ones). Predict in inference mode: "
        "model.predict(X) or model(X, training=False).",
    )
    close(
        labels,
        _logits(model, X).argmax(axis=1),
        what="predicted labels (the argmax of the model's logits in inference mode)",
    )


@check(
    "fit: full-batch Adam for `epochs` steps at `lr`, only trainable weights change, loss on logits"
)
def fitting(lab):
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.Sequential(
                [keras.Input(shape=(64,)), keras.layers.Dense(16, activation="relu")],
                name="backbone",
            ),
            keras.layers.Dense(3, name="head"),
        ]
    )
    model.get_layer("backbone").trainable = False
    rng = np.random.default_rng(3)
    X, y = rng.uniform(size=(40, 64)).astype(np.float32), rng.integers(0, 3, 40)
    frozen = model.get_layer("backbone").get_weights()
    head = model.get_layer("head").get_weights()
    with optimizer_steps() as steps:
        out = lab.fit(model, X, y, seed=0, epochs=7, lr=0.05)
    expect(out is model, "fit must train the model it is given and return it.")
    expect(
        len(steps) == 7,
        f"fit(..., epochs=7) on 40 rows made {len(steps)} optimizer updates; full-batch training makes one per "
        "epoch: model.fit(X, y, batch_size=len(X), epochs=epochs).",
    )
    close(
        [s.lr for s in steps],
        [0.05] * 7,
        rtol=1e-5,
        what="learning rate of every update of fit(..., lr=0.05) (keras.optimizers.Adam(learning_rate=lr))",
    )
    expect(
        all(
            np.array_equal(a, b) for a, b in zip(frozen, model.get_layer("backbone").get_weights())
        ),
        "fit changed the weights of a frozen layer (trainable=False): train with model.fit after compile, "
        "which updates model.trainable_weights only.",
    )
    expect(
        any(not np.array_equal(a, b) for a, b in zip(head, model.get_layer("head").get_weights())),
        "fit did not change the trainable head: compile the model and call model.fit on (X, y).",
    )
    compiled = model.evaluate(X, y, verbose=0, return_dict=True)["loss"]
    expected = _cross_entropy(_logits(model, X), y)
    expect(
        np.isclose(compiled, expected, rtol=1e-3),
        f"the compiled loss gives {compiled:.4g} where the cross-entropy of the model's logits is "
        f"{expected:.4g}: the head outputs logits, so compile with "
        "keras.losses.SparseCategoricalCrossentropy(from_logits=True) (the string "
        "'sparse_categorical_crossentropy' expects probabilities).",
    )


@check("fine_tune keeps the pretrained backbone exactly (frozen) and trains only a new head")
def backbone_unchanged(lab):
    pretrained = _pretrained(lab)
    source = _part(pretrained, "backbone", "the model pretrain returned")
    before = _labelled_weights(source)
    X, y, _, _ = few_shot(0, np.float32)
    keras.utils.set_random_seed(0)
    with optimizer_steps() as steps:
        tuned = lab.fine_tune(pretrained, X, y, 5, seed=0)
    backbone = _part(tuned, "backbone", "the model fine_tune returned")
    after = _labelled_weights(backbone)
    expect(
        [(k, n, v.shape) for k, n, v in after] == [(k, n, v.shape) for k, n, v in before],
        "the fine-tuned model's backbone has different layers or weights from the pretrained one: "
        "copy the pretrained backbone (keras.models.clone_model) instead of building a new one.",
    )
    changed = [(k, n) for (k, n, a), (_, _, b) in zip(after, before) if not np.array_equal(a, b)]
    frozen = not backbone.trainable and not any(w.trainable for w in backbone.weights)
    if changed and not frozen and all(k == "BatchNormalization" for k, _ in changed):
        raise CheckFailed(
            f"the backbone's BatchNormalization layer changed during fine-tuning (its {', '.join(n for _, n in changed)}) "
            "although its Dense layers did not: freezing only the Dense layers, or only the variables, "
            "leaves BatchNormalization training (and, in training mode, updating its moving statistics). "
            "Freeze the whole backbone: backbone.trainable = False."
        )
    if changed and frozen:
        raise CheckFailed(
            "the fine-tuned backbone is frozen, but its weights are not the pretrained ones: "
            "keras.models.clone_model copies the architecture with NEW random weights. Copy the weights "
            "too: clone.set_weights(pretrained.get_layer('backbone').get_weights())."
        )
    expect(
        not changed,
        f"the backbone changed during fine-tuning (its {', '.join(f'{k} {n}' for k, n in changed)} "
        "weights): freeze it (backbone.trainable = False) "
        "before training, so that only the new head learns.",
    )
    expect(
        frozen,
        "the fine-tuned model's backbone should be frozen: backbone.trainable = False.",
    )
    head = _part(tuned, "head", "the model fine_tune returned")
    expect(
        head.trainable and all(s.n_variables == len(head.trainable_weights) == 2 for s in steps),
        "fine-tuning must train the new head's kernel and bias and nothing else; optimizer updates "
        f"touched {sorted({s.n_variables for s in steps})} variables.",
    )
    expect(bool(steps), "fine_tune never trained the model: fit the new head on (X, y).")


@check("fine_tune leaves the pretrained model untouched (it works on a copy)")
def pretrained_untouched(lab):
    original = _fresh(lab, 10, 5)
    weights = original.get_weights()
    layers = [original, *original.layers, *_part(original, "backbone", "build_model(10)").layers]
    flags = [layer.trainable for layer in layers]
    X, y, _, _ = few_shot(1, np.float32)
    tuned = lab.fine_tune(original, X, y, 5, seed=1)
    expect(
        tuned is not original,
        "fine_tune returned the pretrained model itself: build a new model on a copy of its backbone, "
        "so that the pretrained model can be fine-tuned again for another task.",
    )
    expect(
        [layer.trainable for layer in layers] == flags,
        "fine_tune froze the pretrained model's own backbone (its trainable flags changed): build the "
        "new model on a copy, keras.models.clone_model(backbone) plus set_weights, never on "
        "pretrained.get_layer('backbone') itself.",
    )
    now = original.get_weights()
    expect(
        len(now) == len(weights) and all(np.array_equal(a, b) for a, b in zip(now, weights)),
        "fine_tune changed the weights of the pretrained model passed to it: train a copy, never the original.",
    )
    shared = {id(v) for v in original.weights} & {id(v) for v in tuned.weights}
    expect(
        not shared,
        f"the fine-tuned model shares {len(shared)} weight variables with the pretrained model (it reuses "
        "its layers), so training or freezing one changes the other: build the new model on a copy, "
        "keras.models.clone_model(backbone) plus set_weights, never on pretrained.get_layer('backbone') itself.",
    )


@check("fine_tune uses its seed: same seed, same head; another seed, another head")
def seeds(lab):
    base = _fresh(lab, 10, 6)
    X, y, _, _ = few_shot(2, np.float32)
    heads = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        keras.utils.set_random_seed(global_seed)
        tuned = lab.fine_tune(base, X, y, 5, seed=seed)
        n_out = _logits(tuned, X[:1]).shape[-1]
        expect(
            n_out == 5,
            f"fine_tune(..., n_classes=5) gave a model with {n_out} outputs: put a new "
            "keras.layers.Dense(n_classes, name='head') on the copied backbone.",
        )
        heads.append(
            np.concatenate(
                [np.ravel(w) for w in _part(tuned, "head", "fine_tune's model").get_weights()]
            )
        )
    expect(
        np.array_equal(heads[0], heads[1]),
        "fine_tune(seed=1) gave different heads after different global seeds: the new head is "
        "initialised from the global random state. Call keras.utils.set_random_seed(seed) at the start "
        "of fine_tune, before creating the new head.",
    )
    expect(
        not np.array_equal(heads[0], heads[2]),
        "fine_tune(seed=1) and fine_tune(seed=2) gave the same head: the seed is ignored.",
    )


@check(f"fine-tuning beats training from scratch on {PER_CLASS} examples per class")
def transfer_gain(lab):
    results = _accuracies(lab)
    tuned = float(np.mean([a for a, _ in results]))
    scratch = float(np.mean([b for _, b in results]))
    at_least(
        tuned, MIN_ACCURACY, what=f"mean test accuracy of the fine-tuned model over seeds {SEEDS}"
    )
    at_least(
        tuned - scratch,
        MIN_GAIN,
        what=f"mean gain of fine-tuning over training from scratch (fine-tuned {tuned:.3f}, from scratch {scratch:.3f})",
    )
