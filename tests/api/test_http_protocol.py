"""api/http_protocol.py: a response's headers and body reach the socket in one write, nothing is held back
longer than one pass of the event loop, and the bytes on the wire are uvicorn's own."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from api.http_protocol import EenSchrijfProtocol, SamenvoegendTransport
from tests.asgi_server import body_van, uvicorn_server


class _Transport:
    """A stand-in for the event loop's transport: records what reaches the socket."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, naam: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1234) if naam == "peername" else default


def test_writes_in_one_pass_of_the_loop_reach_the_socket_as_one() -> None:
    async def gang() -> _Transport:
        echt = _Transport()
        t = SamenvoegendTransport(echt, asyncio.get_running_loop())  # type: ignore[arg-type]
        t.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        t.write(b"ok")
        assert echt.writes == []  # held until the end of this pass
        await asyncio.sleep(0)
        assert echt.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]
        t.write(b"later")
        t.flush()  # the end of a response: at once
        assert echt.writes[-1] == b"later"
        await asyncio.sleep(0)
        assert len(echt.writes) == 2  # the scheduled pass finds nothing left
        return echt

    asyncio.run(gang())


def test_close_writes_what_is_pending_first_and_nothing_after() -> None:
    async def gang() -> None:
        echt = _Transport()
        t = SamenvoegendTransport(echt, asyncio.get_running_loop())  # type: ignore[arg-type]
        t.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        t.close()
        assert echt.writes == [b"HTTP/1.1 400 Bad Request\r\n\r\n"] and echt.closed
        t.write(b"te laat")
        await asyncio.sleep(0)
        assert echt.writes == [b"HTTP/1.1 400 Bad Request\r\n\r\n"]  # a closed transport gets no more
        assert t.get_extra_info("peername") == ("127.0.0.1", 1234)  # everything else is the real transport's

    asyncio.run(gang())


# --- a real uvicorn server with the protocol ----------------------------------------------------------------------

_WRITES: list[bytes] = []


class _OpgenomenTransport(_Transport):
    def __init__(self, echt: asyncio.Transport) -> None:
        super().__init__()
        self._echt = echt

    def write(self, data: bytes) -> None:
        _WRITES.append(data)
        self._echt.write(data)

    def is_closing(self) -> bool:
        return self._echt.is_closing()

    def close(self) -> None:
        self._echt.close()

    def __getattr__(self, naam: str) -> Any:
        return getattr(self._echt, naam)


class _Protocol(EenSchrijfProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_OpgenomenTransport(transport))  # type: ignore[arg-type]


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = await body_van(receive)
    if scope["path"] == "/stroom":  # a streamed response: its first part must not wait for the second
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"eerste", "more_body": True})
        await asyncio.sleep(0.5)
        await send({"type": "http.response.body", "body": b"tweede"})
        return
    antwoord = b"echo:" + body
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(antwoord)).encode())]})
    await send({"type": "http.response.body", "body": antwoord})


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with uvicorn_server(_app, http=_Protocol) as poort:
        yield poort


def _lees_tot(sock: socket.socket, eind: bytes, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while not data.endswith(eind):
        stuk = sock.recv(65536)
        if not stuk:
            break
        data += stuk
    return data


def test_each_response_is_one_write_and_pipelined_requests_are_answered_in_order(server: int) -> None:
    _WRITES.clear()
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                     b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nde")
        data = _lees_tot(sock, b"echo:de")
    assert data.count(b"HTTP/1.1 200 OK") == 2
    assert data.index(b"echo:abc") < data.index(b"echo:de")
    antwoorden = [w for w in _WRITES if w.startswith(b"HTTP/1.1")]
    assert len(antwoorden) == 2 and len(_WRITES) == 2  # status line, headers and body in one write each
    assert antwoorden[0].endswith(b"\r\n\r\necho:abc") and antwoorden[1].endswith(b"\r\n\r\necho:de")


def test_expect_100_continue_is_answered_before_the_body_arrives(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert _lees_tot(sock, b"\r\n\r\n").startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(b"wxyz")
        assert _lees_tot(sock, b"echo:wxyz").endswith(b"echo:wxyz")


def test_a_streamed_response_is_not_held_back(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /stroom HTTP/1.1\r\nHost: x\r\n\r\n")
        begin = time.monotonic()
        eerste = _lees_tot(sock, b"eerste\r\n")
        na_eerste = time.monotonic() - begin
        rest = _lees_tot(sock, b"0\r\n\r\n")
    assert b"eerste" in eerste and b"tweede" in rest
    assert na_eerste < 0.4  # the first part left before the application produced the second (0,5 s later)


def test_serve_starts_uvicorn_with_the_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    gezien: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: gezien.update(kw))
    monkeypatch.setenv("HG_API_KEYS", "sleutel-van-minstens-zestien-tekens:beheerder")
    monkeypatch.setenv("HG_DATABASE_URL", "sqlite://")
    resultaat = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert resultaat.exit_code == 0, resultaat.output
    assert gezien["http"] is EenSchrijfProtocol
