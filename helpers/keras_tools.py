"""Small Keras 3 utilities that the notebooks share.

Keras 3's ``train_on_batch`` returns a bare float when the model has no
metrics and a list when it has some (or a dict with ``return_dict=True``),
so code that indexes the result one way breaks the other way. ``train_step``
always returns the loss of that one batch as a float.
"""

import numpy as np

from helpers._checks import is_integer


def train_step(model, inputs, targets):
    """Run one ``train_on_batch`` step and return that batch's loss as a float.

    The loss is the one Keras computed on this batch before the weight
    update, whatever metrics the model was compiled with.
    """
    # Keras releases without keras-team/keras pull request 22617 report the
    # running mean since the last reset. Resetting first makes the loss this
    # batch's own on every Keras 3 version.
    model.reset_metrics()
    result = model.train_on_batch(inputs, targets, return_dict=True)
    if "loss" not in result:
        raise RuntimeError(f"train_on_batch returned no 'loss' entry (keys: {sorted(result)}); compile the model with a loss.")
    return float(result["loss"])


def train_on_batches(model, batches, steps, callback=None):
    """Train for ``steps`` batches drawn from the iterator ``batches``.

    Returns a numpy array with one float cost per step. ``callback(step,
    costs)``, if given, is called after every step with the costs so far,
    for example to update a ``helpers.plotting.LiveDisplay``.
    """
    if not is_integer(steps) or steps < 1:
        raise ValueError(f"Invalid steps {steps!r}: use a positive integer.")
    costs = np.empty(int(steps))
    for step in range(int(steps)):
        inputs, targets = next(batches)
        costs[step] = train_step(model, inputs, targets)
        if callback is not None:
            callback(step, costs[: step + 1])
    return costs
