"""The scenario form's choice "Afspelen over de opgeslagen adviezen" with an optional period (issue 13).

`over_opgeslagen` reads the choice and the period fields into the form (kept when the form is shown again);
`start_opgeslagen` validates as POST /v1/replay with `"bron": "opgeslagen"` does (`valideer_opgeslagen`) and
starts the job, or ties the errors to the form's fields and returns None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.deps import ApiFout
from api.routes.replay import start_replay, valideer_opgeslagen
from api.web import pagina as p

if TYPE_CHECKING:
    from fastapi import Request

    from api.auth import Principal
    from api.models import ReplayJobRecord
    from api.web.scenarios import Formulier

__all__ = ["over_opgeslagen", "start_opgeslagen"]

_VELDEN = {"periode.van": ("periode-van", "Periode van"), "periode.tot": ("periode-tot", "Periode tot en met"),
           "periode": ("afspelen_over", "Afspelen over")}


def over_opgeslagen(velden: dict[str, list[str]], form: Formulier) -> bool:
    """Whether the replay is to run over the stored adviezen; the choice and the period go into `form`."""
    for naam in ("afspelen_over", "periode_van", "periode_tot"):
        waarde = p.eerste(velden, naam).strip()
        if waarde:
            form.waarden[naam] = waarde
    return form.waarden.get("afspelen_over") == "opgeslagen"


def start_opgeslagen(request: Request, wie: Principal, form: Formulier,
                     data: dict[str, Any]) -> ReplayJobRecord | None:
    """The started job, or None with the errors on the form (in a worker thread: it counts in the database)."""
    periode = {k: form.waarden[f"periode_{k}"] for k in ("van", "tot") if form.waarden.get(f"periode_{k}")}
    try:
        scenario, gelezen, aantal = valideer_opgeslagen(request.app.state.db, data, periode,
                                                        request.app.state.minimum_aantal)
    except ApiFout as exc:
        scenariofouten = [f for f in exc.fouten if f["veld"].split(".")[0] not in ("periode",)]
        form.koppel(scenariofouten)
        for f in exc.fouten:
            if f not in scenariofouten:
                veld, label = _VELDEN.get(f["veld"], _VELDEN["periode"])
                form.fout(veld, label, f["melding"])
        return None
    if form.fouten:
        return None
    return start_replay(request, wie, data, scenario, [], (gelezen, aantal))
