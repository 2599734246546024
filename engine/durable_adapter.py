"""The one adapter over durable-rules' C engine; no other module imports `durable_rules_engine`.

It drives the C engine directly (assert facts, then start/complete actions in the calling thread) and
never uses durable's Python `Host`, whose timer threads segfault under concurrency. Each crash path
and silent wrong answer measured in `shared/durable-rules.md` is designed out here:

- one live session per ruleset, with a random 64-bit id, reused: after an evaluation every fact it
  asserted is retracted in one call, which leaves the session empty (creating a session costs durable
  ~1 MB of memset and pool set-up for this ruleset: ~80 µs, and it evicts the CPU cache the request runs
  in). On any failure the session is deleted and the next evaluation makes a new one, so nothing leaks
  towards the 1024-live-session limit; an evaluation is refused unless its first fact matches the
  ruleset's unconditional anchor rule, so a session in which nothing fired is never deleted;
- facts are encoded by `engine.facts` (no exponent floats, no `id`/`sid`, no large facts);
- an identical fact asserted twice, which durable silently drops, raises;
- a rule whose `$or` matches in several branches is activated once per branch by durable; the
  adapter runs each (rule, matched facts) activation once;
- exceptions in actions propagate (durable's host swallows them into the session state);
- evaluations on one ruleset are serialised with a lock: the C engine holds the GIL anyway, so
  threads gain nothing, and no two sessions interleave their action chains.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import durable_rules_engine as _dre
import orjson

from engine.facts import encode_fact, encode_value

__all__ = ["EngineError", "DurableRuleset", "Session"]

_OK, _NOT_HANDLED, _OBSERVED, _NO_ACTION = 0, 1, 2, 3
_registered: dict[str, DurableRuleset] = {}
_registry_lock = threading.Lock()


class EngineError(RuntimeError):
    """The rule engine refused or failed an evaluation."""


def _encode_definition(value: Any) -> str:
    if isinstance(value, Mapping):
        items = (orjson.dumps(str(k)).decode() + ":" + _encode_definition(v) for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode_definition(v) for v in value) + "]"
    return encode_value(value)


class Session:
    """The facts of one evaluation; actions assert derived facts through it (kept, to be retracted)."""

    __slots__ = ("_handle", "sid", "asserted")

    def __init__(self, handle: int, sid: str) -> None:
        self._handle = handle
        self.sid = sid
        self.asserted: list[str] = []  # the JSON text of every fact asserted, as durable got it

    def assert_fact(self, fact: Mapping[str, Any]) -> None:
        tekst = encode_fact(fact, self.sid)
        code, _ = _dre.assert_fact(self._handle, tekst)
        if code == _OBSERVED:
            raise EngineError(f"identical fact asserted twice: {dict(fact)}")
        self.asserted.append(tekst)


class DurableRuleset:
    """A compiled durable-rules ruleset, run synchronously in one live session, emptied after each evaluation."""

    def __init__(self, name: str, definition: Mapping[str, Mapping[str, Any]], anchor: str) -> None:
        anchor_rule = definition.get(anchor)
        if anchor_rule is None or len(anchor_rule.get("all", ())) != 1:
            raise EngineError(f"anchor rule {anchor!r} must exist and have exactly one pattern")
        (pattern,) = anchor_rule["all"][0].values()
        if set(pattern) != {"t"}:
            raise EngineError(f"anchor rule {anchor!r} must match its fact type without conditions")
        self.anchor_type: str = pattern["t"]
        for rule_name, body in definition.items():
            if "run" in body:
                raise EngineError(f"{rule_name}: actions are dispatched by the adapter, not by durable")
            if _mentions_none(body):
                raise EngineError(f"{rule_name}: none() is not supported (queued activations are not cancelled)")
        self.name = name
        with _registry_lock:
            if name in _registered:
                raise EngineError(f"ruleset {name!r} is already registered in this process")
            try:
                self._handle = _dre.create_ruleset(name, _encode_definition(definition))
            except _dre.error as exc:
                raise EngineError(f"durable-rules refused ruleset {name!r}: {exc}") from exc
            _registered[name] = self
        self._lock = threading.Lock()
        # Session ids only have to differ between sessions of this ruleset (one live at a time, under the
        # lock) and not collide in durable's 32-bit hash; a PRNG seeded from the OS.
        self._rng = random.Random(os.urandom(16))
        self._sid: str | None = None  # the live, empty session between evaluations

    def run(
        self,
        facts: Sequence[Mapping[str, Any]],
        dispatch: Callable[[str, dict[str, dict[str, Any]], Session], None],
    ) -> int:
        """Assert `facts` in the ruleset's session and run every activation through `dispatch`.

        Returns the number of actions run. Afterwards every fact is retracted and the empty session kept for
        the next evaluation; when that fails, or anything raised, the session is deleted (unless nothing ever
        fired in it) and the next evaluation makes a new one.
        """
        if not facts or facts[0].get("t") != self.anchor_type:
            raise EngineError(f"the first fact must be of type {self.anchor_type!r} (the anchor rule's)")
        with self._lock:
            sid = self._sid or f"{self._rng.getrandbits(64):016x}"
            self._sid = None  # in use; given back below only when it is empty again
            session = Session(self._handle, sid)
            session.asserted = [encode_fact(f, sid) for f in facts]
            code, state = _dre.assert_facts(self._handle, "[" + ",".join(session.asserted) + "]")
            if code == _OBSERVED:  # some facts are in, nothing fired: never deleted, never used again
                raise EngineError("identical facts in one evaluation")
            fired = 0
            leeg = False
            try:
                result = _dre.start_action_for_state(self._handle, state)
                message = result[1] if result else None
                if message is None:
                    raise EngineError("no rule fired for the anchor fact")
                seen: set[str] = set()
                while message is not None:
                    if message not in seen:
                        seen.add(message)
                        ((rule_name, matched),) = orjson.loads(message).items()
                        fired += 1
                        dispatch(rule_name, matched, session)
                    message = _dre.complete_and_start_action(self._handle, state)
                leeg = self._retract(session)
            finally:
                if leeg:
                    self._sid = sid
                elif fired:
                    _dre.delete_state(self._handle, sid)
            return fired

    def _retract(self, session: Session) -> bool:
        """Retract every fact of the finished evaluation; True when the session is empty and idle again."""
        code, state = _dre.retract_facts(self._handle, "[" + ",".join(session.asserted) + "]")
        return code == _OK and _dre.start_action_for_state(self._handle, state) is None

    def live_facts(self) -> list[dict[str, Any]]:
        """The facts in this ruleset's live session between evaluations: none (for tests)."""
        with self._lock:
            if self._sid is None:
                return []
            return list(orjson.loads(_dre.get_facts(self._handle, self._sid) or "[]"))

    def new_session(self) -> None:
        """Delete the live session: the next evaluation starts in a new one (for tests that compare)."""
        with self._lock:
            if self._sid is not None:
                _dre.delete_state(self._handle, self._sid)
                self._sid = None


def _mentions_none(body: Any) -> bool:
    if isinstance(body, Mapping):
        return any(k == "$not" or k == "none" or _mentions_none(v) for k, v in body.items())
    if isinstance(body, list | tuple):
        return any(_mentions_none(v) for v in body)
    return False
