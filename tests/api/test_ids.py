"""Random ids from a buffer of OS randomness (api/ids.py): well-formed version-4 UUIDs, never repeated, not
shared between threads or with a forked child."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from api import ids


def test_an_id_is_a_version_4_uuid_in_hex() -> None:
    for _ in range(600):  # more than one 4 KiB block
        nieuw = ids.nieuw_id()
        assert len(nieuw) == 32 and nieuw == nieuw.lower()
        u = uuid.UUID(hex=nieuw)
        assert u.version == 4 and u.variant == uuid.RFC_4122


def test_ids_never_repeat_across_threads() -> None:
    gezien: list[str] = []
    lock = threading.Lock()

    def maak() -> None:
        eigen = [ids.nieuw_id() for _ in range(2000)]
        with lock:
            gezien.extend(eigen)

    threads = [threading.Thread(target=maak) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(gezien)) == len(gezien) == 8000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only on POSIX")
def test_a_forked_child_does_not_reuse_the_parents_buffer() -> None:
    ids.nieuw_id()  # the parent has a partly used buffer
    lezen, schrijven = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(schrijven, ids.nieuw_id().encode())
        os._exit(0)
    os.close(schrijven)
    van_kind = os.read(lezen, 64).decode()
    os.waitpid(pid, 0)
    assert van_kind != ids.nieuw_id()
    assert uuid.UUID(hex=van_kind).version == 4
