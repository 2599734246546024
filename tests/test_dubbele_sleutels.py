"""A key given twice in one JSON object is refused (engine.casus.parse_casus_json); the quick check that lets a
document through without the slow search may only say "no key twice" when that is true."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.casus import _zonder_dubbele_sleutels, dubbele_sleutels, parse_casus_json
from engine.errors import CasusFout

CASUSSEN = Path(__file__).resolve().parents[1] / "casussen"

_tekst = st.text(alphabet=st.sampled_from(['a', 'b', '"', ':', '\\', ' ', 'é', '\n', ',', '{']), max_size=6)
_waarde = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | _tekst,
    lambda kind: st.lists(kind, max_size=3) | st.lists(st.tuples(st.sampled_from(["a", "b", 'c":', "d"]), kind),
                                                       max_size=4).map(lambda paren: ("object", paren)),
    max_leaves=12,
)
_witruimte = st.sampled_from(["", " ", "\n  ", "\t"])


def _schrijf(waarde: object, draw: st.DrawFn) -> str:
    """JSON text with white space chosen anywhere it may go, and keys possibly repeated (pairs, not a dict)."""
    if isinstance(waarde, tuple) and waarde and waarde[0] == "object":
        delen = [f"{draw(_witruimte)}{json.dumps(k)}{draw(_witruimte)}:{draw(_witruimte)}{_schrijf(v, draw)}"
                 for k, v in waarde[1]]
        return "{" + ",".join(delen) + draw(_witruimte) + "}"
    if isinstance(waarde, list):
        return "[" + ",".join(draw(_witruimte) + _schrijf(v, draw) for v in waarde) + "]"
    return json.dumps(waarde, ensure_ascii=draw(st.booleans()))


@st.composite
def documenten(draw: st.DrawFn) -> bytes:
    return _schrijf(draw(_waarde), draw).encode()


@settings(max_examples=3000, deadline=None)
@given(documenten())
def test_the_quick_check_never_lets_a_repeated_key_through(raw: bytes) -> None:
    data = orjson.loads(raw)
    if _zonder_dubbele_sleutels(raw, data):
        assert dubbele_sleutels(raw) == []


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 2}', b'{"a":1,"a":2}', b'{"a" :1, "a":2}', b'{"x": {"a": 1, "a": 1}}',
    b'[{"a": 1}, {"b": 2, "b": 3}]', b'{"a": "\\":", "a": 1}',  # a string holding `":` next to a repeated key
])
def test_a_repeated_key_is_found(raw: bytes) -> None:
    assert not _zonder_dubbele_sleutels(raw, orjson.loads(raw))
    assert dubbele_sleutels(raw)


def test_every_library_casus_takes_the_quick_path() -> None:
    for pad in sorted(CASUSSEN.glob("*.yaml")):
        casus = yaml.safe_load(pad.read_text(encoding="utf-8"))["casus"]
        for raw in (orjson.dumps(casus, default=str), json.dumps(casus, default=str, indent=2).encode()):
            assert _zonder_dubbele_sleutels(raw, orjson.loads(raw)), pad.name


def test_parse_casus_json_still_refuses_a_repeated_key() -> None:
    casus = yaml.safe_load((CASUSSEN / "vj-2020-1.yaml").read_text(encoding="utf-8"))["casus"]
    raw = orjson.dumps(casus, default=str)
    dubbel = raw[:-1] + b',"vaardigheden":"voldoende"}'
    with pytest.raises(CasusFout) as info:
        parse_casus_json(dubbel)
    assert [f.as_dict()["veld"] for f in info.value.fouten] == ["vaardigheden"]
