"""Validating a scenario's `regels_bij` (`engine.scenario.scenario_uit`): every problem named by its place.

Places are `regels_bij[i]`, `regels_bij[i].id`, `regels_bij[i].wanneer.<pad>` (an unknown path, test or value
of that path) and `regels_bij[i].dan.<gevolg>`; messages are Dutch and never echo free text. Values are checked
against the casus model (`engine.casus`) and the advies' vocabulary (`engine.advies.ONDERDELEN`, the contract's
maatwerk resultaatgebieden, pakket 1-3). `tekst`, `bron` and every `reden` or signal text are screened for
personal data like the scenario's other texts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.advies import ONDERDELEN
from engine.errors import Fout
from engine.persoonsgegevens import SOORTEN, in_id, in_tekst
from engine.regels_bij import GEVOLGEN, MAATWERK, PADEN, TOETSEN, Gevolgen, Pad, RegelBij

__all__ = ["lees_regels_bij"]

_SLEUTELS = ("id", "wanneer", "dan", "tekst", "bron")
_ID = re.compile(r"scenario\.[a-z0-9_]+(?:\.[a-z0-9_]+)*", re.ASCII)
_CODE = re.compile(r"[a-z][a-z0-9_]{1,63}", re.ASCII)
_MAX_TEKST = 600
_MAX_REDEN = 120
_NIET_UIT = {
    "casusregie": "casusregie hoort altijd bij het arrangement: één partij houdt in de gaten of het veilig blijft "
                  "(000 Eisen 2)",
    "specialistische_individuele_hulp": "specialistische individuele hulp komt alleen waar een systeemaanpak niet "
                                        "mogelijk is, en dan is die hulp nodig (000 Eisen 9)",
}
_TOETSEN_PER_SOORT = {
    "keuze": ("gelijk", "niet", "in"),
    "ja_nee": ("gelijk", "niet"),
    "getal": ("gelijk", "niet", "in", "min", "max"),
    "lijst": ("bevat", "niet", "in", "gelijk"),
}
_PERSOON = ("lijkt {soort} te bevatten; schrijf dit zonder persoonsgegevens (geen naam, BSN, adres, geboortedatum, "
            "telefoonnummer of e-mailadres)")


def _suggestie(woord: str, mogelijk: Iterable[str]) -> str:
    close = difflib.get_close_matches(woord, list(mogelijk), n=1, cutoff=0.75)
    return f"; bedoelt u '{close[0]}'?" if close else ""


def _lijst(waarden: Iterable[Any]) -> str:
    return ", ".join(str(w).lower() if isinstance(w, bool) else str(w) for w in waarden)


def lees_regels_bij(value: object, fouten: list[Fout]) -> tuple[RegelBij, ...]:
    """The validated rules; every problem is appended to `fouten` (then the result is incomplete)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        fouten.append(Fout("regels_bij", "moet een lijst van regels zijn, elk met id, wanneer, dan, tekst en bron"))
        return ()
    regels: list[RegelBij] = []
    gezien: dict[str, int] = {}
    for i, item in enumerate(value):
        plek = f"regels_bij[{i}]"
        if not isinstance(item, Mapping):
            fouten.append(Fout(plek, "moet een object zijn met id, wanneer, dan, tekst en bron"))
            continue
        aantal = len(fouten)
        for key in item:
            if key not in _SLEUTELS:
                fouten.append(Fout(f"{plek}.{key}", "onbekend veld; een regel heeft id, wanneer, dan, tekst en bron"
                                                    f"{_suggestie(str(key), _SLEUTELS)}"))
        regel_id = _id(item.get("id"), plek, gezien, fouten)
        if regel_id:
            gezien.setdefault(regel_id, i)
        wanneer = _wanneer(item.get("wanneer"), f"{plek}.wanneer", fouten)
        dan = _dan(item.get("dan"), f"{plek}.dan", fouten)
        tekst = _tekst(item.get("tekst"), f"{plek}.tekst", fouten, _MAX_TEKST, "de uitleg van de regel voor de "
                       "professional, bijvoorbeeld 'Bij ggz-problematiek minimaal pakket 3.'")
        bron = _tekst(item.get("bron"), f"{plek}.bron", fouten, _MAX_REDEN, "de bron van de regel, bijvoorbeeld "
                      "'003 §3.4' of een beleidsbesluit")
        if len(fouten) == aantal and dan is not None:
            regels.append(RegelBij(regel_id, wanneer, dan, tekst, bron))
    return tuple(regels)


