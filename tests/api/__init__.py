"""Tests of the HTTP service (api/), on SQLite and, with HG_TEST_POSTGRES_URL, on PostgreSQL."""
