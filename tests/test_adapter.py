"""Every crash path and silent wrong answer of durable-rules 2.0.28 is designed out; each proven here."""

from __future__ import annotations

import copy
import itertools
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from engine.casus import parse_casus
from engine.dsl import CompileError, F, P, fact
from engine.durable_adapter import DurableRuleset, EngineError
from engine.facts import FactError, encode_fact, encode_value
from rules import standaard_engine

BASIS: dict[str, Any] = {
    "casus_id": "ADAPTER-1",
    "peildatum": "2021-09-01",
    "leden": [
        {"id": "moeder", "leeftijd": 36, "rollen": ["slachtoffer"]},
        {"id": "vader", "leeftijd": 38, "rollen": ["pleger"], "meewerkend": False},
        {"id": "zoon", "leeftijd": 6, "rollen": ["getuige"]},
    ],
    "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "intieme_terreur": True},
    "veiligheid": {"niveau": "hoog"},
    "vaardigheden": "beperkt",
    "inzet": {"specialistisch": True},
}
_names = itertools.count()


def _advies(raw: dict[str, Any]) -> dict[str, Any]:
    return standaard_engine().advies(parse_casus(raw))


def _ruleset(definition: dict[str, Any], anchor: str = "anchor") -> DurableRuleset:
    return DurableRuleset(f"test-adapter-{next(_names)}", definition, anchor=anchor)


ANCHOR = {"anchor": {"all": [{"m": {"t": "casus"}}], "pri": 1}}


def _variants() -> list[dict[str, Any]]:
    out = []
    for i, (niveau, vaardigheden, terreur, zelfstandig) in enumerate(
        itertools.product(["laag", "midden", "hoog"], ["voldoende", "beperkt", "onvoldoende"], [True, False],
                          [True, False])
    ):
        raw = copy.deepcopy(BASIS)
        raw["casus_id"] = f"V-{i}"
        raw["veiligheid"]["niveau"] = niveau
        raw["vaardigheden"] = vaardigheden
        raw["geweld"]["intieme_terreur"] = terreur
        raw["woonsituatie"] = {"zelfstandig_wonen_veilig": zelfstandig}
        out.append(raw)
    return out


def test_concurrent_evaluations_on_threads_match_sequential() -> None:
    """The stock host segfaulted in 4 of 6 runs with 4 threads; the adapter runs the chain itself."""
    variants = _variants()
    expected = [_advies(v) for v in variants]
    work = [variants[i % len(variants)] for i in range(2000)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(_advies, work))
    assert all(g == expected[i % len(variants)] for i, g in enumerate(got))


def test_more_than_1024_evaluations_in_a_row() -> None:
    """One live session per ruleset, emptied after each evaluation: the 1024-live-session limit is never
    reached."""
    raw = copy.deepcopy(BASIS)
    first = _advies(raw)
    for _ in range(2500):
        assert _advies(raw)["budget"] == first["budget"]


def test_casus_on_which_few_rules_fire_can_be_repeated() -> None:
    """A session in which nothing fired must never be deleted: the anchor rule always fires."""
    raw = {
        "casus_id": "WEINIG",
        "peildatum": "2021-09-01",
        "leden": [{"id": "x", "leeftijd": 40}],
        "geweld": {"binnen_huiselijke_kring": False, "structureel": False},
        "veiligheid": {"niveau": "laag"},
        "vaardigheden": "voldoende",
    }
    for _ in range(1500):
        advies = _advies(raw)
    assert advies["route"] == "buiten_scope"
    assert [u["regel"] for u in advies["uitleg"]] == [
        "scope.buiten_huiselijke_kring", "instantie.wijkteam", "lid.volwassene_geteld", "huishouden.samenstelling"]


def test_exceptions_in_actions_propagate_and_free_the_session() -> None:
    """durable's host swallows action errors into the state; the adapter raises and deletes the session."""
    rs = _ruleset(ANCHOR)

    def boom(rule: str, matched: dict[str, Any], session: Any) -> None:
        raise ValueError("boom")

    for _ in range(1100):
        with pytest.raises(ValueError, match="boom"):
            rs.run([{"t": "casus", "x": 1}], boom)
    fired: list[str] = []
    assert rs.run([{"t": "casus", "x": 1}], lambda r, m, s: fired.append(r)) == 1


def test_the_session_is_emptied_and_reused_after_each_evaluation() -> None:
    engine = standaard_engine()
    casus = parse_casus(copy.deepcopy(BASIS))
    durable = engine.ruleset(casus.peildatum).durable
    engine.advies(casus)
    sid = durable._sid
    for _ in range(3):
        engine.advies(casus)
        assert durable._sid == sid and sid is not None  # the same session, not a new one per evaluation
        assert durable.live_facts() == []  # every fact retracted, the derived ones included


