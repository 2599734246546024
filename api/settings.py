"""Service settings from the environment (HG_DATABASE_URL, HG_API_KEYS, HG_OIDC_*, HG_SESSIE_INACTIEF_MINUTEN)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "DEFAULT_DATABASE_URL"]

DEFAULT_DATABASE_URL = "sqlite:///hg-advies.sqlite"


class Settings(BaseSettings):
    """`HG_DATABASE_URL`: an SQLAlchemy URL (default: an SQLite file in the working directory).
    `HG_API_KEYS`: `key:role,key:role`."""

    model_config = SettingsConfigDict(env_prefix="HG_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    api_keys: str = ""
    # Disclosure control: every count a beleidsmaker sees from 1 up to this minimum - 1 is suppressed.
    minimum_aantal: int = Field(default=5, ge=1, le=1000)
    # Retention: an advies older than this many days is deleted (hg-advies opschonen, and the service daily).
    bewaartermijn_dagen: int = Field(default=3650, ge=1, le=36500)
    # Failed key attempts (API and sign-in page) per client address within 15 minutes before it gets 429.
    max_mislukte_pogingen: int = Field(default=10, ge=1, le=1_000_000_000)
    # Sign-in of the web pages through the municipality's identity provider (OpenID Connect); all three or
    # none. `oidc_rol_claim`: the claim holding the role (a dotted path reaches into an object, e.g.
    # `realm_access.roles`); `oidc_scopes`: scopes asked for next to `openid`; `oidc_acr`: acr values to ask
    # for and require (e.g. a multi-factor level), space-separated; empty: none.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_rol_claim: str = Field(default="roles", min_length=1)
    oidc_scopes: str = ""
    oidc_acr: str = ""
    # Web sessions end after this many minutes without a request (and always 8 hours after sign-in).
    sessie_inactief_minuten: int = Field(default=30, ge=1, le=480)
