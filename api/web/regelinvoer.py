"""The form on the scenario page for rules a scenario adds (`regels_bij`, contract "Rules changed by a scenario").

A beleidsmaker writes each rule as an id (`scenario.…`), one or more conditions (a casus field chosen from a list in
words, a test in words, a value typed in words or as a number) and one or more consequences, a text and a source.
The form turns that into the contract's `regels_bij` entries; the scenario validation (`engine.scenario`) judges
them, and its errors (`regels_bij[0].wanneer.signalen`) are shown at the input they are about (`koppel`). Values
are read in words ("psychische problemen (ggz)", "ja", "hoog") or as the contract's code; a list ("is een van")
has a semicolon between its values, as the parameter lists of the same page.

Rows are added and rules removed by submit buttons (`knop`) that show the form again with everything typed
kept: the page works without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from api.web.getallen import GeenGetal, lees_getal
from engine.advies import ONDERDELEN
from engine.regels_bij import MAATWERK, PADEN, Pad
from engine.taal import invoerveld, invoerwaarde, label

__all__ = ["TOETSEN", "GEVOLGEN", "CASUSVELDEN", "MAATWERK", "ONDERDELEN", "Casusveld", "Voorwaarde", "Gevolg",
           "RegelInvoer", "uit_velden", "uit_data", "naar_data", "pas_aan", "koppel", "woorden"]

TOETSEN: dict[str, str] = {"gelijk": "is", "niet": "is niet", "in": "is een van", "bevat": "bevat",
                           "min": "is minstens", "max": "is hoogstens"}
GEVOLGEN: dict[str, str] = {
    "minimum_pakket": "minimaal pakket", "onderdeel_uit": "onderdeel niet adviseren (met reden)",
    "onderdeel_bij": "onderdeel adviseren", "signalering": "signalering (code en tekst)",
    "vrije_trede": "vrije trede", "maatwerk_bij": "maatwerk adviseren"}
_NAMEN = {  # the casus fields that are not yes/no questions (engine.taal.INVOERVELDEN has those)
    "woonplaats": "woonplaats", "geweld.vormen": "vormen van geweld", "veiligheid.niveau": "veiligheidsrisico",
    "vaardigheden": "vaardigheden", "bestaande_wmo_zorg": "bestaande Wmo-zorg", "signalen": "signalen",
    "inzet.verwachte_duur_maanden": "verwachte duur in maanden", "aantal_kinderen": "aantal kinderen",
    "aantal_volwassenen_geteld": "aantal volwassenen dat in beeld is en meewerkt"}
_JA, _NEE = {"ja", "true", "waar"}, {"nee", "false", "onwaar"}


@dataclass(frozen=True)
class Casusveld:
    """A casus field a condition can test: its contract path, its name in words, its kind and values."""

    pad: str
    naam: str
    soort: Literal["ja/nee", "getal", "keuze", "lijst"]
    waarden: tuple[str, ...] = ()  # the codes of a choice or of a list's elements


_SOORTEN = {"ja_nee": "ja/nee", "getal": "getal", "keuze": "keuze", "lijst": "lijst"}


def _casusveld(pad: str, p: Pad) -> Casusveld:
    naam = invoerveld(pad.rsplit(".", 1)[-1]) if p.soort == "ja_nee" else _NAMEN[pad]
    waarden = tuple(str(w) for w in p.waarden) if p.soort in ("keuze", "lijst") else ()
    return Casusveld(pad, naam, _SOORTEN[p.soort], waarden)  # type: ignore[arg-type]  # the four kinds above


CASUSVELDEN: dict[str, Casusveld] = {pad: _casusveld(pad, p) for pad, p in PADEN.items()}
"""Every casus path a condition may test (the engine's vocabulary, engine.regels_bij.PADEN), in words."""


def woorden(code: str) -> str:
    """A value code in words ('ggz' -> 'psychische problemen (ggz)'; an onderdeel or maatwerk by its label)."""
    return invoerwaarde(code)


class WaardeFout(ValueError):
    """A value the form cannot read: the message says what to type."""


def _code(tekst: str, codes: tuple[str, ...]) -> str:
    schoon = " ".join(tekst.split()).lower()
    for code in codes:
        if schoon in (code, woorden(code).lower(), label(code).lower()):
            return code
    raise WaardeFout(f"onbekende waarde '{tekst.strip()[:60]}'; kies uit: {', '.join(woorden(c) for c in codes)}")


def _enkel(veld: Casusveld, tekst: str) -> Any:
    if veld.soort == "ja/nee":
        if tekst.strip().lower() in _JA | _NEE:
            return tekst.strip().lower() in _JA
        raise WaardeFout("vul ja of nee in")
    if veld.soort == "getal":
        try:
            getal = lees_getal(tekst)
        except GeenGetal:
            getal = None
        if not isinstance(getal, int):
            raise WaardeFout("vul een geheel getal in, bijvoorbeeld 2")
        return getal
    return _code(tekst, veld.waarden)


def lees_voorwaarde(veld: Casusveld, toets: str, tekst: str) -> Any:
    """The contract's value for a condition typed in words: a list for 'is een van' (and for a whole list)."""
    if not tekst.strip():
        raise WaardeFout("vul een waarde in")
    delen = [d for d in (d.strip() for d in tekst.split(";")) if d]
    if toets == "in" or (veld.soort == "lijst" and toets in ("gelijk", "niet")):
        return [_enkel(veld, d) for d in delen]
    if len(delen) > 1:
        raise WaardeFout(f"'{TOETSEN.get(toets, toets)}' vergelijkt met één waarde; kies 'is een van' voor meer")
    return _enkel(veld, tekst)


@dataclass
class Voorwaarde:
    veld: str = ""
    toets: str = ""
    waarde: str = ""

    @property
    def leeg(self) -> bool:
        return not (self.veld or self.waarde.strip())


@dataclass
class Gevolg:
    soort: str = ""
    waarde: str = ""
    toelichting: str = ""  # the reason of onderdeel_uit, the text of a signalering

    @property
    def leeg(self) -> bool:
        return not (self.soort or self.waarde.strip() or self.toelichting.strip())


@dataclass
class RegelInvoer:
    """One added rule as typed."""

    id: str = "scenario."
    tekst: str = ""
    bron: str = ""
    voorwaarden: list[Voorwaarde] = field(default_factory=lambda: [Voorwaarde()])
    gevolgen: list[Gevolg] = field(default_factory=lambda: [Gevolg()])

    @property
    def leeg(self) -> bool:
        return (self.id.strip() in ("", "scenario.") and not self.tekst.strip() and not self.bron.strip()
                and all(v.leeg for v in self.voorwaarden) and all(g.leeg for g in self.gevolgen))


# --- from the form and from a scenario -------------------------------------------------------------------------

MAX_REGELS, MAX_RIJEN = 20, 12  # added rules on one page, conditions or consequences in one rule


def _aantal(velden: Mapping[str, list[str]], naam: str, maximum: int) -> int:
    tekst = (velden.get(naam) or ["0"])[0]
    return min(int(tekst), maximum) if tekst.isdigit() else 0


def uit_velden(velden: Mapping[str, list[str]]) -> list[RegelInvoer]:
    """The added rules as submitted (fields `rb{i}-…`, counts in `rb-aantal`, `rb{i}-w-aantal`, `rb{i}-d-aantal`)."""
    def w(naam: str) -> str:
        return (velden.get(naam) or [""])[0]

    regels = []
    for i in range(1, _aantal(velden, "rb-aantal", MAX_REGELS) + 1):
        r = f"rb{i}"
        regels.append(RegelInvoer(
            id=w(f"{r}-id").strip(), tekst=w(f"{r}-tekst").strip(), bron=w(f"{r}-bron").strip(),
            voorwaarden=[Voorwaarde(w(f"{r}-w{j}-veld"), w(f"{r}-w{j}-toets"), w(f"{r}-w{j}-waarde"))
                         for j in range(1, _aantal(velden, f"{r}-w-aantal", MAX_RIJEN) + 1)],
            gevolgen=[Gevolg(w(f"{r}-d{j}-soort"), w(f"{r}-d{j}-waarde"), w(f"{r}-d{j}-toelichting"))
                      for j in range(1, _aantal(velden, f"{r}-d-aantal", MAX_RIJEN) + 1)]))
    return regels


def _in_woorden(waarde: Any) -> str:
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, list):
        return "; ".join(_in_woorden(w) for w in waarde)
    return woorden(waarde) if isinstance(waarde, str) else str(waarde)