def test_a_reused_session_gives_what_a_new_one_gives() -> None:
    """Whatever ran in the session before, an evaluation in it equals one in a session of its own."""
    engine = standaard_engine()
    casussen = [parse_casus(v) for v in _variants()]
    durable = engine.ruleset(casussen[0].peildatum).durable
    apart = []
    for casus in casussen:
        durable.new_session()
        apart.append(engine.advies(casus))
    for volgorde in (casussen, casussen[::-1], casussen[::3] + casussen[1::3] + casussen[2::3]):
        for casus in volgorde:
            assert engine.advies(casus) == apart[casussen.index(casus)]


def test_after_an_error_the_next_evaluation_has_a_new_session() -> None:
    rs = _ruleset({**ANCHOR, "d": {"all": [{"m": {"t": "afgeleid"}}], "pri": 2}})

    def afleiden(rule: str, matched: dict[str, Any], session: Any) -> None:
        if rule == "anchor":
            session.assert_fact({"t": "afgeleid", "n": matched["m"]["x"]})

    assert rs.run([{"t": "casus", "x": 1}], afleiden) == 2
    sid = rs._sid
    with pytest.raises(ValueError, match="boom"):
        rs.run([{"t": "casus", "x": 2}], lambda r, m, s: (_ for _ in ()).throw(ValueError("boom")))
    assert rs._sid is None  # deleted, not given back with facts in it
    fired: list[str] = []
    assert rs.run([{"t": "casus", "x": 1}], lambda r, m, s: (fired.append(r), afleiden(r, m, s))) == 2
    assert fired == ["anchor", "d"] and rs._sid not in (None, sid) and rs.live_facts() == []


def test_anchor_rule_is_required_and_must_be_unconditional() -> None:
    with pytest.raises(EngineError, match="anchor"):
        _ruleset({"r": {"all": [{"m": {"t": "casus"}}]}}, anchor="anchor")
    with pytest.raises(EngineError, match="without conditions"):
        _ruleset({"anchor": {"all": [{"m": {"$and": [{"t": "casus"}, {"x": 1}]}}]}})
    rs = _ruleset(ANCHOR)
    with pytest.raises(EngineError, match="first fact"):
        rs.run([{"t": "lid", "lid": "a"}], lambda r, m, s: None)


def test_none_is_refused() -> None:
    """A queued none() activation is not cancelled when the blocking fact arrives later in the run."""
    definition = {**ANCHOR, "r": {"all": [{"m": {"t": "casus"}}, {"$not": {"t": "blok"}}]}}
    with pytest.raises(EngineError, match="none"):
        _ruleset(definition)


def test_or_with_several_true_branches_fires_once() -> None:
    """durable activates a rule once per matching $or branch; the adapter runs each activation once."""
    definition = {
        **ANCHOR,
        "of": {"all": [{"m": {"$and": [{"t": "casus"}, {"$or": [{"a": True}, {"b": True}]}]}}], "pri": 2},
    }
    rs = _ruleset(definition)
    fired: list[str] = []
    rs.run([{"t": "casus", "a": True, "b": True}], lambda r, m, s: fired.append(r))
    assert fired == ["anchor", "of"]


def test_identical_fact_twice_raises_instead_of_being_dropped() -> None:
    rs = _ruleset({**ANCHOR, "d": {"all": [{"m": {"t": "afgeleid"}}], "pri": 2}})

    def twice(rule: str, matched: dict[str, Any], session: Any) -> None:
        if rule == "anchor":
            session.assert_fact({"t": "afgeleid", "n": 1})
            session.assert_fact({"t": "afgeleid", "n": 1})

    with pytest.raises(EngineError, match="twice"):
        rs.run([{"t": "casus"}], twice)


def test_member_ids_never_collide_with_fact_identity() -> None:
    """A field named `id` is durable's fact identity: two members would collapse into one."""
    with pytest.raises(FactError, match="reserved"):
        encode_fact({"t": "lid", "id": "a"}, "s")
    with pytest.raises(FactError, match="reserved"):
        encode_fact({"t": "lid", "sid": "a"}, "s")
    raw = copy.deepcopy(BASIS)
    raw["leden"] = [
        {"id": "id", "leeftijd": 30, "rollen": ["slachtoffer"]},
        {"id": "sid", "leeftijd": 30, "rollen": ["slachtoffer"]},
    ]
    advies = _advies(raw)
    assert [v["lid"] for v in advies["budget"]["volwassenen"]] == ["id", "sid"]


@pytest.mark.parametrize("value,text", [(1e-05, "0.00001"), (1e-20, "0.00000000000000000001"), (0.75, "0.75"),
                                        (3.0, "3.0"), (-2.5e-07, "-0.00000025")])
