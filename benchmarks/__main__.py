"""`python -m benchmarks`: runs every benchmark and prints the table."""

import sys

from benchmarks.run import main

sys.exit(main())
