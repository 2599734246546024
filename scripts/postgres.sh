#!/usr/bin/env bash
# Install (Debian's postgresql) and start a local PostgreSQL server, and create the hg-advies databases.
# Prints the SQLAlchemy URL of the given database (default hg_advies) on stdout; idempotent.
set -euo pipefail
db="${1:-hg_advies}"
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version *main .* online"; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
psql_() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_ "SELECT 1 FROM pg_roles WHERE rolname='hg'")" != "1" ]; then
  psql_ "CREATE ROLE hg LOGIN PASSWORD 'hg'" >&2
fi
if [ "$(psql_ "SELECT rolcreatedb FROM pg_roles WHERE rolname='hg'")" != "t" ]; then
  psql_ "ALTER ROLE hg CREATEDB" >&2  # the backup test restores into a database of its own
fi
if [ "$(psql_ "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
  psql_ "CREATE DATABASE $db OWNER hg" >&2
fi
echo "postgresql+psycopg://hg:hg@127.0.0.1:5432/$db"
