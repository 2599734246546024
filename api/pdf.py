"""The advies as a PDF for the dossier: the casus as entered, the advies, its samenvatting and explanation with
sources, and the besluiten with their reasons, times in Europe/Amsterdam (contract "Additions (2026-12)", "The
advies as a document").

Rendered from the Jinja2 template `api/web/templates/advies_pdf.html` (its own embedded CSS, with the same
filters as the pages) and typeset by WeasyPrint on Debian's Pango. Nothing is ever fetched: every URL the
document might name is refused (`geen_ophalen`), so the PDF is the same in a closed network. Building one
takes a few hundred milliseconds of CPU: call `maak_pdf` in a worker thread (`run_in_threadpool`).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from typing import Any

from api.models import AdviesRecord, BesluitRecord, nu
from api.web import casus_tekst  # noqa: F401  (registers the filters of the casus as entered)
from api.web import pagina as p

__all__ = ["maak_pdf", "pdf_html", "bestandsnaam", "geen_ophalen", "GeenPdf"]


class GeenPdf(RuntimeError):
    """WeasyPrint cannot typeset here: Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0) is missing."""


# WeasyPrint reports every CSS property it does not know and every refused URL as a warning; those lines
# would name the document's content, not the request, so they stay out of the service's JSON log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@cache
def _weasyprint() -> tuple[Any, Any]:
    """WeasyPrint's HTML class and a URL fetcher that fetches nothing (no network, no file); imported on first use,
    because importing WeasyPrint loads Pango: without it the rest of the service still runs (GeenPdf)."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as exc:
        raise GeenPdf(str(exc)) from exc

    class GeenOphalen(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("hg-advies haalt bij een pdf niets op")

    return HTML, GeenOphalen


def geen_ophalen() -> Any:
    """The URL fetcher every PDF is made with: it refuses every URL."""
    return _weasyprint()[1]()


def bestandsnaam(record: AdviesRecord) -> str:
    """'advies-<casus_id>.pdf' (a casus id is 1-64 characters of A-Z a-z 0-9 . _ -: safe in a header)."""
    return f"advies-{record.casus_id}.pdf"


def pdf_html(record: AdviesRecord, besluiten: list[BesluitRecord], gemaakt: dt.datetime | None = None) -> str:
    """The HTML the PDF is typeset from."""
    sjabloon = p.templates.env.get_template("advies_pdf.html")
    return sjabloon.render(record=record, a=record.advies, casus=record.casus, besluiten=besluiten,
                           gemaakt=gemaakt or nu())


def maak_pdf(record: AdviesRecord, besluiten: list[BesluitRecord], gemaakt: dt.datetime | None = None) -> bytes:
    """The advies with its besluiten (oldest first) as a PDF document (A4)."""
    html = _weasyprint()[0]
    document = html(string=pdf_html(record, besluiten, gemaakt), url_fetcher=geen_ophalen(), media_type="print")
    pdf: bytes = document.write_pdf()
    return pdf
