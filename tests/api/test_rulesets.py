"""GET /v1/rulesets and GET /v1/rulesets/{naam}/parameters: versions, hashes, the parameter tree."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rules import standaard_engine
from tests.api.helpers import auth, casus, post_advies, velden

HASH = re.compile(r"sha256:[0-9a-f]{64}")
NIVEAUS = ("laag", "midden", "hoog")
VAARDIGHEDEN = ("voldoende", "beperkt", "onvoldoende")
PERCELEN = ("extramuraal", "semimuraal", "intramuraal")
# contract.md, "Scenario": parameter paths that must exist
CONTRACT_PADEN = [
    *(f"pakket_matrix.{n}.{v}" for n in NIVEAUS for v in VAARDIGHEDEN),
    *(f"uren.{p}.{wie}" for p in PERCELEN for wie in ("volwassenen", "kinderen")),
    "vrije_trede.meer_dan_kinderen",
    "intieme_terreur.minimum_pakket",
    "duur.richtlijn_maanden",
    "toegang.minimale_duur_maanden",
]


def get(client: TestClient, path: str, principal: str = "beleidsmaker", **params: Any) -> Any:
    return client.get(path, params=params, headers=auth(principal))


def rulesets(client: TestClient) -> list[dict[str, Any]]:
    response = get(client, "/v1/rulesets")
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def parameters(client: TestClient, **params: Any) -> dict[str, Any]:
    response = get(client, "/v1/rulesets/hg-rotterdam/parameters", **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def lookup(tree: dict[str, Any], pad: str) -> tuple[dict[str, Any], Any]:
    """The parameter that holds a dotted path (the longest listed prefix), and the value at the path."""
    keys = pad.split(".")
    for i in range(len(keys), 0, -1):
        node = tree.get(".".join(keys[:i]))
        if node is not None:
            value = node["waarde"]
            for key in keys[i:]:
                assert isinstance(value, dict) and key in value, pad
                value = value[key]
            return node, value
    raise AssertionError(f"{pad}: no parameter holds this path")


def test_rulesets_lists_hg_rotterdam_with_versions_and_hashes(client: TestClient) -> None:
    [ruleset] = rulesets(client)
    assert ruleset["naam"] == "hg-rotterdam"
    versies = [v["versie"] for v in ruleset["versies"]]
    assert versies == sorted(versies) and "2021-09-01" in versies
    assert versies == [v.isoformat() for v in standaard_engine().tree.versions]
    for versie in ruleset["versies"]:
        assert HASH.fullmatch(versie["hash"]), versie


@pytest.mark.parametrize("peildatum", ["2021-09-01", None])
def test_ruleset_hash_is_the_hash_of_the_advies(client: TestClient, peildatum: str | None) -> None:
    data = casus(peildatum=peildatum) if peildatum else {k: v for k, v in casus().items() if k != "peildatum"}
    advies = post_advies(client, data)
    [ruleset] = rulesets(client)
    hashes = {v["versie"]: v["hash"] for v in ruleset["versies"]}
    assert advies["ruleset"]["naam"] == ruleset["naam"]
    assert hashes[advies["ruleset"]["versie"]] == advies["ruleset"]["hash"]
    assert parameters(client, peildatum=peildatum or dt.date.today().isoformat())["hash"] == advies["ruleset"]["hash"]


def test_parameters_hold_every_contract_path_with_its_source(client: TestClient) -> None:
    body = parameters(client)
    [ruleset] = rulesets(client)
    assert body["naam"] == "hg-rotterdam"
    assert body["versie"] == ruleset["versies"][-1]["versie"]
    assert body["hash"] == ruleset["versies"][-1]["hash"]
    tree = body["parameters"]
    for pad in CONTRACT_PADEN:
        node, value = lookup(tree, pad)
        assert isinstance(node["bron"], str) and node["bron"].strip(), pad
        assert isinstance(node["beleidskeuze"], bool), pad
        assert node["geldig_vanaf"] <= body["versie"], pad
        if pad.startswith("pakket_matrix."):
            assert value in (1, 2, 3), pad
        elif pad.startswith("uren."):
            assert isinstance(value, list) and len(value) == 3, pad
            assert all(v is None or isinstance(v, int | float) for v in value), pad
        else:
            assert isinstance(value, int), pad
    assert lookup(tree, "vrije_trede.meer_dan_kinderen")[1] == 3
    assert lookup(tree, "intieme_terreur.minimum_pakket")[1] == 2
    assert lookup(tree, "duur.richtlijn_maanden")[1] == 12
    assert lookup(tree, "toegang.minimale_duur_maanden")[1] == 12


def test_parameters_on_a_peildatum(client: TestClient) -> None:
    body = parameters(client, peildatum="2021-09-01")
    assert body["versie"] == "2021-09-01"


@pytest.mark.parametrize("peildatum", ["2021-08-31", "1900-01-01"])
def test_parameters_before_the_first_version_is_422(client: TestClient, peildatum: str) -> None:
    response = get(client, "/v1/rulesets/hg-rotterdam/parameters", peildatum=peildatum)
    assert velden(response) == ["peildatum"]
    assert "2021-09-01" in response.json()["fouten"][0]["melding"]


@pytest.mark.parametrize("peildatum", ["gisteren", "2021-13-01", "01-09-2021"])
def test_parameters_with_an_invalid_peildatum_is_422(client: TestClient, peildatum: str) -> None:
    assert velden(get(client, "/v1/rulesets/hg-rotterdam/parameters", peildatum=peildatum)) == ["peildatum"]


@pytest.mark.parametrize("naam", ["hg-amsterdam", "HG-ROTTERDAM", "x" * 300])
def test_unknown_ruleset_is_404(client: TestClient, naam: str) -> None:
    response = get(client, f"/v1/rulesets/{naam}/parameters")
    assert velden(response, 404) == ["naam"]
