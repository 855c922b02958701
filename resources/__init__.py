"""Data the program reads: drug catalog, scale definitions, styles (read with importlib.resources)."""
