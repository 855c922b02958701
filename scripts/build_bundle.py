"""Builds the desktop bundle: a folder under dist/ holding the `trial-journal` program, its resources, fonts and
Qt plugins, that runs on a computer with no Python, and an archive of that folder to hand out.

Run from the project folder, in an environment that has the journal's dependencies and PyInstaller
(`pip install -e ".[bundle]"`):

    python scripts/build_bundle.py            # or: python -m scripts.build_bundle
    python scripts/build_bundle.py --dist /tmp/out

PyInstaller is the freezer: it is well kept (releases every few weeks), carries hooks for PySide6, matplotlib
and the other dependencies itself (pyinstaller-hooks-contrib), builds the one-folder layout that starts fast (no
unpacking at each start), and runs on Linux, Windows and macOS alike; each system builds its own bundle.
This script installs nothing: without PyInstaller it says so and stops.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NAME = "trial-journal"
MAX_MB = 250

# PySide6 modules the window never imports (it uses QtCore, QtGui, QtWidgets, QtDBus, QtNetwork): left out so
# the bundle stays small. Each is a Python module PyInstaller would otherwise follow from a hook.
_UNUSED_QT = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth", "QtCharts",
    "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
]
# Python packages the program never needs at run time: the tests and their tools, and other GUI toolkits
# that matplotlib's or PyInstaller's hooks would pull in.
_UNUSED_PY = [
    "tkinter", "_tkinter", "matplotlib.backends._backend_tk", "matplotlib.backends.backend_tkagg", "PyQt5", "PyQt6",
    "PySide2", "IPython", "pytest", "_pytest", "hypothesis", "pytestqt", "mypy", "ruff", "importlinter", "pypdf",
    "fhir", "fhir_core", "tests", "benchmarks", "setuptools", "pip", "wheel", "pydoc_data", "lib2to3", "unittest.test",
    "alembic.testing", "sqlalchemy.testing", "numpy.f2py", "numpy.testing", "matplotlib.tests", "PIL.ImageQt",
    "matplotlib.backends.backend_gtk3agg", "matplotlib.backends.backend_wxagg", "pygments", "mpl_toolkits", "mako.testing",
]
# Qt plugin folders the window has no use for (the platforms it runs on stay: xcb, offscreen, wayland, and the
# Windows and macOS ones on those systems). Removed from the built folder after PyInstaller has collected them.
_UNUSED_PLUGINS = [
    "designer", "qmllint", "qmltooling", "sqldrivers", "virtualkeyboard", "webview", "multimedia", "position",
    "sensors", "geoservices", "canbus", "scxmldatamodel", "renderers", "sceneparsers", "geometryloaders",
    "renderplugins", "texttospeech", "assetimporters",
]


# The bundle's main script. matplotlib.projections warns at every start that it cannot import Axes3D: mpl_toolkits
# is left out of the bundle on purpose (the timeline draws no 3D), so the warning would only worry a reader of stderr.
# Started with no locale at all (LANG unset, as under `env -i`), Python would take C.UTF-8 for its text (PEP 538),
# but the frozen program does not; Qt then complains that it "depends on a UTF-8 locale". The entry does what
# Python does, on Linux only, where C.UTF-8 exists.
_ENTRY = """import os
import sys
import warnings

if sys.platform.startswith("linux") and not any(os.environ.get(v) for v in ("LC_ALL", "LC_CTYPE", "LANG")):
    os.environ["LC_CTYPE"] = "C.UTF-8"
warnings.filterwarnings("ignore", message="Unable to import Axes3D", category=UserWarning)

