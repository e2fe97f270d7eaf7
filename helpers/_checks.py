"""Input checks shared by the helper modules."""

import numbers


def is_integer(value):
    """Return whether ``value`` is an integer (Python or numpy), excluding ``bool``.

    ``True`` and ``False`` are integers to Python, but a flag passed where a
    count is expected is a mistake, so every count check rejects them.
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
