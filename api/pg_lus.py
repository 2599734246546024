"""A PostgreSQL connection driven by the event loop: libpq in non-blocking pipeline mode, its socket watched by
the loop, any number of transactions in flight, their results delivered in the order they were sent.

Why (api/opslag.py uses it for the one write and the one read of POST /v1/advies): handing each statement to a
thread with a synchronous connection cost a thread hop each way. Under `make bench-api` (500/s on two cores)
the hop to the thread took p50 0.7-1.1 ms and p99 15-18 ms, the way back 0.3 ms and 5 ms, while the database
answered in 0.5 ms: waking a thread, and the thread getting the GIL back from the busy event loop, made up
most of the request's time (instrumented 2026-12-02, docs/decisions.md). Here a statement is written into
libpq's buffer and flushed by the loop, and its answer is read when the socket is readable: no thread and no
lock.

Only libpq is used (psycopg's `pq` interface, `conn.pgconn`); the psycopg `Connection` that opened it is used for
nothing else afterwards. Each call to `stuur` is one transaction: its statements, then a Sync (libpq's
pipeline sync point); PostgreSQL runs what is between two Syncs as one implicit transaction, committed at the
Sync, rolled back whole on an error (the statements after the error come back as PIPELINE_ABORTED).
Statements are prepared by name when the connection opens (synchronously, before the loop drives it), so the
pipeline only ever executes them.

When the connection breaks (the server restarted, a backend was terminated), every transaction still in flight
fails with `psycopg.OperationalError`; whether it committed is unknown, which the caller deals with
(api/opslag.py writes rows again, whose ids make a second write of a committed row detectable).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import pq

__all__ = ["LusVerbinding", "Statement"]

# The name of a prepared statement, its parameters (bytes, or None for NULL) and their formats (None: all text).
Statement = tuple[bytes, Sequence[Any], Sequence[pq.Format] | None]

_SYNC = pq.ExecStatus.PIPELINE_SYNC


class _Transactie:
    """Statements sent up to one Sync, and the future of their results."""

    __slots__ = ("resultaten", "klaar")

    def __init__(self, klaar: asyncio.Future[list[pq.abc.PGresult]]) -> None:
        self.resultaten: list[pq.abc.PGresult] = []
        self.klaar = klaar


class LusVerbinding:
    """One libpq connection in non-blocking pipeline mode on the running event loop (see the module text).

    Made by `open` (connects in a worker thread); `stuur` sends a transaction; `sluit` waits for what is in flight
    and closes. `kapot` tells that the connection broke: it is then closed and a new one must be opened."""

    def __init__(self, conn: psycopg.Connection[Any], loop: asyncio.AbstractEventLoop,
                 bij_breuk: Callable[[LusVerbinding], None] | None = None) -> None:
        self._conn = conn
        self._pg = conn.pgconn
        self._loop = loop
        self._bij_breuk = bij_breuk
        self._encoding = conn.info.encoding
        self._onderweg: deque[_Transactie] = deque()  # sent, their Sync not yet answered; oldest first
        self._huidig: pq.abc.PGresult | None = None  # the result of the statement being read
        self._schrijft = False  # a writer callback waits for the socket to take the rest of the output
        self.kapot = False
        self._pg.nonblocking = 1
        self._pg.enter_pipeline_mode()
        self._fd = self._pg.socket
        loop.add_reader(self._fd, self._lees)

    @classmethod
    async def open(cls, verbind: Callable[[], psycopg.Connection[Any]], voorbereid: Mapping[bytes, bytes],
                   bij_breuk: Callable[[LusVerbinding], None] | None = None) -> LusVerbinding:
        """Connect (`verbind`, blocking, in a worker thread), prepare `voorbereid` (name -> SQL) on the connection
        and hand it to the running loop. Raises psycopg's error when the database cannot be reached."""
        loop = asyncio.get_running_loop()

        def verbind_en_bereid_voor() -> psycopg.Connection[Any]:
            conn = verbind()
            try:
                for naam, sql in voorbereid.items():
                    res = conn.pgconn.prepare(naam, sql)
                    if res.status != pq.ExecStatus.COMMAND_OK:
                        raise psycopg.errors.error_from_result(res, encoding=conn.info.encoding)
            except BaseException:
                conn.close()
                raise
            return conn

        conn = await loop.run_in_executor(None, verbind_en_bereid_voor)
        return cls(conn, loop, bij_breuk)

    @property
    def backend_pid(self) -> int:
        return self._pg.backend_pid

    @property
    def bezig(self) -> int:
        """How many transactions are in flight."""
        return len(self._onderweg)

    def stuur(self, statements: Sequence[Statement]) -> asyncio.Future[list[pq.abc.PGresult]]:
        """Send `statements` as one transaction; the future gets one result per statement, in order (look at each
        result's status: an error, or PIPELINE_ABORTED after one), or `psycopg.OperationalError` when the
        connection broke before the answer came (committed or not: unknown). Call on the loop's thread."""
        klaar: asyncio.Future[list[pq.abc.PGresult]] = self._loop.create_future()
        if self.kapot:
            klaar.set_exception(psycopg.OperationalError("de verbinding met de database is verbroken"))
            return klaar
        try:
            for naam, waarden, formaten in statements:
                self._pg.send_query_prepared(naam, waarden, param_formats=formaten)
            self._pg.pipeline_sync()
            self._onderweg.append(_Transactie(klaar))
            self._flush()
        except Exception as exc:  # noqa: BLE001  (what was sent of it is unknown: the connection is given up)
            if not klaar.done():
                klaar.set_exception(exc)
            self._breuk()
        return klaar

    def fout(self, res: pq.abc.PGresult) -> psycopg.Error:
        """psycopg's exception for an error result (with its `diag`: the constraint, the SQLSTATE)."""
        return psycopg.errors.error_from_result(res, encoding=self._encoding)

    async def sluit(self) -> None:
        """Wait for the transactions in flight, then close."""
        while self._onderweg and not self.kapot:
            await asyncio.wait([self._onderweg[-1].klaar])
        self._sluit()

    # --- driven by the loop ---

    def _flush(self) -> None:
        if self._pg.flush() == 0:  # all sent
            if self._schrijft:
                self._loop.remove_writer(self._fd)
                self._schrijft = False
        elif not self._schrijft:  # the socket's buffer is full: send the rest when it takes more
            self._loop.add_writer(self._fd, self._schrijf)
            self._schrijft = True

    def _schrijf(self) -> None:
        try:
            self._flush()
        except Exception:  # noqa: BLE001
            self._breuk()

    def _lees(self) -> None:
        try:
            self._pg.consume_input()
            while not self._pg.is_busy():
                res = self._pg.get_result()
                if res is None:  # the end of one statement's results, or nothing more for now
                    if self._huidig is None:
                        break
                    if self._onderweg:
                        self._onderweg[0].resultaten.append(self._huidig)
                    self._huidig = None
                elif res.status == _SYNC:
                    if self._onderweg:
                        transactie = self._onderweg.popleft()
                        if not transactie.klaar.done():  # done: its waiter was cancelled
                            transactie.klaar.set_result(transactie.resultaten)
                else:
                    self._huidig = res
        except Exception:  # noqa: BLE001  (psycopg's errors; anything else leaves the pipeline unknown as well)
            self._breuk()
            return
        if self._pg.status == pq.ConnStatus.BAD:
            self._breuk()

    def _breuk(self) -> None:
        """The connection broke: fail what is in flight, close, tell the owner."""
        if self.kapot:
            return
        self.kapot = True
        self._sluit()
        while self._onderweg:
            klaar = self._onderweg.popleft().klaar
            if not klaar.done():
                klaar.set_exception(psycopg.OperationalError("de verbinding met de database is verbroken"))
        if self._bij_breuk is not None:
            self._bij_breuk(self)

    def _sluit(self) -> None:
        if self._fd >= 0:
            self._loop.remove_reader(self._fd)
            if self._schrijft:
                self._loop.remove_writer(self._fd)
                self._schrijft = False
            self._fd = -1
        self.kapot = True
        self._conn.close()
