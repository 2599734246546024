#!/bin/sh
# Entrypoint of docker/postgres: on first start (no PG_VERSION in PGDATA) initdb with POSTGRES_USER as the
# superuser and POSTGRES_PASSWORD as its password, create POSTGRES_DB; then run PostgreSQL as the user postgres,
# listening on every address of the container (only the containers of its network reach it; compose publishes
# no port of it). Local connections inside the container are trusted (psql and pg_isready there), connections
# over the network need the password (scram-sha-256), as in the official image.
set -eu

fail() { echo "hg-postgres: $*" >&2; exit 1; }

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ "${1:-postgres}" != postgres ]; then
  exec "$@"  # e.g. `docker run --rm IMAGE psql --version`
fi
shift || true

if [ "$(id -u)" = 0 ]; then
  # A bind mount or a fresh volume may belong to root: hand it to postgres, then continue as postgres.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] \
    || fail "POSTGRES_PASSWORD is not set: it is required to create the database (nothing was created)"
  for naam in "$POSTGRES_USER" "$POSTGRES_DB"; do
    case "$naam" in
      [A-Za-z_]*) ;;
      *) fail "POSTGRES_USER and POSTGRES_DB must start with a letter or '_' ('$naam')" ;;
    esac
    case "$naam" in
      *[!A-Za-z0-9_]*) fail "POSTGRES_USER and POSTGRES_DB may hold only letters, digits and '_' ('$naam')" ;;
    esac
  done
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
         --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  printf '%s\n' "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\"" \
      | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "hg-postgres: database cluster created in $PGDATA (superuser $POSTGRES_USER, database $POSTGRES_DB)" >&2
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
