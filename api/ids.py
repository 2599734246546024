"""Random ids (advies, besluit, request ids): 128 bits from the operating system's CSPRNG, as uuid4 hex.

`uuid.uuid4()` asks the kernel for 16 bytes per id; that system call releases the GIL, and under load getting
it back waits for whichever thread holds it (measured: uuid4 was 5.8 % of the server's samples, almost all
of it waiting). The bytes come from the same source here, `os.urandom`, 4 KiB at a time; each id takes the
next 16 bytes, never the same twice, and a forked child starts with an empty buffer (no two processes share
ids). The version and variant bits are set as uuid4 sets them, so an id reads as a version-4 UUID."""

from __future__ import annotations

import os
import threading

__all__ = ["nieuw_id"]

_BLOK = 4096  # bytes read at once: 256 ids
_lock = threading.Lock()
_buffer = b""
_positie = 0


def _leeg() -> None:
    global _buffer, _positie
    _buffer, _positie = b"", 0


os.register_at_fork(after_in_child=_leeg)


def nieuw_id() -> str:
    """32 lower-case hex digits: a random version-4 UUID."""
    global _buffer, _positie
    with _lock:
        if _positie + 16 > len(_buffer):
            _buffer, _positie = os.urandom(_BLOK), 0
        stuk = bytearray(_buffer[_positie:_positie + 16])
        _positie += 16
    stuk[6] = (stuk[6] & 0x0F) | 0x40  # version 4
    stuk[8] = (stuk[8] & 0x3F) | 0x80  # RFC 4122 variant
    return stuk.hex()
