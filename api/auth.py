"""API keys and roles: `HG_API_KEYS` parsing, bearer authentication in constant time, role checks."""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["Rol", "ROLLEN", "Principal", "Sleutels", "SleutelFout", "key_id"]

Rol = Literal["indicatiesteller", "hg_deskundige", "beleidsmaker", "beheerder"]
ROLLEN: tuple[str, ...] = get_args(Rol)


class SleutelFout(ValueError):
    """HG_API_KEYS cannot be read."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: a key's id (a hash prefix, never the key itself) and its role. Signed in through the
    identity provider (OpenID Connect), `subject` is the provider's subject and `key_id` a hash of it."""

    key_id: str
    rol: str
    subject: str | None = None


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class Sleutels:
    """The configured keys; lookup compares the presented key with every key in constant time."""

    def __init__(self, spec: str) -> None:
        self._entries: list[tuple[bytes, Principal]] = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, rol = part.rpartition(":")
            if not sep or not key:
                raise SleutelFout(f"HG_API_KEYS: '{_mask(part)}' is niet van de vorm sleutel:rol")
            if rol not in ROLLEN:
                raise SleutelFout(f"HG_API_KEYS: onbekende rol '{rol}' (kies uit {', '.join(ROLLEN)})")
            if len(key) < 16:
                raise SleutelFout("HG_API_KEYS: een sleutel moet minstens 16 tekens lang zijn")
            if not _sterk(key):
                raise SleutelFout(f"HG_API_KEYS: de sleutel '{_mask(key)}' is te voorspelbaar; gebruik een "
                                  "willekeurige sleutel (bijvoorbeeld: python -c 'import secrets; "
                                  "print(secrets.token_urlsafe(24))')")
            if any(hmac.compare_digest(key.encode(), bestaand) for bestaand, _ in self._entries):
                raise SleutelFout(f"HG_API_KEYS: de sleutel '{_mask(key)}' staat er meer dan eens in; elke sleutel "
                                  "hoort bij precies één rol")
            self._entries.append((key.encode(), Principal(key_id(key), rol)))

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __contains__(self, principal: object) -> bool:
        """Whether this principal (key and role) is still configured: a web session ends with its key."""
        return any(p == principal for _, p in self._entries)

    def lookup(self, presented: str) -> Principal | None:
        candidate = presented.encode()
        found: Principal | None = None
        for key, principal in self._entries:  # no early exit: time does not depend on which key matched
            if hmac.compare_digest(key, candidate):
                found = principal
        return found


_MIN_BITS = 64  # a key from secrets.token_urlsafe(24) has 192


def _sterk(key: str) -> bool:
    """At least 8 distinct characters and an estimated 64 bits (length x log2 of the character classes used):
    'aaaaaaaaaaaaaaaa' and '1111222233334444' are refused, a random key passes."""
    if len(set(key)) < 8:
        return False
    klassen = [(str.islower, 26), (str.isupper, 26), (str.isdigit, 10)]
    poel = sum(grootte for test, grootte in klassen if any(test(c) for c in key))
    poel += 32 if any(not (c.isalnum() and c.isascii()) for c in key) else 0
    return len(key) * math.log2(max(poel, 2)) >= _MIN_BITS


def _mask(part: str) -> str:
    return part[:2] + "…" if len(part) > 2 else "…"
