"""Test set-up shared by every test: the window runs offscreen, before any Qt import, and leaves nothing in /tmp."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

# The windows' local sockets (ui/single_window.py) go in a private runtime folder of the test
# run, never the shared temporary folder, and go with it at the end, even those of a window a
# test killed. Commands the tests start get the same folder.
_RUNTIME = tempfile.mkdtemp(prefix="tj-run-")  # 0700
os.environ["XDG_RUNTIME_DIR"] = _RUNTIME
atexit.register(shutil.rmtree, _RUNTIME, True)