def _gevolgen_uit(soort: str, waarde: Any) -> list[Gevolg]:
    """One row per onderdeel or maatwerk of a list; a signalering with its code (a code, not words) and text."""
    if isinstance(waarde, list):
        return [g for w in waarde for g in _gevolgen_uit(soort, w)]
    if isinstance(waarde, Mapping):
        if soort == "signalering":
            return [Gevolg(soort, str(waarde.get("code", "")), str(waarde.get("tekst", "")))]
        return [Gevolg(soort, _in_woorden(waarde.get("onderdeel", "")), str(waarde.get("reden", "")))]
    return [Gevolg(soort, "" if soort == "vrije_trede" else _in_woorden(waarde))]


def uit_data(regels_bij: object) -> list[RegelInvoer]:
    """A scenario's `regels_bij` as the form shows them (values in words)."""
    regels = []
    for regel in regels_bij if isinstance(regels_bij, list) else []:
        if not isinstance(regel, Mapping):
            continue
        wanneer, dan = regel.get("wanneer"), regel.get("dan")
        voorwaarden = [Voorwaarde(str(pad), str(toets), _in_woorden(w))
                       for pad, toetsen in (wanneer.items() if isinstance(wanneer, Mapping) else ())
                       for toets, w in (toetsen.items() if isinstance(toetsen, Mapping) else ())]
        gevolgen = [g for s, w in (dan.items() if isinstance(dan, Mapping) else ()) for g in _gevolgen_uit(str(s), w)]
        regels.append(RegelInvoer(str(regel.get("id") or ""), str(regel.get("tekst") or ""),
                                  str(regel.get("bron") or ""), voorwaarden or [Voorwaarde()], gevolgen or [Gevolg()]))
    return regels


