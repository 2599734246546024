"""The OpenAPI pages, served by the service itself: `/docs` (Swagger UI) and `/redoc` (ReDoc), no CDN.

The scripts and styles come from the `fastapi-offline` package (it ships Swagger UI's and ReDoc's distribution
files; only those are used, under `/static/docs/`), so the pages work in a municipality's closed network. FastAPI's
own `get_swagger_ui_html` and `get_redoc_html` write the pages, pointed at those local files.

Both pages carry their own Content-Security-Policy (api/beveiliging.py keeps a response's own policy), without any
external host: scripts only from the service itself plus, for Swagger UI, its one inline start-up script by its
SHA-256 hash (computed from the page as written, so it follows FastAPI's template); `style-src 'unsafe-inline'`
because both render with inline styles (ReDoc's styled-components writes <style> elements); `img-src data:` for
Swagger UI's icons; `worker-src blob:` for ReDoc's search worker.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["STATISCH", "csp_voor", "installeer"]

STATISCH = "/static/docs"  # the mount; must come before the pages' own /static mount, which would answer 404
_BESTANDEN = files("fastapi_offline") / "static"  # swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_voor(html: str) -> str:
    """The policy for one of the two pages: its inline scripts by hash, nothing from another host."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html))
    return ("default-src 'self'; " + f"script-src 'self' {hashes}".rstrip() + "; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'; object-src 'none'")


def _met_csp(pagina: HTMLResponse) -> HTMLResponse:
    html = bytes(pagina.body).decode()
    return HTMLResponse(html, headers={"Content-Security-Policy": csp_voor(html)})


def installeer(app: FastAPI) -> None:
    """The two pages and their static files (create the app with docs_url=None and redoc_url=None)."""
    app.mount(STATISCH, StaticFiles(directory=str(_BESTANDEN)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _met_csp(get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} – Swagger UI",
            swagger_js_url=f"{root}{STATISCH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATISCH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATISCH}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None}))  # no badge from validator.swagger.io

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _met_csp(get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} – ReDoc",
            redoc_js_url=f"{root}{STATISCH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{STATISCH}/favicon.png", with_google_fonts=False))
