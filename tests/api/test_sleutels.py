"""HG_API_KEYS: the configured keys (issue 11; attacks-2026-12.log, categories keyconf and keyconf-raw)."""

from __future__ import annotations

import secrets

import pytest

from api.auth import SleutelFout, Sleutels
from tests.api.helpers import API_KEYS


def test_the_test_keys_and_a_random_key_are_accepted() -> None:
    assert Sleutels(API_KEYS)
    sleutel = secrets.token_urlsafe(24)
    assert Sleutels(f"{sleutel}:beheerder").lookup(sleutel) is not None


VOORSPELBAAR = ["aaaaaaaaaaaaaaaa", "1111222233334444", "abababababababababab", "0000000000000000000"]


@pytest.mark.parametrize("sleutel", VOORSPELBAAR)
def test_a_predictable_key_is_refused_at_start_up(sleutel: str) -> None:
    with pytest.raises(SleutelFout, match="te voorspelbaar") as info:
        Sleutels(f"{sleutel}:indicatiesteller")
    assert sleutel not in str(info.value)  # the key itself never appears in a message or log


def test_the_same_key_twice_is_refused_also_with_another_role() -> None:
    sleutel = secrets.token_urlsafe(24)
    for tweede in ("indicatiesteller", "beheerder"):
        with pytest.raises(SleutelFout, match="meer dan eens") as info:
            Sleutels(f"{sleutel}:indicatiesteller,{sleutel}:{tweede}")
        assert sleutel not in str(info.value)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(SleutelFout, match="minstens 16"):
        Sleutels("kort-3f9a:beheerder")
