"""Settings for the whole test run, read before any notebook kernel starts.

Notebook kernels inherit this process's environment, so live training
displays draw once at the end instead of redrawing every second.
"""

import os

os.environ.setdefault("ML4P_LIVE", "0")