from ui.entry import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
"""


def _system() -> str:
    return {"Darwin": "macos", "Windows": "windows"}.get(platform.system(), platform.system().lower())


def version() -> str:
    """The journal's version, read from journal/__init__.py without importing the journal."""
    for line in (PROJECT / "journal" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("journal/__init__.py has no __version__ line: the bundle's name needs the version")


def _data_args() -> list[str]:
    """The files the program reads from folders rather than importing: resources/ and the migrations alembic loads."""
    sep = os.pathsep
    return [
        "--add-data", f"{PROJECT / 'resources'}{sep}resources",
        # alembic reads journal/migrations/env.py, script.py.mako and versions/*.py from the folder itself
        "--add-data", f"{PROJECT / 'journal' / 'migrations'}{sep}journal/migrations",
    ]


def pyinstaller_args(dist: Path, work: Path, entry: Path) -> list[str]:
    """The PyInstaller command line that builds the one-folder bundle into dist/trial-journal."""
    args = [
        str(entry), "--name", NAME, "--onedir", "--noconfirm", "--clean",
        "--distpath", str(dist), "--workpath", str(work / "build"), "--specpath", str(work),
        "--paths", str(PROJECT),
        # the journal and the window load some of their modules by name (journal.__getattr__, journal.charts)
        "--collect-submodules", "journal", "--collect-submodules", "ui", "--collect-submodules", "resources",
        # loaded by name at run time: SQLCipher's driver, argon2's C binding, alembic's own templates and ops,
        # the desktop's notification back ends
        "--hidden-import", "sqlcipher3", "--hidden-import", "sqlcipher3.dbapi2",
        "--collect-submodules", "argon2", "--hidden-import", "_cffi_backend",
        "--collect-submodules", "alembic", "--collect-data", "alembic",
        "--collect-submodules", "desktop_notifier",
        "--collect-submodules", "sqlalchemy.dialects.sqlite",
        *_data_args(),
    ]
    if _system() in ("windows", "macos"):
        args.append("--windowed")  # no console window behind the journal; Linux keeps it so the commands print
        # the program's icon in Explorer, the Dock and Finder: PyInstaller turns the PNG into .ico or .icns with Pillow
        # (matplotlib's dependency, so always there); on Linux the desktop entry carries the icon instead
        args += ["--icon", str(PROJECT / "resources" / "trial-journal.png")]
    if _system() == "macos":
        # the app's identifier, the same as the label of the login item it installs (journal/autostart.py)
        args += ["--osx-bundle-identifier", "org.trialjournal.TrialJournal"]
    for module in _UNUSED_PY:
        args += ["--exclude-module", module]
    for module in _UNUSED_QT:
        args += ["--exclude-module", f"PySide6.{module}"]
    return args


def _prune(folder: Path) -> None:
    """Removes the Qt plugins and translations the window never loads, which PyInstaller's hook collects anyway."""
    for plugins in folder.rglob("plugins"):
        if plugins.is_dir() and plugins.parent.name == "Qt":
            for name in _UNUSED_PLUGINS:
                shutil.rmtree(plugins / name, ignore_errors=True)
    # the window is in English and installs no QTranslator: Qt's own translations (7 MB) are never read
    for translations in folder.rglob("translations"):
        if translations.is_dir() and translations.parent.name == "Qt":
            shutil.rmtree(translations)


def _strip(folder: Path) -> None:
    """Strips the debug symbols from the program's libraries on Linux (about 60 MB nobody reads). Not PyInstaller's
    --strip: that strips the libraries auditwheel patched too (numpy.libs, pillow.libs), and numpy's OpenBLAS then
    fails to load ("ELF load command address/offset not page-aligned"); those are left as they are."""
    strip = shutil.which("strip")
    if _system() != "linux" or strip is None:
        return
    for binary in folder.rglob("*.so*"):
        if binary.is_file() and not binary.is_symlink() and not any(p.name.endswith(".libs") for p in binary.parents):
            subprocess.run([strip, "--strip-unneeded", str(binary)], check=True)


def size_mb(folder: Path) -> float:
    """The unpacked size of a folder in megabytes (10^6 bytes), as a file manager shows it."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _archive(folder: Path) -> Path:
    base = f"{NAME}-{version()}-{_system()}-{platform.machine().lower()}"
    if _system() == "windows":
        path = folder.parent / f"{base}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(folder.rglob("*")):
                z.write(f, f.relative_to(folder.parent))
        return path
    path = folder.parent / f"{base}.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        t.add(folder, arcname=folder.name)
    return path


def _commit() -> str:
    """The checkout's short commit, or "unknown" (no git, or not a checkout)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else "unknown"


def build(dist: Path, *, archive: bool = True) -> Path:
    """Builds dist/trial-journal (and its archive beside it); returns the folder. Stops with a message when
    PyInstaller is missing or the bundle comes out larger than 250 MB."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit('PyInstaller is not installed in this environment: pip install -e ".[bundle]" first') from None
    dist = dist.resolve()
    with tempfile.TemporaryDirectory(prefix="tj-bundle-") as tmp:
        work = Path(tmp)
        entry = work / "trial_journal_main.py"
        entry.write_text(_ENTRY, encoding="utf-8")
        pyinstaller.run(pyinstaller_args(dist, work, entry))
    folder = dist / NAME
    # the build's commit, for --version (journal.build_info imports journal._build): written into the bundle,
    # never into the checkout, where tests run beside a build
    (folder / "_internal" / "journal").mkdir(parents=True, exist_ok=True)
    (folder / "_internal" / "journal" / "_build.py").write_text(f'COMMIT = "{_commit()}"\n', encoding="utf-8")
    _prune(folder)
    _strip(folder)
    if archive:
        print(f"archive: {_archive(folder)}")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the trial-journal desktop bundle with PyInstaller.")
    parser.add_argument("--dist", type=Path, default=PROJECT / "dist", help="where the bundle folder goes (default: dist/)")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only, without its archive")
    options = parser.parse_args(argv)
    started = time.monotonic()
    folder = build(options.dist, archive=not options.no_archive)
    mb = size_mb(folder)
    print(f"bundle: {folder} ({mb:.0f} MB unpacked, built in {time.monotonic() - started:.0f} s)")
    if mb > MAX_MB:
        print(f"the bundle is {mb:.0f} MB, more than the {MAX_MB} MB it may be", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
