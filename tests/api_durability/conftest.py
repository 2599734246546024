"""The crash test starts real `hg-advies serve` processes; `-m "not durability"` leaves it out of a quick run."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "durability: kill -9 of a real server mid-load (about 10 s per database)")
