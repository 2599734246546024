"""Language as a test (issue 10): every sentence a professional reads is Dutch that a spelling checker accepts.

The sentences: `samenvatting`, `uitleg[].tekst` and `uitleg[].conclusie` (the step title),
`signaleringen[].tekst`, `uitgesloten_onderdelen[].reden`, `waarschuwingen[].tekst`,
`resultaatgebieden[].naam` and `alternatieven[].tekst` (fields that are absent are skipped), of the advies
for every casus of the library (`casussen/*.yaml`), of synthetic casussen from the project's generator
(`cli.genereer`) and of random casussen from `tests.strategies` (derandomized: the same ones every run); and the
help text under every field of the form "Advies aanvragen" (`api/web/hulpteksten.yaml`).

Before any check the member ids of the casus are taken out of its sentences: they are the user's pseudonyms
("moeder", "kind_2", "ex-partner"), not our language. Then:

- no internal code: no snake_case token (`pleger_niet_meewerkend`), no dotted field or rule name
  (`veiligheid.niveau`), no plural hack (`volwassene(n)`, `kind(eren)`), no decimal point in a number (Dutch
  writes 0,75; the points of a paragraph reference such as "001 §3.1" and of thousands, 1.250, are fine);
- zero words that Debian's hunspell with the nl_NL dictionary does not know, apart from the reviewed
  domain words in `tests/taal/domeinwoorden.txt`. hunspell is asked once, for all unique words together.

hunspell's nl_NL dictionary does not break words at hyphens ("HG-arrangement" and "Wmo-zorg" are unknown
as a whole). A hyphenated word that hunspell does not know is accepted when Dutch spelling puts a hyphen
there: every part before the last is a number ("24-uurszorg") or an abbreviation or name (written in
capitals, or known to hunspell only with a capital: "HG", "Wmo"), and each part is known. So
"HG-arrangement" passes, while "24-uurs" on its own ("24-uurs ondersteuning", which Dutch writes
"24-uursondersteuning") and an unnecessary hyphen ("kind-gerichte") are reported. A word cut off with a
hyphen ("semi- en intramurale hulp") is accepted when it forms a known word with the end of the word it
shares ("semimurale").

Without hunspell or its nl_NL dictionary the spelling tests skip, unless HG_TEST_TAAL=verplicht (set by
`.ci/run`): then they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from api.web.hulpteksten import hulpteksten
from cli.genereer import synthetische_casussen
from engine.alternatieven import advies_met_alternatieven
from engine.casus import parse_casus
from rules import standaard_engine
from tests.strategies import casussen

ROOT = Path(__file__).resolve().parents[1]
BIBLIOTHEEK = sorted((ROOT / "casussen").glob("*.yaml"))
DOMEINWOORDEN = Path(__file__).resolve().parent / "taal" / "domeinwoorden.txt"
GEGENEREERD = 400  # synthetic casussen from cli.genereer, seed SEED
SEED = 10
WILLEKEURIG = 200  # random casussen from tests.strategies (derandomized)
# Realistic pseudonyms for the random casussen (whose own ids are random text): with a hyphen, an
# underscore, a dot and a digit, as professionals type them.
PSEUDONIEMEN = ("moeder", "vader", "ex-partner", "kind_2", "kind.1", "oma", "zoon", "dochter")

VERPLICHT = os.environ.get("HG_TEST_TAAL") == "verplicht"  # set by .ci/run: never skip there

CODE = re.compile(r"(?<![\w.])[a-z0-9]+_[a-z0-9_]+", re.IGNORECASE)
VELDNAAM = re.compile(r"(?<![\w.])[a-z]{3,}(?:\.[a-z_]{2,})+")  # veiligheid.niveau, pakket.matrix
MEERVOUD = re.compile(r"[^\W\d_]\((?:[^\W\d_]{1,4}|'s)\)")  # volwassene(n), kind(eren), client(s)
PARAGRAAF = re.compile(r"§\s*\d+(?:\.\d+)*")  # 001 §3.1, 003 §1.2.2
GETAL_MET_PUNT = re.compile(r"\d+(?:\.\d+)+(?:,\d+)?")
DUIZENDTALLEN = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.250 and 12.345,50 are Dutch
WOORD = re.compile(r"-?[^\W_]+(?:['’-][^\W_]+)*-?")
VOEGWOORDEN = {"en", "of", "tot", "noch"}


@dataclass(frozen=True)
class Zin:
    tekst: str  # as the professional reads it
    schoon: str  # without the member ids of the casus
    waar: str  # casus and field, for the report
    casus: str | None = None  # the casus itself, for a random one that has no name to find it by

    def melding(self) -> str:
        return f"{self.waar}: {self.tekst!r}" + (f"\n      casus: {self.casus}" if self.casus else "")


# --- the sentences ------------------------------------------------------------------------------------------


def _velden(advies: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, sentence) for every sentence a professional reads; fields not (yet) in the advies are skipped."""
    if isinstance(advies.get("samenvatting"), str):
        yield "samenvatting", advies["samenvatting"]
    lijsten = (("uitleg", ("conclusie", "tekst")), ("signaleringen", ("tekst",)),
               ("uitgesloten_onderdelen", ("reden",)), ("waarschuwingen", ("tekst",)),
               ("resultaatgebieden", ("naam",)), ("alternatieven", ("tekst",)))
    for lijst, sleutels in lijsten:
        for i, item in enumerate(advies.get(lijst) or []):
            for sleutel in sleutels:
                if isinstance(item.get(sleutel), str):
                    yield f"{lijst}[{i}].{sleutel}", item[sleutel]


