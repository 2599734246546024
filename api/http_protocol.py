"""uvicorn's httptools protocol, writing each response to the socket in one piece.

uvicorn writes a response's status line and headers, then its body: two `send` system calls, two TCP segments
on the wire and, on loopback or a virtual machine, two wake-ups of the client. Here the protocol's transport is
wrapped so that what it writes in one pass of the event loop goes out as one write: at the end of the
response (`on_response_complete`), before a close, or on the next pass of the loop (a streamed response, a
`100 Continue`), whichever comes first. Nothing is held back longer than one pass of the loop, and the bytes
and their order are unchanged.

`hg-advies serve` starts uvicorn with `http=EenSchrijfProtocol` (the test: tests/api/test_http_protocol.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["EenSchrijfProtocol", "SamenvoegendTransport"]


class SamenvoegendTransport:
    """A transport whose writes within one pass of the event loop reach the real transport as one write."""

    __slots__ = ("_transport", "_loop", "_wachtend")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._wachtend: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self._wachtend is None:
            self._wachtend = [data]
            self._loop.call_soon(self.flush)
        else:
            self._wachtend.append(data)

    def flush(self) -> None:
        wachtend, self._wachtend = self._wachtend, None
        if wachtend and not self._transport.is_closing():
            self._transport.write(wachtend[0] if len(wachtend) == 1 else b"".join(wachtend))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, naam: str) -> Any:  # is_closing, get_extra_info, pause/resume_reading, abort, ...
        return getattr(self._transport, naam)


class EenSchrijfProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a `SamenvoegendTransport`: a response's headers and body in one write."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(SamenvoegendTransport(transport, self.loop))  # type: ignore[arg-type]

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
