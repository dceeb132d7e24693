"""Checks for the PyTorch basics lab."""

import pickle
import tempfile
from pathlib import Path

import torch
from torch import nn

from mlpath.labs.checking import CheckFailed, at_most, check, close, expect

torch.set_num_threads(1)  # tiny models: one thread is fastest and never oversubscribes the CPU


def numpy(t):
    expect(isinstance(t, torch.Tensor), f"expected a torch.Tensor, got {type(t).__name__}.")
    return t.detach().cpu().numpy()


def classification_data(n=64, d=4, k=3):
    g = torch.Generator().manual_seed(3)
    X = torch.randn(n, d, generator=g)
    y = torch.randint(0, k, (n,), generator=g)
    return X, y


def linear_layers(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def reference_forward(model, X):
    """Linear -> ReLU -> Linear with the model's own layers (what eval mode must compute)."""
    first, second = linear_layers(model)
    with torch.no_grad():
        return second(torch.relu(first(X)))


def sgd_losses(model, X, y, epochs, lr, accumulate):
    """Full-batch SGD on a copy of the initial parameters; accumulate=True forgets zero_grad."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        if not accumulate:
            optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@check("pick_device: cuda when available, else cpu")
def check_device(lab):
    real = torch.cuda.is_available
    try:
        for available in (False, True):
            # Fake the answer the learner's code sees, to test both branches on any machine.
            torch.cuda.is_available = lambda available=available: available
            device = lab.pick_device()
            expect(
                isinstance(device, (str, torch.device)),
                f"pick_device must return a torch.device (or a device string), got {type(device).__name__}.",
            )
            want = "cuda" if available else "cpu"
            got = torch.device(device).type
            expect(
                got == want,
                f"when torch.cuda.is_available() returns {available}, pick_device returned {got!r}; "
                f"it should be {want!r}. Decide with torch.cuda.is_available() each time it is "
                "called, instead of a fixed device.",
            )
    finally:
        torch.cuda.is_available = real


@check("pairwise_sq_dists: broadcasting (n, 1, d) - (1, m, d)")
def check_pairwise(lab):
    g = torch.Generator().manual_seed(0)
    A, B = (
        torch.randn(6, 4, generator=g, dtype=torch.float64),
        torch.randn(5, 4, generator=g, dtype=torch.float64),
    )
    D = numpy(lab.pairwise_sq_dists(A, B))
    expect(
        D.shape == (6, 5),
        f"pairwise_sq_dists(A (6, 4), B (5, 4)) must have shape (6, 5), got {D.shape}.",
    )
    close(
        D,
        numpy(torch.cdist(A, B) ** 2),
        rtol=1e-6,
        atol=1e-9,
        what="squared distances (compared with torch.cdist(A, B) ** 2)",
    )


@check("linear_forward: X @ W.T + b matches torch.nn.functional.linear")
def check_linear(lab):
    g = torch.Generator().manual_seed(1)
    X, W, b = (
        torch.randn(7, 4, generator=g),
        torch.randn(3, 4, generator=g),
        torch.randn(3, generator=g),
    )
    out = numpy(lab.linear_forward(X, W, b))
    expect(
        out.shape == (7, 3),
        f"linear_forward(X (7, 4), W (3, 4), b (3,)) must have shape (7, 3), got {out.shape}.",
    )
    close(out, numpy(nn.functional.linear(X, W, b)), rtol=1e-5, atol=1e-6, what="X @ W.T + b")


@check("grad_of_f: autograd gradient of sum(x**3 * sin(x))")
def check_grad_of_f(lab):
    x = torch.linspace(-2.0, 2.0, 9, dtype=torch.float64)
    grad = numpy(lab.grad_of_f(x.clone()))
    expected = 3 * x**2 * torch.sin(x) + x**3 * torch.cos(x)
    close(
        grad, numpy(expected), rtol=1e-10, atol=1e-12, what="df/dx (analytic: 3x² sin x + x³ cos x)"
    )


@check("mse_grads: autograd gradients of the mean squared error")
def check_mse_grads(lab):
    g = torch.Generator().manual_seed(2)
    X = torch.randn(20, 3, generator=g, dtype=torch.float64)
    y = torch.randn(20, generator=g, dtype=torch.float64)
    w, b = torch.randn(3, generator=g, dtype=torch.float64), torch.tensor(0.5, dtype=torch.float64)
    dw, db = lab.mse_grads(X, y, w, b)
    residual = X @ w + b - y
    close(
        numpy(dw),
        numpy(2 * X.T @ residual / len(y)),
        rtol=1e-10,
        what="dL/dw (analytic: 2/n X^T (Xw + b - y))",
    )
    close(
        numpy(db),
        numpy(2 * residual.mean()),
        rtol=1e-10,
        what="dL/db (analytic: 2 mean(Xw + b - y))",
    )


@check("MLP: an nn.Module with Linear -> ReLU -> Dropout -> Linear")
def check_module(lab):
    torch.manual_seed(0)
    model = lab.MLP(8, 16, 3, p_drop=0.25)
    expect(
        isinstance(model, nn.Module),
        "MLP must subclass torch.nn.Module (and call super().__init__()).",
    )
    n_params = sum(p.numel() for p in model.parameters())
    expect(
        n_params == 8 * 16 + 16 + 16 * 3 + 3,
        f"MLP(8, 16, 3) must have {8 * 16 + 16 + 16 * 3 + 3} parameters (two Linear layers), got {n_params}.",
    )
    expect(len(linear_layers(model)) == 2, "MLP must contain exactly two nn.Linear layers.")
    drops = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    expect(
        len(drops) == 1 and drops[0].p == 0.25,
        "MLP must contain one nn.Dropout layer with p=p_drop.",
    )
    X, _ = classification_data(d=8)
    model.eval()
    with torch.no_grad():
        out = model(X)
    expect(
        tuple(out.shape) == (64, 3),
        f"MLP(8, 16, 3) on X (64, 8) must give logits of shape (64, 3), got {tuple(out.shape)}.",
    )
    close(
        numpy(out),
        numpy(reference_forward(model, X)),
        rtol=1e-5,
        atol=1e-6,
        what="MLP output in eval mode (Linear -> ReLU -> Linear)",
    )


def _as64(values):
    return torch.tensor([float(v) for v in values], dtype=torch.float64)


def _variant_losses(initial, X, y, epochs, lr, variant):
    """The loss sequences of three common mistakes, to name the one a learner made."""
    model = _fresh_linear(initial)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        if variant != "accumulate":
            optimizer.zero_grad()
        out = model(X)
        loss = nn.functional.cross_entropy(out.softmax(dim=1) if variant == "softmax" else out, y)
        loss.backward()
        optimizer.step()
        if variant == "after_step":
            with torch.no_grad():
                losses.append(nn.functional.cross_entropy(model(X), y).item())
        else:
            losses.append(loss.item())
    return losses


MISTAKE_MESSAGES = {
    "accumulate": "your losses match SGD whose gradients accumulate from one step to the next: "
    "call optimizer.zero_grad() before loss.backward() in every step.",
    "softmax": "your losses match nn.CrossEntropyLoss fed softmax probabilities: "
    "CrossEntropyLoss applies log-softmax itself, so give it the model's raw logits, not "
    "probabilities (a softmax before it is a double softmax and trains badly).",
    "after_step": "your losses are the losses after each optimizer.step(): record loss.item() "
    "of the forward pass you called backward() on, before the step (the first entry is the "
    "loss of the initial weights).",
}


@check("train: full-batch SGD, one zero_grad/backward/step per epoch")
def check_train(lab):
    X, y = classification_data()
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    initial = {name: t.clone() for name, t in model.state_dict().items()}
    losses = lab.train(model, X, y, epochs=30, lr=0.5)
    expect(
        isinstance(losses, (list, tuple)) and len(losses) == 30,
        f"train must return a list with one loss per epoch (30), got {type(losses).__name__}"
        + (f" of length {len(losses)}." if hasattr(losses, "__len__") else "."),
    )
    expected = sgd_losses(_fresh_linear(initial), X, y, 30, 0.5, accumulate=False)
    got = _as64(losses)
    if not torch.allclose(got, _as64(expected), rtol=1e-4):
        for variant, message in MISTAKE_MESSAGES.items():
            if torch.allclose(
                got, _as64(_variant_losses(initial, X, y, 30, 0.5, variant)), rtol=1e-4
            ):
                raise CheckFailed(message)
    close(
        losses,
        expected,
        rtol=1e-4,
        what="loss per epoch (compared with plain full-batch SGD and nn.CrossEntropyLoss, "
        "each loss recorded before its step)",
    )
    at_most(losses[-1], losses[0], what="final training loss")


@check("train puts the model in training mode (a model handed over in eval mode)")
def check_train_mode(lab):
    torch.manual_seed(3)
    model = lab.MLP(4, 16, 3, p_drop=0.5).eval()  # as left behind by predict_logits
    X, y = classification_data()
    modes = []
    handle = model.register_forward_pre_hook(lambda module, args: modes.append(module.training))
    try:
        lab.train(model, X, y, epochs=2, lr=0.1)
    finally:
        handle.remove()
    expect(modes, "train never called the model's forward pass.")
    expect(
        all(modes),
        "train ran forward passes in evaluation mode on a model that predict_logits had left in "
        "eval mode, so dropout was off during training: call model.train() at the start of train.",
    )


def _fresh_linear(state):
    model = nn.Linear(4, 3)
    model.load_state_dict(state)
    return model


@check("train/eval modes: dropout is random in training, predict_logits is deterministic")
def check_modes(lab):
    torch.manual_seed(1)
    model = lab.MLP(4, 32, 3, p_drop=0.5)
    X, _ = classification_data()
    model.train()
    with torch.no_grad():
        expect(
            not torch.equal(model(X), model(X)),
            "in training mode two forward passes should differ (dropout is random): is the Dropout layer used in forward?",
        )
    first, second = lab.predict_logits(model, X), lab.predict_logits(model, X)
    expect(
        torch.equal(first, second),
        "predict_logits gave different outputs for the same input: dropout is still active. "
        "Call model.eval() before predicting.",
    )
    expect(
        not first.requires_grad,
        "predict_logits must not track gradients: wrap the forward pass in torch.no_grad().",
    )
    close(
        numpy(first),
        numpy(reference_forward(model, X)),
        rtol=1e-5,
        atol=1e-6,
        what="predict_logits (eval mode: dropout off)",
    )


@check("save_model / load_model: a state_dict round trip gives identical outputs")
def check_save_load(lab):
    torch.manual_seed(2)
    model = lab.MLP(4, 8, 3)
    X, _ = classification_data()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mlp.pt"
        lab.save_model(model, path)
        expect(path.exists(), "save_model must write the file at the given path.")
        try:
            saved = torch.load(path, weights_only=True)
        except pickle.UnpicklingError:
            raise CheckFailed(
                "the saved file is not a state_dict (it could not be loaded with weights_only=True): save model.state_dict(), not the model object."
            ) from None
        expect(
            isinstance(saved, dict) and set(saved) == set(model.state_dict()),
            "save_model must save model.state_dict() (a dict of parameter tensors), not the model object.",
        )
        loaded = lab.load_model(path, 4, 8, 3)
    expect(
        isinstance(loaded, nn.Module),
        f"load_model must return the model, got {type(loaded).__name__}.",
    )
    expect(
        not loaded.training,
        "load_model must return the model in evaluation mode: call model.eval() after loading.",
    )
    model.eval()
    with torch.no_grad():
        expect(
            torch.equal(loaded(X), model(X)),
            "the reloaded model gives different outputs from the saved one.",
        )