def _zonder_leden(tekst: str, ids: Iterable[str]) -> str:
    ids = sorted(set(ids), key=len, reverse=True)
    if not ids:
        return tekst
    patroon = r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])"
    return re.sub(patroon, " ", tekst)


def _willekeurige_casussen() -> list[dict[str, Any]]:
    gevonden: list[dict[str, Any]] = []

    @settings(max_examples=WILLEKEURIG, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(casussen())
    def verzamel(casus: dict[str, Any]) -> None:
        for i, lid in enumerate(casus["leden"]):
            lid["id"] = PSEUDONIEMEN[i] if i < len(PSEUDONIEMEN) else f"lid{i + 1}"
        gevonden.append(casus)

    verzamel()
    return gevonden


def _casussen() -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(name, casus, with alternatieven): the library with alternatieven, then the generated and random
    casussen, every third with alternatieven (they cost ~20 evaluations each; their wording is covered
    long before that)."""
    for pad in BIBLIOTHEEK:
        yield f"casussen/{pad.name}", yaml.safe_load(pad.read_text(encoding="utf-8"))["casus"], True
    for i, casus in enumerate(synthetische_casussen(GEGENEREERD, SEED)):
        yield f"hg-advies genereer --seed {SEED}: {casus['casus_id']}", casus, i % 3 == 0
    for i, casus in enumerate(_willekeurige_casussen()):
        yield f"tests.strategies, willekeurige casus {i}", casus, i % 3 == 0


def _hulpteksten() -> Iterator[tuple[str, str]]:
    """(where, text) for the help under every field of the form "Advies aanvragen"."""
    teksten = hulpteksten()
    for groep, velden in (("velden", teksten.velden), ("gezinslid", teksten.gezinslid)):
        for veld, hulp in velden.items():
            yield f"api/web/hulpteksten.yaml, {groep}.{veld}", hulp.tekst


@pytest.fixture(scope="module")
def zinnen() -> list[Zin]:
    """Every distinct sentence (after taking out member ids), with the first place it occurs; then the help texts
    of the form (they name no member, so nothing is taken out)."""
    engine = standaard_engine()
    gezien: dict[str, Zin] = {}
    for naam, casus, alternatieven in _casussen():
        advies = advies_met_alternatieven(engine, parse_casus(casus), alternatieven_erbij=alternatieven)
        ids = [lid["id"] for lid in casus["leden"]]
        invoer = json.dumps(casus, ensure_ascii=False) if naam.startswith("tests.strategies") else None
        for veld, tekst in _velden(advies):
            schoon = _zonder_leden(tekst, ids)
            gezien.setdefault(schoon, Zin(tekst, schoon, f"{naam}, {veld}", invoer))
    assert len(gezien) > 100, "too few sentences: did the advies fields change name?"
    hulp = list(_hulpteksten())
    assert len(hulp) > 20, "too few help texts: is api/web/hulpteksten.yaml read?"
    for waar, tekst in hulp:
        gezien.setdefault(tekst, Zin(tekst, tekst, waar))
    return list(gezien.values())


def _rapport(titel: str, vondsten: dict[str, Zin], aantallen: dict[str, int]) -> str:
    regels = [f"{titel} ({len(vondsten)}):"]
    for woord in sorted(vondsten, key=str.lower):
        aantal = f"{aantallen[woord]} zinnen" if aantallen[woord] > 1 else "1 zin"
        regels.append(f"  {woord!r} (in {aantal}), bijvoorbeeld {vondsten[woord].melding()}")
    return "\n".join(regels)


def _vind(zinnen: list[Zin], vinder: Callable[[str], Iterable[str]]) -> tuple[dict[str, Zin], dict[str, int]]:
    """What `vinder` finds in the sentences (ids taken out): each finding with its first sentence and count."""
    vondsten: dict[str, Zin] = {}
    aantallen: dict[str, int] = {}
    for zin in zinnen:
        for treffer in set(vinder(zin.schoon)):
            vondsten.setdefault(treffer, zin)
            aantallen[treffer] = aantallen.get(treffer, 0) + 1
    return vondsten, aantallen


def _code(tekst: str) -> list[str]:
    return CODE.findall(tekst) + VELDNAAM.findall(PARAGRAAF.sub(" ", tekst))


def _meervouden(tekst: str) -> list[str]:
    return MEERVOUD.findall(tekst)


def _decimale_punten(tekst: str) -> list[str]:
    getallen = GETAL_MET_PUNT.findall(PARAGRAAF.sub(" ", tekst))
    return [g for g in getallen if not DUIZENDTALLEN.fullmatch(g)]


# --- no code ------------------------------------------------------------------------------------------------


def test_geen_interne_code(zinnen: list[Zin]) -> None:
    vondsten, aantallen = _vind(zinnen, _code)
    assert not vondsten, _rapport("stukken interne code in zinnen of staptitels", vondsten, aantallen)


def test_geen_meervoud_tussen_haakjes(zinnen: list[Zin]) -> None:
    vondsten, aantallen = _vind(zinnen, _meervouden)
    assert not vondsten, _rapport("meervouden tussen haakjes (schrijf enkelvoud of meervoud)", vondsten, aantallen)


def test_geen_decimale_punt(zinnen: list[Zin]) -> None:
    vondsten, aantallen = _vind(zinnen, _decimale_punten)
    assert not vondsten, _rapport("getallen met een decimale punt (Nederlands: komma)", vondsten, aantallen)


# --- spelling -----------------------------------------------------------------------------------------------


def _hunspell(woorden: Iterable[str]) -> set[str]:
    """The words hunspell (nl_NL) does not know: one run for all of them, one word per line."""
    woorden = sorted(set(woorden))
    proces = subprocess.run(["hunspell", "-i", "utf-8", "-d", "nl_NL", "-L"], input="\n".join(woorden) + "\n",
                            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert proces.returncode == 0, f"hunspell failed ({proces.returncode}): {proces.stderr.strip()}"
    return set(proces.stdout.splitlines())


@pytest.fixture(scope="module")
def hunspell_nl() -> None:
    """hunspell with the nl_NL dictionary, or skip (fail under HG_TEST_TAAL=verplicht)."""
    if shutil.which("hunspell") is None:
        (pytest.fail if VERPLICHT else pytest.skip)("spelling test: hunspell is missing (apt-get install hunspell)")
    proef = subprocess.run(["hunspell", "-i", "utf-8", "-d", "nl_NL", "-L"], input="huis\nxqzvwk\n",
                           capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    if proef.returncode != 0 or proef.stdout.split() != ["xqzvwk"]:
        (pytest.fail if VERPLICHT else pytest.skip)(
            f"spelling test: hunspell has no usable nl_NL dictionary (apt-get install hunspell-nl): "
            f"{proef.stderr.strip() or proef.stdout.strip()}")


def domeinwoorden() -> set[str]:
    regels = DOMEINWOORDEN.read_text(encoding="utf-8").splitlines()
    return {r.strip() for r in regels if r.strip() and not r.lstrip().startswith("#")}


def _getal(woord: str) -> bool:
    return all(deel.isdigit() for deel in re.split(r"['’-]", woord.strip("-")))


class Spelling:
    """Which words of a sentence Dutch accepts: hunspell's answer, the domain words, and the hyphen rules."""

    def __init__(self, domein: set[str]) -> None:
        self.domein = domein
        self.onbekend: set[str] | None = None  # hunspell's answer, once asked
        self.gevraagd: set[str] = set()

    def _kent(self, woord: str) -> bool:
        woord = woord.replace("’", "'")
        if woord in self.domein or (woord[:1].isupper() and woord[:1].lower() + woord[1:] in self.domein):
            return True
        if self.onbekend is None:  # first pass: only collect what to ask
            self.gevraagd.add(woord)
            return False
        assert woord in self.gevraagd, f"hunspell was not asked about {woord!r}"
        return woord not in self.onbekend

    def _afkorting_of_naam(self, deel: str) -> bool:
        """HG, GGZ, FACT, Wmo, Rotterdam: a part that may precede a hyphen."""
        hoofdletters = len(deel) >= 2 and deel.isupper()
        naam = deel[:1].isupper() and not self._kent(deel.lower())
        return (hoofdletters or naam) and self._kent(deel)

    def _woord(self, woord: str) -> bool:
        """Every lookup below is made in both passes, so the first pass collects everything the second needs."""
        geheel = self._kent(woord)
        delen = woord.split("-")
        if len(delen) == 1:
            return geheel
        voor = [_getal(d) or self._afkorting_of_naam(d) for d in delen[:-1]]
        laatste = _getal(delen[-1]) or self._kent(delen[-1])
        return geheel or (all(voor) and laatste)

    def _weggelaten(self, woord: str, ander: str | None) -> bool:
        """'semi-' in 'semi- en intramurale', '-bescherming' in 'jeugdhulp en -bescherming'."""
        kern = woord.strip("-")
        kandidaten: list[str] = []
        if ander:
            if woord.endswith("-"):
                kandidaten = [kern + ander[i:] for i in range(1, len(ander) - 2)]
            else:
                kandidaten = [ander[:i] + kern for i in range(3, len(ander))]
        antwoorden = [self._kent(k) for k in kandidaten]
        return _getal(kern) or self._afkorting_of_naam(kern) or any(antwoorden)

    def aanvaard(self, tekst: str) -> Iterator[tuple[str, bool]]:
        """(word, accepted) for every word of a sentence (numbers left out)."""
        treffers = list(WOORD.finditer(tekst))
        woorden = [m.group(0) for m in treffers]
        for i, treffer in enumerate(treffers):
            woord = woorden[i]
            if _getal(woord):
                continue
            if woord.strip("-") != woord:
                stap = 1 if woord.endswith("-") else -1
                j = i + stap
                while 0 <= j < len(woorden) and (woorden[j] in VOEGWOORDEN or woorden[j].endswith("-")):
                    j += stap
                ander = woorden[j].strip("-") if 0 <= j < len(woorden) else None
                yield woord, self._weggelaten(woord, ander)
                continue
            goed = self._woord(woord)
            if treffer.end() < len(tekst) and tekst[treffer.end()] == ".":  # bijv., o.a.
                goed = self._kent(woord + ".") or goed
            yield woord, goed


def _zonder_code(tekst: str) -> str:
    """Code is reported by test_geen_interne_code; its pieces ('zvw' of 'ggz_via_zvw') are no words to spell."""
    return VELDNAAM.sub(" ", CODE.sub(" ", PARAGRAAF.sub(" ", tekst)))


def _onbekend(spelling: Spelling, teksten: list[str]) -> Callable[[str], list[str]]:
    """Ask hunspell once about every word of `teksten`; then a finder of the words Dutch does not accept."""
    for tekst in teksten:
        for _ in spelling.aanvaard(_zonder_code(tekst)):
            pass
    spelling.onbekend = _hunspell(spelling.gevraagd)
    return lambda tekst: [w for w, goed in spelling.aanvaard(_zonder_code(tekst)) if not goed]


def test_elk_woord_is_nederlands(zinnen: list[Zin], hunspell_nl: None) -> None:
    onbekend = _onbekend(Spelling(domeinwoorden()), [zin.schoon for zin in zinnen])
    vondsten, aantallen = _vind(zinnen, onbekend)
    assert not vondsten, _rapport(
        "woorden die hunspell (nl_NL) niet kent; verbeter de zin, of voeg een echt Nederlands domeinwoord toe "
        f"aan {DOMEINWOORDEN.relative_to(ROOT)}", vondsten, aantallen)


def test_domeinwoorden_zijn_nodig_en_in_gebruik(zinnen: list[Zin], hunspell_nl: None) -> None:
    """The list stays short: no word the dictionary already knows, no word that no sentence uses."""
    domein = domeinwoorden()
    assert domein, f"{DOMEINWOORDEN} is empty"
    overbodig = sorted(domein - _hunspell(domein))
    gebruikt = {w.replace("’", "'") for zin in zinnen for w in WOORD.findall(_zonder_code(zin.schoon))}
    gebruikt |= {deel for w in gebruikt for deel in w.split("-")}
    ongebruikt = sorted(w for w in domein if w not in gebruikt and w[:1].upper() + w[1:] not in gebruikt)
    assert not overbodig, f"hunspell kent deze domeinwoorden al, haal ze uit de lijst: {overbodig}"
    assert not ongebruikt, f"geen enkele zin gebruikt deze domeinwoorden, haal ze uit de lijst: {ongebruikt}"


def test_de_controle_zelf_vindt_de_bekende_fouten(hunspell_nl: None) -> None:
    """The checks catch the errors issue 10 found, and let correct Dutch with ids, refs and hyphens pass."""
    ids = ["kind_2", "ex-partner", "kind.1", "zoon2"]
    goed = [
        "Een HG-arrangement naast bestaande Wmo-zorg (001 §3.1, 002 §1.2.2), bijv. voor ex-partner.",
        "Semi- en intramurale hulp: 0,75 uur per week voor kind_2 en 1.250 euro; het FACT-team ziet de cliënt.",
        "Geen 24-uursondersteuning nodig, wel voor kind.1 en zoon2; het veiligheidsrisico is hoog.",
    ]
    fout = {
        "Bij intramuraale ondersteuning trede 2.": ["intramuraale"],
        "De client krijgt 24-uurs ondersteuning en kind-gerichte hulp.": ["client", "24-uurs", "kind-gerichte"],
    }
    schoon = [_zonder_leden(z, ids) for z in [*goed, *fout]]
    onbekend = _onbekend(Spelling({"24-uursondersteuning", "FACT"}), schoon)
    for tekst, origineel in zip(schoon, [*goed, *fout], strict=True):
        assert onbekend(tekst) == fout.get(origineel, []), origineel
        assert not _code(tekst) and not _meervouden(tekst) and not _decimale_punten(tekst), origineel
    assert _code("signalering pleger_niet_meewerkend, omdat veiligheid.niveau hoog is, bijv. o.a.") == [
        "pleger_niet_meewerkend", "veiligheid.niveau"]
    assert _meervouden("1 volwassene(n), alle 1 kind(eren), een HG-arrangement (semimuraal)") == ["e(n)", "d(eren)"]
    assert _decimale_punten("0.75 uur, 001 §3.1, 1.250 euro, 12.345,50 euro") == ["0.75"]


def test_a_raised_pakket_names_why_in_a_sentence_that_reads_aloud() -> None:
    """eigen-06: pakket 1 by the matrix, raised to 2 because intramurale ondersteuning has no pakket 1."""
    data = yaml.safe_load((Path(__file__).parents[1] / "casussen" / "eigen-06.yaml").read_text(encoding="utf-8"))
    samenvatting = standaard_engine().advies(parse_casus(data["casus"]))["samenvatting"]
    assert ("pakket 2, omdat het veiligheidsrisico verhoogd is en de vaardigheden voldoende zijn (pakket 1, verhoogd "
            "vanwege het ontbreken van pakket 1 bij intramurale ondersteuning)") in samenvatting
