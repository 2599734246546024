"""Alembic migrations of the hg-advies database (run on start-up by `api.db.migrate`)."""
