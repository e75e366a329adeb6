"""Shared test set-up: headless Qt, and no test touching the user's real folders."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings and the default database live under these; keep them away from the real ones.
_sandbox = tempfile.mkdtemp(prefix="spanwise-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_sandbox, "data")
os.environ.pop("SPANWISE_DB", None)
