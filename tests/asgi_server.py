"""A real uvicorn server on a free loopback port, in a thread, for tests of what crosses the socket."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

__all__ = ["body_van", "uvicorn_server"]


async def body_van(receive: Any) -> bytes:
    """The whole request body of an ASGI request."""
    body = b""
    while True:
        bericht = await receive()
        body += bericht.get("body", b"")
        if not bericht.get("more_body"):
            return body


@contextmanager
def uvicorn_server(app: Any, **config: Any) -> Iterator[int]:
    """Serve `app` (uvicorn.Config's other options in `config`) until the block ends; yields the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=poort, lifespan="off", log_level="warning",
                                        **config))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    einde = time.monotonic() + 10
    while not srv.started and time.monotonic() < einde:
        time.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    try:
        yield poort
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
