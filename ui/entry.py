"""Entry point of the `trial-journal` command: the command line, with the window handed in for when no command is given."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from journal.cli import main as cli_main


def _run_window(**options) -> int:
    # Qt is imported only when the window is really wanted, so the commands start fast.
    from ui.app import run

    return run(**options)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, run_window=_run_window)


if __name__ == "__main__":
    sys.exit(main())