def _id(value: object, plek: str, gezien: Mapping[str, int], fouten: list[Fout]) -> str:
    veld = f"{plek}.id"
    if value is None or value == "":
        fouten.append(Fout(veld, "verplicht veld ontbreekt: geef de regel een id, bijvoorbeeld "
                                 "'scenario.ggz_zwaarder'"))
    elif not isinstance(value, str) or len(value) > 64 or not _ID.fullmatch(value):
        fouten.append(Fout(veld, "ongeldige id: begin met 'scenario.' en gebruik daarna kleine letters, cijfers, "
                                 "liggend streepje en punt (hoogstens 64 tekens), bijvoorbeeld "
                                 "'scenario.ggz_zwaarder'"))
    elif (soort := in_id(value)) is not None:
        fouten.append(Fout(veld, f"lijkt {SOORTEN[soort]} te bevatten; kies een id zonder persoonsgegevens"))
    elif value in gezien:
        fouten.append(Fout(veld, f"id '{value}' komt al voor in regels_bij[{gezien[value]}]; geef elke regel een "
                                 "eigen id"))
    else:
        return value
    return ""


def _tekst(value: object, veld: str, fouten: list[Fout], maximum: int, uitleg: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        fouten.append(Fout(veld, f"verplicht veld ontbreekt: {uitleg}"))
    elif not isinstance(value, str):
        fouten.append(Fout(veld, "moet tekst zijn"))
    elif len(value) > maximum:
        fouten.append(Fout(veld, f"te lang: hoogstens {maximum} tekens"))
    elif (soort := in_tekst(value)) is not None:
        fouten.append(Fout(veld, _PERSOON.format(soort=SOORTEN[soort])))
    else:
        return " ".join(value.split())
    return ""


# --------------------------------------------------------------------------- wanneer


def _wanneer(value: object, plek: str, fouten: list[Fout]) -> tuple[tuple[str, str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        fouten.append(Fout(plek, "moet een object zijn: casusveld -> toetsen, bijvoorbeeld "
                                 "{\"signalen\": {\"bevat\": \"ggz\"}}"))
        return ()
    toetsen: list[tuple[str, str, Any]] = []
    for pad, tests in value.items():
        veld = f"{plek}.{pad}"
        p = PADEN.get(pad) if isinstance(pad, str) else None
        if p is None:
            fouten.append(Fout(veld, _onbekend_pad(str(pad))))
            continue
        if not isinstance(tests, Mapping) or not tests:
            mogelijk = _lijst(_TOETSEN_PER_SOORT[p.soort])
            fouten.append(Fout(veld, f"moet een object met een of meer toetsen zijn ({mogelijk}), bijvoorbeeld "
                                     "{\"gelijk\": ...}"))
            continue
        eigen = [_toets(p, str(naam), waarde, veld, fouten) for naam, waarde in tests.items()]
        toetsen.extend((pad, str(naam), w) for (naam, _), w in zip(tests.items(), eigen, strict=True) if w is not None)
        if p.soort == "getal" and isinstance(tests.get("min"), int) and isinstance(tests.get("max"), int) \
                and tests["min"] > tests["max"]:
            fouten.append(Fout(veld, "min is groter dan max: deze regel kan nooit gelden"))
    return tuple(toetsen)


def _onbekend_pad(pad: str) -> str:
    if pad == "leden" or pad.startswith(("leden.", "leden[")):
        return ("op afzonderlijke gezinsleden kan een regel niet toetsen; gebruik aantal_kinderen of "
                "aantal_volwassenen_geteld")
    if pad in ("casus_id", "peildatum"):
        return f"een regel kan niet op {pad} toetsen: dat zegt niets over het huishouden"
    return (f"onbekend casusveld{_suggestie(pad, PADEN)}; een regel toetst op een veld van de casus met punten "
            "(zoals veiligheid.niveau of signalen), op aantal_kinderen of op aantal_volwassenen_geteld")


def _toets(p: Pad, naam: str, waarde: Any, veld: str, fouten: list[Fout]) -> Any:
    """The validated value of one test, or None (with a Fout at the path)."""
    mogelijk = _TOETSEN_PER_SOORT[p.soort]
    if naam not in TOETSEN:
        fouten.append(Fout(veld, f"onbekende toets '{naam}'{_suggestie(naam, mogelijk)}; mogelijk: {_lijst(mogelijk)}"))
        return None
    if naam not in mogelijk:
        fouten.append(Fout(veld, f"toets '{naam}' past niet bij dit veld; mogelijk: {_lijst(mogelijk)}"))
        return None
    meer = naam == "in" or (p.soort == "lijst" and naam == "gelijk")
    if p.soort == "lijst" and naam in ("bevat", "niet") and isinstance(waarde, list):
        meer = True
    if meer:
        if not isinstance(waarde, list) or (not waarde and naam == "in"):
            fouten.append(Fout(veld, f"toets '{naam}' vraagt een lijst van waarden, bijvoorbeeld [{_voorbeeld(p)}]"))
            return None
        if not waarde and p.soort == "lijst" and naam in ("bevat", "niet"):
            fouten.append(Fout(veld, f"toets '{naam}' vraagt minstens één waarde"))
            return None
        goed = tuple(w for w in waarde if _waarde(p, naam, w, veld, fouten))
        return goed if len(goed) == len(waarde) else None  # a tuple: a validated rule is hashable
    return waarde if _waarde(p, naam, waarde, veld, fouten) else None


def _voorbeeld(p: Pad) -> str:
    return _lijst(p.waarden[:2]) if p.waarden else f"{p.minimum}, {p.minimum + 1}"


def _waarde(p: Pad, naam: str, waarde: Any, veld: str, fouten: list[Fout]) -> bool:
    if p.soort == "getal":
        if not isinstance(waarde, int) or isinstance(waarde, bool):
            fouten.append(Fout(veld, f"toets '{naam}' vraagt een geheel getal"))
            return False
        if not p.minimum <= waarde <= p.maximum:
            fouten.append(Fout(veld, f"toets '{naam}': {waarde} ligt buiten {p.minimum} tot en met {p.maximum}"))
            return False
        return True
    if p.soort == "ja_nee":
        if not isinstance(waarde, bool):
            fouten.append(Fout(veld, f"toets '{naam}' vraagt true of false"))
            return False
        return True
    if isinstance(waarde, str) and waarde in p.waarden:
        return True
    fouten.append(Fout(veld, f"toets '{naam}': ongeldige waarde; mogelijk: {_lijst(p.waarden)}"
                             f"{_suggestie(str(waarde), p.waarden) if isinstance(waarde, str) else ''}"))
    return False


# --------------------------------------------------------------------------- dan


def _dan(value: object, plek: str, fouten: list[Fout]) -> Gevolgen | None:
    if not isinstance(value, Mapping) or not value:
        fouten.append(Fout(plek, f"verplicht: een object met een of meer gevolgen ({_lijst(GEVOLGEN)})"))
        return None
    velden: dict[str, Any] = {}
    for naam, waarde in value.items():
        veld = f"{plek}.{naam}"
        if naam not in GEVOLGEN:
            fouten.append(Fout(veld, f"onbekend gevolg{_suggestie(str(naam), GEVOLGEN)}; mogelijk: {_lijst(GEVOLGEN)}"))
            continue
        gelezen = _GEVOLG[naam](waarde, veld, fouten)
        if gelezen is not None:
            velden[naam] = gelezen
    uit = {o for o, _ in velden.get("onderdeel_uit", ())}
    for onderdeel in velden.get("onderdeel_bij", ()):
        if onderdeel in uit:
            fouten.append(Fout(f"{plek}.onderdeel_bij", f"'{onderdeel}' staat ook in onderdeel_uit van deze regel"))
    return Gevolgen(**velden)


def _minimum_pakket(waarde: Any, veld: str, fouten: list[Fout]) -> int | None:
    if isinstance(waarde, int) and not isinstance(waarde, bool) and 1 <= waarde <= 3:
        return waarde
    fouten.append(Fout(veld, "moet een pakket zijn: 1, 2 of 3"))
    return None


def _codes(waarde: Any, veld: str, fouten: list[Fout], mogelijk: tuple[str, ...], wat: str) -> tuple[str, ...] | None:
    waarden = waarde if isinstance(waarde, list) else [waarde]
    if not waarden or not all(isinstance(w, str) and w in mogelijk for w in waarden):
        fout = next((w for w in waarden if not (isinstance(w, str) and w in mogelijk)), "")
        fouten.append(Fout(veld, f"ongeldig {wat}{_suggestie(fout, mogelijk) if isinstance(fout, str) else ''}; "
                                 f"mogelijk: {_lijst(mogelijk)}"))
        return None
    return tuple(dict.fromkeys(waarden))


def _onderdeel_bij(waarde: Any, veld: str, fouten: list[Fout]) -> tuple[str, ...] | None:
    return _codes(waarde, veld, fouten, ONDERDELEN, "onderdeel")


def _maatwerk_bij(waarde: Any, veld: str, fouten: list[Fout]) -> tuple[str, ...] | None:
    return _codes(waarde, veld, fouten, MAATWERK, "resultaatgebied")


def _onderdeel_uit(waarde: Any, veld: str, fouten: list[Fout]) -> tuple[tuple[str, str], ...] | None:
    items = waarde if isinstance(waarde, list) else [waarde]
    found: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, Mapping) or set(item) - {"onderdeel", "reden"}:
            fouten.append(Fout(veld, "moet een object zijn met onderdeel en reden, bijvoorbeeld {\"onderdeel\": "
                                     "\"systeemgerichte_hulp\", \"reden\": \"vechtscheiding\"}"))
            return None
        onderdeel = item.get("onderdeel")
        if not isinstance(onderdeel, str) or _codes(onderdeel, veld, fouten, ONDERDELEN, "onderdeel") is None:
            if not isinstance(onderdeel, str):
                fouten.append(Fout(veld, f"noem één onderdeel per object; mogelijk: {_lijst(ONDERDELEN)}"))
            return None
        if onderdeel in _NIET_UIT:
            fouten.append(Fout(veld, f"kan niet uit: {_NIET_UIT[onderdeel]}"))
            return None
        reden = _tekst(item.get("reden"), veld, fouten, _MAX_REDEN, "de reden waarom het onderdeel niet wordt "
                       "ingezet (reden), kort en met een kleine letter, bijvoorbeeld 'vechtscheiding'")
        if not reden:
            return None
        if onderdeel not in (o for o, _ in found):
            found.append((onderdeel, reden))
    if not found:
        fouten.append(Fout(veld, "noem minstens één onderdeel met een reden"))
        return None
    return tuple(found)


def _signalering(waarde: Any, veld: str, fouten: list[Fout]) -> tuple[str, str] | None:
    if not isinstance(waarde, Mapping) or set(waarde) != {"code", "tekst"}:
        fouten.append(Fout(veld, "moet een object zijn met code en tekst, bijvoorbeeld {\"code\": \"ggz_zwaar\", "
                                 "\"tekst\": \"Betrek het FACT-team.\"}"))
        return None
    code = waarde["code"]
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        fouten.append(Fout(veld, "ongeldige code: kleine letters, cijfers en liggend streepje, beginnend met een "
                                 "letter (hoogstens 64 tekens), bijvoorbeeld 'ggz_zwaar'"))
        return None
    tekst = _tekst(waarde["tekst"], veld, fouten, _MAX_TEKST, "de tekst van het signaal (tekst)")
    return (code, tekst) if tekst else None


def _vrije_trede(waarde: Any, veld: str, fouten: list[Fout]) -> bool | None:
    if waarde is True:
        return True
    fouten.append(Fout(veld, "moet true zijn; een vrije trede uitzetten gaat met regels_uit: ['pakket.vrije_trede']"))
    return None


_GEVOLG: dict[str, Callable[[Any, str, list[Fout]], Any]] = {
    "minimum_pakket": _minimum_pakket,
    "onderdeel_uit": _onderdeel_uit,
    "onderdeel_bij": _onderdeel_bij,
    "signalering": _signalering,
    "vrije_trede": _vrije_trede,
    "maatwerk_bij": _maatwerk_bij,
}
