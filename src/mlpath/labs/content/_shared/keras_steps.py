"""What a learner's Keras training really did, one optimizer update at a time.

Shared by the Keras labs whose checks must see the learning rate in force at each step
(a schedule stepped per batch instead of per epoch, an lr set after its step) or which
variables were updated (a backbone that should be frozen). Every update of a Keras 3
optimizer, by ``fit``, ``train_on_batch`` or a loop calling ``apply_gradients``, goes
through ``Optimizer.apply``; it is wrapped only inside the block. Models compiled inside
the block run eagerly, so that TensorFlow and JAX do not trace the step once and replay it
without Python (the torch backend is eager anyway).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import keras


@dataclass(frozen=True)
class Step:
    """One optimizer update: the learning rate it used and how many variables it updated."""

    lr: float
    n_variables: int


@contextmanager
def _patched(owner, name, replacement):
    had_own = name in vars(owner)
    original = getattr(owner, name)
    setattr(owner, name, replacement(original))
    try:
        yield
    finally:
        if had_own:
            setattr(owner, name, original)
        else:
            delattr(owner, name)


@contextmanager
def optimizer_steps() -> Iterator[list[Step]]:
    """Record a :class:`Step` for every Keras optimizer update inside the block."""
    steps: list[Step] = []

    def recording(original):
        def apply(self, grads, trainable_variables=None):
            grads = list(grads)
            lr = float(keras.ops.convert_to_numpy(self.learning_rate))
            steps.append(Step(lr=lr, n_variables=len(grads)))
            return original(self, grads, trainable_variables)

        return apply

    def eager(original):
        def compile(self, *args, **kwargs):
            kwargs.update(run_eagerly=True, jit_compile=False)
            return original(self, *args, **kwargs)

        return compile

    with (
        _patched(keras.optimizers.Optimizer, "apply", recording),
        _patched(keras.Model, "compile", eager),
    ):
        yield steps
