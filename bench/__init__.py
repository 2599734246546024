"""Benchmarks of hg-advies (run from the repository root: `make bench`)."""