def pas_aan(regels: list[RegelInvoer], knop: str) -> bool:
    """Apply an editing button (`regel-bij`, `rb{i}-voorwaarde-bij`, `rb{i}-gevolg-bij`, `rb{i}-weg`); whether
    `knop` was one (the page is then shown again, nothing validated or run)."""
    if knop == "regel-bij":
        if len(regels) < MAX_REGELS:
            regels.append(RegelInvoer())
        return True
    gevonden = re.fullmatch(r"rb(\d+)-(voorwaarde-bij|gevolg-bij|weg)", knop)
    if not gevonden:
        return False
    i, actie = int(gevonden.group(1)) - 1, gevonden.group(2)
    if 0 <= i < len(regels):
        if actie == "weg":
            del regels[i]
        elif actie == "voorwaarde-bij" and len(regels[i].voorwaarden) < MAX_RIJEN:
            regels[i].voorwaarden.append(Voorwaarde())
        elif actie == "gevolg-bij" and len(regels[i].gevolgen) < MAX_RIJEN:
            regels[i].gevolgen.append(Gevolg())
    return True


# --- to the contract's regels_bij, and its errors back to the inputs ------------------------------------------

Melder = Callable[[str, str, str], None]  # (field id, label in words, message): Formulier.fout


def _dan(g: Gevolg, plek: str, naam: str, fout: Melder) -> tuple[str, Any] | None:
    try:
        if g.soort == "minimum_pakket":
            try:
                getal: int | float | None = lees_getal(g.waarde)
            except GeenGetal:
                getal = None
            if not isinstance(getal, int):
                raise WaardeFout("vul het pakket in als geheel getal: 1, 2 of 3")
            return g.soort, getal
        if g.soort == "vrije_trede":
            return g.soort, True
        if g.soort in ("onderdeel_uit", "onderdeel_bij"):
            onderdeel = _code(g.waarde, ONDERDELEN) if g.waarde.strip() else None
            if onderdeel is None:
                raise WaardeFout("kies een onderdeel")
            if g.soort == "onderdeel_bij":
                return g.soort, onderdeel
            if not g.toelichting.strip():
                fout(f"{plek}-toelichting", f"{naam}, reden", "geef de reden waarom dit onderdeel niet past")
                return None
            return g.soort, {"onderdeel": onderdeel, "reden": g.toelichting.strip()}
        if g.soort == "maatwerk_bij":
            if not g.waarde.strip():
                raise WaardeFout(f"kies het maatwerk: {', '.join(woorden(c) for c in MAATWERK)}")
            return g.soort, _code(g.waarde, MAATWERK)
        if g.soort == "signalering":
            return g.soort, {"code": g.waarde.strip(), "tekst": g.toelichting.strip()}
    except WaardeFout as exc:
        fout(f"{plek}-waarde", f"{naam}, waarde", str(exc))
        return None
    fout(f"{plek}-soort", f"{naam}, gevolg", "kies een gevolg")
    return None


_MEER = ("onderdeel_uit", "onderdeel_bij", "maatwerk_bij")  # consequences that take a list


