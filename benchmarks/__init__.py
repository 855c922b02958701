"""Performance benchmarks of issue 6: each figure measured against a baseline taken in the same run."""
