"""`hg-advies opschonen` (retention) and the start-up checks of `hg-advies serve` for its settings."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from api.db import make_engine, migrate

ROOT = Path(__file__).resolve().parents[1]
HG_ADVIES = Path(sys.executable).parent / "hg-advies"


def hg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith("HG_")} | env
    return subprocess.run([str(HG_ADVIES), *args], capture_output=True, text=True, env=omgeving, timeout=120,
                          check=False, cwd=ROOT)


def _advies(db: object, advies_id: str, dagen_oud: int) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=dagen_oud)
    with db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text(
            "INSERT INTO advies (id, casus_id, aangemaakt, key_id, rol, ruleset_naam, ruleset_versie, ruleset_hash, "
            "route, casus, advies) VALUES (:id, 'RT-1', :t, 'k', 'indicatiesteller', 'hg', 'v', 'h', 'hg', '{}', "
            "'{}')"), {"id": advies_id, "t": moment})


def test_opschonen_deletes_what_is_past_the_retention_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hg.sqlite'}"
    db = make_engine(url)
    migrate(db)
    _advies(db, "a" * 32, 3700)
    _advies(db, "b" * 32, 10)
    uit = hg("opschonen", HG_DATABASE_URL=url)
    assert uit.returncode == 0, uit.stderr
    assert uit.stdout.strip() == "1 advies ouder dan 3650 dagen verwijderd."
    uit = hg("opschonen", "--dagen", "5", HG_DATABASE_URL=url)
    assert uit.stdout.strip() == "1 advies ouder dan 5 dagen verwijderd."
    uit = hg("opschonen", HG_DATABASE_URL=url, HG_BEWAARTERMIJN_DAGEN="1")
    assert uit.stdout.strip() == "Geen adviezen ouder dan 1 dagen verwijderd."
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM advies")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM audit WHERE actie = 'advies_opgeschoond'")).scalar_one() == 2
    db.dispose()


def test_an_invalid_setting_is_refused_with_its_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hg.sqlite'}"
    for args in (("opschonen",), ("serve", "--port", "1")):
        uit = hg(*args, HG_DATABASE_URL=url, HG_BEWAARTERMIJN_DAGEN="nul")
        assert uit.returncode == 2 and "HG_BEWAARTERMIJN_DAGEN" in uit.stderr and "Traceback" not in uit.stderr


def test_serve_refuses_half_an_oidc_configuration(tmp_path: Path) -> None:
    uit = hg("serve", "--port", "1", HG_DATABASE_URL=f"sqlite:///{tmp_path / 'hg.sqlite'}",
             HG_OIDC_ISSUER="https://login.example.org")
    assert uit.returncode == 2 and "HG_OIDC_CLIENT_ID" in uit.stderr and "Traceback" not in uit.stderr
