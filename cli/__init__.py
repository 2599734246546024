"""The `hg-advies` command line: an adapter over the engine (reading files, printing JSON, exit codes)."""