def test_floats_are_written_without_exponent(value: float, text: str) -> None:
    """The C JSON parser crashes on floats printed in exponent form (1e-05, 1e+16)."""
    assert encode_value(value) == text


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e16, 2**60, [1], {"a": 1}, object()])
def test_values_the_engine_must_not_see_are_refused(value: Any) -> None:
    with pytest.raises(FactError):
        encode_fact({"t": "x", "v": value}, "s")


def test_tiny_float_parameter_flows_through_the_engine() -> None:
    """A scenario may set hours to 1e-05; the engine sees 0.00001 and the advies carries the value."""
    eng = standaard_engine()
    casus = parse_casus(BASIS)
    rs = eng.ruleset(casus.peildatum, overrides={"uren.extramuraal.volwassenen": [1e-05, 1e-05, 1e-05]})
    advies = eng.advies(casus, rs)
    assert advies["budget"]["volwassenen"] == [{"lid": "moeder", "uur_per_week": 1e-05}]
    rs_fact = DurableRuleset(f"test-adapter-{next(_names)}", {**ANCHOR, "f": {"all": [{"m": {"$and": [
        {"t": "getal"}, {"$gt": {"v": 0}}]}}], "pri": 2}}, anchor="anchor")
    seen: list[Any] = []

    def on(rule: str, matched: dict[str, Any], session: Any) -> None:
        if rule == "anchor":
            session.assert_fact({"t": "getal", "v": 1e-05})
        else:
            seen.append(matched["m"]["v"])

    rs_fact.run([{"t": "casus"}], on)
    assert seen == [1e-05]


def test_large_facts_are_refused_before_the_engine() -> None:
    """A fact with more than ~252 properties segfaults the C engine."""
    with pytest.raises(FactError, match="properties"):
        encode_fact({f"f{i}": i for i in range(260)}, "s")


def test_conditions_have_no_arithmetic_and_check_fields_and_types() -> None:
    """No division in conditions (SIGFPE); misspelt fields and mixed types are compile errors."""
    schemas = {"lid": {"t": str, "leeftijd": int, "pleger": bool}}
    assert not hasattr(F.leeftijd, "__truediv__")
    with pytest.raises(CompileError, match="geen veld 'leeftjid'"):
        fact("lid", F.leeftjid > 3).compile(schemas, lambda p: 1)
    with pytest.raises(CompileError, match="vergeleken"):
        fact("lid", F.leeftijd > "17").compile(schemas, lambda p: 1)
    with pytest.raises(CompileError, match="vergeleken"):
        fact("lid", F.pleger == 1).compile(schemas, lambda p: 1)
    with pytest.raises(CompileError, match="vergeleken"):
        fact("lid", F.leeftijd < P("x")).compile(schemas, lambda p: "18")


def test_negation_follows_de_morgan() -> None:
    schemas = {"c": {"t": str, "a": int, "b": bool}}
    cond = ~((F.a >= 12) | (F.b == True))  # noqa: E712
    assert fact("c", cond).compile(schemas, lambda p: 0) == {
        "$and": [{"t": "c"}, {"$and": [{"$lt": {"a": 12}}, {"$neq": {"b": True}}]}]
    }


def test_no_background_threads_and_no_durable_host() -> None:
    """durable's Host starts timer threads that segfault under concurrency; it is never imported."""
    before = threading.active_count()
    _advies(BASIS)
    assert threading.active_count() == before
    code = (
        "import sys; from rules import standaard_engine; from engine.casus import parse_casus; "
        "import tests.test_adapter as t; standaard_engine().advies(parse_casus(t.BASIS)); "
        "bad = [m for m in ('durable', 'durable.engine', 'durable.lang', 'fastapi', 'sqlmodel', 'sqlalchemy') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruleset_name_cannot_be_registered_twice() -> None:
    name = f"test-adapter-{next(_names)}"
    DurableRuleset(name, ANCHOR, anchor="anchor")
    with pytest.raises(EngineError, match="already registered"):
        DurableRuleset(name, ANCHOR, anchor="anchor")


def test_concurrent_first_use_compiles_a_ruleset_once() -> None:
    """Concurrent first requests for the same ruleset must not register it twice (found under load)."""
    eng = standaard_engine()
    casus = parse_casus(BASIS)
    barrier = threading.Barrier(8)

    def first_use(_: int) -> str:
        barrier.wait()
        return eng.ruleset(casus.peildatum, overrides={"duur.richtlijn_maanden": 97}).hash

    with ThreadPoolExecutor(max_workers=8) as pool:
        hashes = set(pool.map(first_use, range(8)))
    assert len(hashes) == 1
