"""Checks for the transfer-learning lab."""

import functools

import numpy as np
import torch
from torch import nn

from mlpath.labs.checking import at_least, check, expect
from mlpath.labs.content._shared.transfer import PER_CLASS, few_shot, task_data

torch.set_num_threads(1)

SEEDS = (0, 1, 2)
MIN_GAIN = 0.03  # mean test-accuracy gain of fine-tuning over training from scratch
MIN_ACCURACY = 0.80  # mean test accuracy of the fine-tuned model


@functools.cache
def _pretrained(lab):
    X_src, y_src, _, _ = task_data()
    torch.manual_seed(0)
    return lab.pretrain(X_src, y_src, seed=0)


def _accuracy(model, X, y):
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        logits = model(torch.as_tensor(X, dtype=torch.float32, device=dev))
    expect(
        tuple(logits.shape) == (len(X), 5),
        f"the model for the new task gives logits of shape {tuple(logits.shape)}; expected ({len(X)}, 5). "
        "Replace the head with a new nn.Linear(in_features, n_classes) for the 5 new classes.",
    )
    return float((logits.argmax(1).cpu().numpy() == y).mean())


@functools.cache
def _accuracies(lab):
    """(fine-tuned, from-scratch) test accuracies for each seed."""
    out = []
    for seed in SEEDS:
        X, y, X_test, y_test = few_shot(seed)
        torch.manual_seed(seed)
        tuned = lab.fine_tune(_pretrained(lab), X, y, 5, seed=seed)
        torch.manual_seed(seed)
        scratch = lab.from_scratch(X, y, 5, seed=seed)
        out.append((_accuracy(tuned, X_test, y_test), _accuracy(scratch, X_test, y_test)))
    return out


@check("DigitNet has a backbone and a head")
def structure(lab):
    torch.manual_seed(0)
    model = lab.DigitNet(7)
    for part in ("backbone", "head"):
        expect(
            isinstance(getattr(model, part, None), nn.Module),
            f"DigitNet needs an attribute .{part} that is an nn.Module.",
        )
    x = torch.rand(3, 64)
    out = model(x)
    expect(
        tuple(out.shape) == (3, 7),
        f"DigitNet(7) on (3, 64) inputs gave shape {tuple(out.shape)}; expected (3, 7).",
    )
    with torch.no_grad():
        expect(
            torch.allclose(model.head(model.backbone(x)), out),
            "DigitNet's forward should be head(backbone(x)), so that swapping the head changes the task.",
        )


@check("freeze turns off requires_grad for every parameter of a module")
def freezing(lab):
    torch.manual_seed(0)
    model = lab.DigitNet(5)
    lab.freeze(model.backbone)
    trainable = [name for name, p in model.backbone.named_parameters() if p.requires_grad]
    expect(
        not trainable,
        f"after freeze(model.backbone), these parameters still have requires_grad=True: {trainable}. "
        "Set p.requires_grad = False for each p in module.parameters() (module.eval() does not freeze anything).",
    )
    expect(
        all(p.requires_grad for p in model.head.parameters()),
        "freeze(model.backbone) must not freeze the head.",
    )


@check("fine_tune keeps the pretrained backbone exactly and trains a new head")
def backbone_unchanged(lab):
    pretrained = _pretrained(lab)
    before = {k: v.detach().cpu().clone() for k, v in pretrained.backbone.state_dict().items()}
    X, y, _, _ = few_shot(0)
    torch.manual_seed(0)
    tuned = lab.fine_tune(pretrained, X, y, 5, seed=0)
    after = {k: v.detach().cpu() for k, v in tuned.backbone.state_dict().items()}
    expect(
        after.keys() == before.keys(),
        "the fine-tuned model's backbone has different layers from the pretrained one.",
    )
    change = max(float((after[k] - before[k]).abs().max()) for k in before)
    expect(
        change == 0.0,
        f"the backbone changed during fine-tuning (largest weight change {change:.3g}): freeze it "
        "(requires_grad = False on model.backbone's parameters) and give the optimizer only the trainable "
        "parameters, i.e. the new head's.",
    )
    expect(
        not any(p.requires_grad for p in tuned.backbone.parameters()),
        "the fine-tuned model's backbone parameters should have requires_grad=False.",
    )
    expect(
        all(p.requires_grad for p in tuned.head.parameters()),
        "the new head's parameters should be trainable.",
    )


def _snapshot(model):
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


@check("fine_tune leaves the pretrained model untouched (it works on a copy)")
def pretrained_untouched(lab):
    torch.manual_seed(5)
    original = lab.DigitNet(10)
    before = _snapshot(original)
    X, y, _, _ = few_shot(1)
    tuned = lab.fine_tune(original, X, y, 5, seed=1)
    expect(
        tuned is not original,
        "fine_tune returned the pretrained model itself: work on a copy "
        "(copy.deepcopy(pretrained)), so that the pretrained model can be fine-tuned again for "
        "another task.",
    )
    after = _snapshot(original)
    expect(
        after.keys() == before.keys()
        and all(
            after[k].shape == before[k].shape and torch.equal(after[k], before[k]) for k in before
        ),
        "fine_tune changed the pretrained model passed to it (its head was replaced or its "
        "weights changed): modify a copy (copy.deepcopy(pretrained)), never the original.",
    )
    expect(
        all(p.requires_grad for p in original.parameters()),
        "after fine_tune, the pretrained model's own parameters are frozen: freeze the copy's "
        "backbone, not the original's (copy.deepcopy(pretrained) first).",
    )


@check("fine_tune uses its seed: same seed, same head; another seed, another head")
def seeds(lab):
    torch.manual_seed(6)
    base = lab.DigitNet(10)
    X, y, _, _ = few_shot(2)
    heads = []
    for seed, global_seed in ((1, 100), (1, 200), (2, 100)):
        torch.manual_seed(global_seed)
        tuned = lab.fine_tune(base, X, y, 5, seed=seed)
        with torch.no_grad():
            n_out = tuned(torch.zeros(1, 64, device=next(tuned.parameters()).device)).shape[-1]
        expect(
            n_out == 5,
            f"fine_tune(..., n_classes=5) gave a model with {n_out} outputs: replace the head "
            "with a new nn.Linear(in_features, n_classes) for the new classes.",
        )
        heads.append(torch.cat([p.detach().cpu().flatten() for p in tuned.head.parameters()]))
    expect(
        heads[0].shape == heads[1].shape and torch.equal(heads[0], heads[1]),
        "fine_tune(seed=1) gave different heads after different global seeds: the new head is "
        "initialised from the global random state. Call torch.manual_seed(seed) before "
        "creating the new head.",
    )
    expect(
        not torch.equal(heads[0], heads[2]),
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
