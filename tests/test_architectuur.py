"""The shape of the code: engine/ is a pure library (no web, no database, not the project's rules), its modules
import each other without a cycle, and the report renderers live in rapport/, used by cli/ and api/ alike.

Read from the source with `ast`, type-only (TYPE_CHECKING) and function-local imports included: a cycle
through a lazy import is a cycle still."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERBODEN_IN_ENGINE = ("rules", "api", "cli", "rapport", "fastapi", "starlette", "sqlmodel", "sqlalchemy",
                      "psycopg", "uvicorn", "jinja2", "weasyprint", "procrastinate")


def _imports(pad: Path) -> set[str]:
    """Every module `pad` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _module(pad: Path) -> str:
    delen = pad.relative_to(ROOT).with_suffix("").parts
    return ".".join(delen[:-1] if delen[-1] == "__init__" else delen)


def _engine_graaf() -> dict[str, set[str]]:
    modules = {_module(p): p for p in (ROOT / "engine").glob("*.py")}
    return {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}


@pytest.mark.parametrize("pad", sorted((ROOT / "engine").glob("*.py")), ids=lambda p: p.name)
def test_engine_imports_no_web_database_or_project_rules(pad: Path) -> None:
    fout = sorted(i for i in _imports(pad) if i.split(".")[0] in VERBODEN_IN_ENGINE)
    assert not fout, f"{pad.name} imports {fout}"


def _cyclus(graaf: dict[str, set[str]]) -> list[str] | None:
    """An import cycle in `graaf`, as the modules along it, or None."""
    bezig: list[str] = []
    klaar: set[str] = set()

    def bezoek(m: str) -> list[str] | None:
        if m in klaar:
            return None
        if m in bezig:
            return [*bezig[bezig.index(m):], m]
        bezig.append(m)
        for volgende in sorted(graaf[m]):
            if (gevonden := bezoek(volgende)) is not None:
                return gevonden
        bezig.pop()
        klaar.add(m)
        return None

    for m in sorted(graaf):
        if (gevonden := bezoek(m)) is not None:
            return gevonden
    return None


def test_the_engine_modules_import_each_other_without_a_cycle() -> None:
    cyclus = _cyclus(_engine_graaf())
    assert cyclus is None, "import cycle: " + " -> ".join(cyclus or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check above can fail: a cycle added to the real graph is found."""
    graaf = _engine_graaf()
    graaf["engine.core"] = graaf["engine.core"] | {"engine.alternatieven"}  # as it was before the cut
    assert _cyclus(graaf) is not None


def test_report_renderers_live_in_rapport_not_in_cli() -> None:
    assert not list((ROOT / "cli").glob("replay_report.py")) and not list((ROOT / "cli").glob("replay_html.py"))
    for pad in [*(ROOT / "api").rglob("*.py"), *(ROOT / "rapport").glob("*.py")]:
        cli = sorted(i for i in _imports(pad) if i.split(".")[0] == "cli")
        assert not cli, f"{pad.relative_to(ROOT)} imports {cli}: the service does not depend on the command line"
    for pad in (ROOT / "rapport").glob("*.py"):
        api = sorted(i for i in _imports(pad) if i.split(".")[0] == "api")
        assert not api, f"{pad.relative_to(ROOT)} imports {api}: the reports do not depend on the service"
