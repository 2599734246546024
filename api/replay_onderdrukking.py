"""Disclosure control for the report of a replay over the stored adviezen (contract "Disclosure control").

The report of a replay over the real casuïstiek is an aggregate a beleidsmaker sees: it lists no casus (no
`casussen` with ids, no per-casus rows), and every count from 1 to `minimum` - 1 is null with its path in
`onderdrukt`. Beyond the contract's primary suppression:
- complementary suppression: where counts add up to a total that is shown (a distribution's values add up to
  `totaal`; overeenkomend + niet overeenkomend = `vergeleken`; gewijzigd + ongewijzigd = `totaal`), a hidden
  count could be computed back from the others, so a second count is hidden too (the smallest other non-zero
  one) and a count whose complement is small is hidden;
- sums over few casussen: when `totaal` is hidden, the hours and costs are too; when `gewijzigd` is hidden,
  the hours and costs after the scenario and the differences are (voor + verschil would give the change of
  those few casussen).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.onderdrukking import Onderdrukking

__all__ = ["onderdruk"]


_SOMMEN = ("uren_per_week", "uren_looptijd")


def onderdruk(report: Mapping[str, Any], minimum: int) -> dict[str, Any]:
    """A copy of a replay report fit for a beleidsmaker: no casus list, small counts hidden (`onderdrukt`)."""
    import copy

    r: dict[str, Any] = copy.deepcopy(dict(report))
    r.pop("casussen", None)
    r.pop("ongeldig", None)
    o = Onderdrukking(minimum)
    echt_totaal = int(r.get("totaal") or 0)
    o.enkel(r, "totaal", "totaal")
    totaal = r["totaal"]
    o.complement(r, "gewijzigd", totaal, "gewijzigd")
    for veld, kanten in (r.get("verdeling") or {}).items():
        for kant in ("voor", "na"):
            o.groep(kanten.get(kant) or {}, f"verdeling.{veld}.{kant}", totaal)
    for sectie in ("velden", "regels"):
        for k in list(r.get(sectie) or {}):
            o.enkel(r[sectie], k, f"{sectie}.{k}")
    besluiten = r.get("besluiten")
    if besluiten is not None:
        o.enkel(besluiten, "vergeleken", "besluiten.vergeleken")
        for k in ("overeenkomend_voor", "overeenkomend_na"):
            o.complement(besluiten, k, besluiten["vergeleken"], f"besluiten.{k}")
    if "regels_effect" in r:
        o.tellingen(r["regels_effect"], "regels_effect")
    sommen = [(r, s, s) for s in _SOMMEN if r.get(s)]
    kosten = r.get("kosten")
    if kosten:
        sommen += [(kosten, s, f"kosten.{s}") for s in ("per_week", "looptijd")]
        for s in ("geprijsd", "onvolledig"):
            for kant in ("voor", "na"):
                o.complement(kosten[s], kant, totaal, f"kosten.{s}.{kant}")
    for houder, sleutel, pad in sommen:
        bedragen = houder[sleutel]
        if totaal is not None and not (r["gewijzigd"] is None and bedragen.get("verschil")):
            continue
        for kant in ("voor", "na", "verschil") if totaal is None else ("na", "verschil"):
            o.verberg(bedragen, kant, f"{pad}.{kant}")
    if totaal is None:  # the warnings name the number of casussen
        r["waarschuwingen"] = [w.replace(f"in deze {echt_totaal} casussen", "in deze casussen")
                               for w in r.get("waarschuwingen") or []]
    r["minimum_aantal"] = minimum
    r["onderdrukt"] = o.paden
    return r
