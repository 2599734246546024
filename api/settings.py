"""Service settings from the environment (HG_DATABASE_URL, HG_API_KEYS)."""

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
