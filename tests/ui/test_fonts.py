"""On a computer with no fonts Qt can find, the window writes with the DejaVu Sans matplotlib carries, not empty boxes;
with the system's fonts there, it keeps them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui import fonts

REPO = Path(__file__).resolve().parents[2]
# Starts Qt offscreen, lets the window's font step run, then tells what Qt can write with.
PROBE = """
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication
from ui.fonts import ensure_fonts
app = QApplication([])
print("before", QFontMetrics(app.font()).inFont("A"))
print("added", ensure_fonts(app))
print("family", QFontInfo(app.font()).family())
print("letters", QFontMetrics(app.font()).inFont("A"))
print("after", sorted(QFontDatabase.families()))
"""


def _run_probe(tmp_path: Path, *, no_fonts: bool) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    if no_fonts:  # a fontconfig that knows no folder of fonts: a computer without any
        conf = tmp_path / "fonts.conf"
        conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n',
                        encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split(" ", 1) for line in done.stdout.splitlines())


def test_matplotlib_carries_the_fonts_the_window_falls_back_on():
    folder = fonts.carried_font_folder()
    assert folder is not None
    assert all((folder / name).is_file() for name in fonts.FILES)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig decides which fonts Qt finds on Linux")
def test_a_computer_without_fonts_gets_dejavu_sans(tmp_path):
    seen = _run_probe(tmp_path, no_fonts=True)
    assert seen["before"] == "False"  # Qt alone would draw empty boxes
    assert seen["added"] == "True"
    assert seen["family"] == "DejaVu Sans"
    assert seen["letters"] == "True"
    assert "DejaVu Sans" in seen["after"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig decides which fonts Qt finds on Linux")
def test_the_systems_own_fonts_are_kept(tmp_path):
    seen = _run_probe(tmp_path, no_fonts=False)
    if seen["before"] == "False":
        pytest.skip("this computer has no fonts of its own")
    assert seen["added"] == "False"