def naar_data(regels: list[RegelInvoer], fout: Melder) -> tuple[list[dict[str, Any]], list[int]]:
    """The contract's `regels_bij` (empty rules and rows left out), and for each entry the form's rule number
    (1, 2, ...) it came from; a value that cannot be read is reported at its input and left out."""
    data: list[dict[str, Any]] = []
    herkomst: list[int] = []
    for i, regel in enumerate(regels, start=1):
        if regel.leeg:
            continue
        wanneer: dict[str, dict[str, Any]] = {}
        for j, v in enumerate(regel.voorwaarden, start=1):
            plek, naam = f"rb{i}-w{j}", f"Regel {i}, voorwaarde {j}"
            veld = CASUSVELDEN.get(v.veld)
            if v.leeg:
                continue
            if veld is None:
                fout(f"{plek}-veld", f"{naam}, veld", "kies het casusveld dat de regel toetst")
            elif v.toets not in TOETSEN:
                fout(f"{plek}-toets", f"{naam}, toets", "kies een toets")
            elif v.toets in wanneer.get(v.veld, {}):
                fout(f"{plek}-toets", f"{naam}, toets", "deze toets staat al bij dit veld; combineer de waarden")
            else:
                try:
                    wanneer.setdefault(v.veld, {})[v.toets] = lees_voorwaarde(veld, v.toets, v.waarde)
                except WaardeFout as exc:
                    fout(f"{plek}-waarde", f"{naam}, waarde", str(exc))
        if not wanneer and all(v.leeg for v in regel.voorwaarden):
            fout(f"rb{i}-w1-veld", f"Regel {i}, voorwaarde 1, veld", "geef minstens één voorwaarde: een regel voor "
                 "elk huishouden hoort in de parameters of in de vastgestelde regels, niet in een toegevoegde regel")
        dan: dict[str, Any] = {}
        for j, g in enumerate(regel.gevolgen, start=1):
            gelezen = None if g.leeg else _dan(g, f"rb{i}-d{j}", f"Regel {i}, gevolg {j}", fout)
            if gelezen is None:
                continue
            soort, waarde = gelezen
            if soort in _MEER:
                dan.setdefault(soort, []).append(waarde)
            elif soort in dan:
                fout(f"rb{i}-d{j}-soort", f"Regel {i}, gevolg {j}, gevolg", "dit gevolg staat al in deze regel")
            else:
                dan[soort] = waarde
        data.append({"id": regel.id, "wanneer": wanneer, "dan": dan, "tekst": regel.tekst, "bron": regel.bron})
        herkomst.append(i)
    return data, herkomst


_PLAATS = re.compile(r"regels_bij(?:\[(\d+)\])?(?:\.(\w+))?(?:\.(.+))?")


def koppel(regels: list[RegelInvoer], herkomst: list[int], pad: str, melding: str, fout: Melder) -> None:
    """Show an error of the scenario validation (`regels_bij[0].wanneer.signalen`) at the input it names."""
    gevonden = _PLAATS.fullmatch(pad)
    index = int(gevonden.group(1)) if gevonden and gevonden.group(1) is not None else None
    if gevonden is None or index is None or not 0 <= index < len(herkomst):
        fout("regels_bij", "Regels toevoegen", melding)
        return
    i = herkomst[index]
    regel, deel, rest = regels[i - 1], gevonden.group(2), gevonden.group(3) or ""
    naam = f"Regel {i}"
    if deel in ("id", "tekst", "bron"):
        fout(f"rb{i}-{deel}", f"{naam}, {deel}", melding)
    elif deel == "wanneer":
        veldpad = next((p for p in sorted(CASUSVELDEN, key=len, reverse=True) if rest == p or rest.startswith(f"{p}.")),
                       rest.split(".")[0])
        toets = rest[len(veldpad) + 1:] if rest.startswith(f"{veldpad}.") else ""
        for j, v in enumerate(regel.voorwaarden, start=1):
            if v.veld == veldpad and (not toets or v.toets == toets):
                fout(f"rb{i}-w{j}-waarde", f"{naam}, voorwaarde {j}", melding)
                return
        fout(f"rb{i}-w1-veld", f"{naam}, voorwaarden", melding)
    elif deel == "dan":
        soort = rest.split(".")[0]
        for j, g in enumerate(regel.gevolgen, start=1):
            if g.soort == soort:
                onder = "toelichting" if rest.endswith((".reden", ".tekst")) else "waarde"
                fout(f"rb{i}-d{j}-{onder}", f"{naam}, gevolg {j}", melding)
                return
        fout(f"rb{i}-d1-soort", f"{naam}, gevolgen", melding)
    else:
        fout(f"rb{i}-id", naam, melding)
