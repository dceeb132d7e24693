"""Which mode (training or evaluation) a learner's PyTorch loop ran each forward pass in.

Shared by the PyTorch labs whose training loops alternate training batches with a
validation pass: each ``nn.Dropout`` forward is recorded as ``(rows, training)``, so a check
can tell training batches (small) from the validation pass (all validation rows).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from torch import nn

from mlpath.labs.checking import expect


@contextmanager
def dropout_calls() -> Iterator[list[tuple[int, bool]]]:
    """Record ``(batch rows, module.training)`` for every nn.Dropout forward inside the block."""
    calls: list[tuple[int, bool]] = []
    original = nn.Dropout.forward

    def recording(self, x):
        calls.append((int(x.shape[0]), bool(self.training)))
        return original(self, x)

    nn.Dropout.forward = recording
    try:
        yield calls
    finally:
        nn.Dropout.forward = original


def expect_train_and_eval_modes(calls, n_val: int, batch_size: int, validate: str) -> None:
    """Training batches (at most ``batch_size`` rows) ran in training mode and the validation
    pass (``n_val`` rows) in evaluation mode; ``validate`` names how the lab validates."""
    expect(
        calls,
        "training never ran the model's nn.Dropout layer: build the model with the lab's builder.",
    )
    expect(
        not any(training for n, training in calls if n == n_val),
        f"the validation pass ran in training mode (dropout on): compute it with {validate}, "
        "i.e. model.eval() and torch.no_grad(), so that it measures the model you would keep.",
    )
    expect(
        all(training for n, training in calls if n <= batch_size),
        "training batches ran in evaluation mode (dropout off) after the first validation: "
        "validating switches the model to eval mode, so call model.train() at the start of "
        "every epoch, not once before the loop.",
    )
