"""Runs Trial Journal: the same entry as the `trial-journal` command."""

import sys

from ui.entry import main

if __name__ == "__main__":
    sys.exit(main())
