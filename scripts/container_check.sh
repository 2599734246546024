#!/usr/bin/env bash
# The container check of CI (.ci/run), as an operator would run the service: as root on a Debian machine that
# reaches Debian's packages (and PyPI) but no container registry.
#   1. engine: Debian's docker.io and docker-compose (and mmdebstrap) if missing; dockerd started if none runs
#      (log: $HG_CHECK_LOGS/dockerd.log), the client's API version held to the daemon's;
#   2. the base image from Debian's archive (scripts/container_base.sh, cached by a content key);
#   3. the project image (Dockerfile, PYTHON_IMAGE = the local base) and the PostgreSQL image (docker/postgres:
#      Debian's postgresql-15 on the same base; Docker's layer cache keeps both for the next run);
#   4. the image alone (SQLite in its volume): refused without HG_API_KEYS, /health, POST /v1/advies gives the
#      library casus' `verwacht`, the row is read back, survives a restart, the process is not root, the
#      image's HEALTHCHECK turns healthy;
#   5. compose.yaml with the local PostgreSQL and the worker: /health, an advies stored in PostgreSQL (psql in
#      its container), still there after `docker-compose restart app`, the worker running on the queue.
# Everything it started (containers, networks, volumes, a dockerd it started) is removed on exit; the images
# stay as the cache of the next run. Prints how long each part took. Exit 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

CASUS=casussen/vj-2020-1.yaml  # the library casus of the check (its `verwacht`: route, perceel, pakket)
SCENARIO=scenarios/ruimere-vrije-trede.yaml  # replayed over the stored adviezen by the compose stack's worker
LOGS="${HG_CHECK_LOGS:-/tmp/hg-advies-container-check}"
RUN_ID="hgcheck$$"
IMAGE="hg-advies:container-check"
PG_IMAGE="hg-advies-postgres:container-check"
export COMPOSE_PROJECT_NAME="$RUN_ID"
export DOCKER_BUILDKIT=0  # the classic builder: Debian's client and a newer one without buildx both have it
mkdir -p "$LOGS"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

fail() { echo "container_check: FAILED: $*" >&2; exit 1; }
say() { echo "container_check: $*" >&2; }

T0=$(date +%s)
T_PART=$T0
TIMINGS=()
part_done() {
  local now; now=$(date +%s)
  TIMINGS+=("$(printf '%-34s %4d s' "$1" $(( now - T_PART )))")
  say "$1: done in $(( now - T_PART )) s"
  T_PART=$now
}

DOCKERD_PID=""
compose() { docker-compose -f compose.yaml --project-directory . "$@"; }
cleanup() {
  local rc=$?
  set +e
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    if [ -n "${COMPOSE_UP:-}" ]; then
      compose logs --no-color >"$LOGS/compose.log" 2>&1
      compose down -v --remove-orphans >/dev/null 2>&1
    fi
    for c in $(docker ps -aq --filter "label=hg-advies-check=$RUN_ID"); do
      docker logs "$c" >"$LOGS/container-$c.log" 2>&1
      docker rm -f -v "$c" >/dev/null 2>&1
    done
    for v in $(docker volume ls -q --filter "label=hg-advies-check=$RUN_ID"); do
      docker volume rm -f "$v" >/dev/null 2>&1
    done
    docker image prune -f --filter "label=hg-advies-check" >/dev/null 2>&1
  fi
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    kill -TERM "$DOCKERD_PID"
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
  fi
  if [ ${#TIMINGS[@]} -gt 0 ]; then
    echo "container_check: timings" >&2
    printf '  %s\n' "${TIMINGS[@]}" >&2
    printf '  %-34s %4d s\n' "total" $(( $(date +%s) - T0 )) >&2
  fi
  if [ "$rc" = 0 ]; then say "every check passed"; else say "failed (exit $rc); logs in $LOGS"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. the engine -------------------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || fail "must run as root (it installs Debian's docker.io and starts dockerd)"
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$LOGS/apt.log" 2>&1 \
    || { apt-get update -qq >>"$LOGS/apt.log" 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$LOGS/apt.log" 2>&1; } \
    || fail "apt-get install $* failed (see $LOGS/apt.log)"
}
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian's ${missing[*]}"
  apt_install "${missing[@]}"
fi
# Debian's client belongs with Debian's daemon; a newer client elsewhere on PATH (here /usr/local/bin/docker)
# is kept to the daemon's API version below.
command -v docker >/dev/null || fail "no docker client after installing docker.io"

if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $LOGS/dockerd.log)"
  dockerd >"$LOGS/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$DOCKERD_PID" 2>/dev/null || fail "dockerd stopped at its start: $(tail -n 3 "$LOGS/dockerd.log")"
    sleep 1
  done
  docker info >/dev/null 2>&1 || fail "dockerd did not answer within 60 s (see $LOGS/dockerd.log)"
fi
server_api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null) \
  || fail "the docker client and daemon do not work together: $(docker version 2>&1 | tail -n 2)"
client_api=$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null || true)
if [ -n "$server_api" ] && [ "$client_api" != "$server_api" ]; then
  export DOCKER_API_VERSION="$server_api"
  client_api=$(docker version --format '{{.Client.APIVersion}}')
  [ "$client_api" = "$server_api" ] || fail "client API $client_api cannot be held to the daemon's $server_api"
fi
say "docker $(docker version --format '{{.Client.Version}}') (API $client_api) on dockerd \
$(docker version --format '{{.Server.Version}}') (API $server_api); $(docker-compose version --short)"
part_done "engine (install, dockerd)"

# ---- 2. the base image from Debian's archive ----------------------------------------------------------------
export DOCKER=docker
PYTHON_BASE=$(scripts/container_base.sh python) || fail "could not make the base image"
say "base image: $PYTHON_BASE"
part_done "base image"

# ---- 3. the images ------------------------------------------------------------------------------------------
# The build stage gets a tag of its own: it holds the layer cache of the dependencies, and the one it replaces
# becomes a dangling image with the label, removed on exit (as is the service image it replaces).
docker build -q --target build --build-arg PYTHON_IMAGE="$PYTHON_BASE" --label hg-advies-check=build \
  -t "$IMAGE-build" . >"$LOGS/build.log" 2>&1 || { tail -n 30 "$LOGS/build.log" >&2; fail "the image did not build"; }
docker build -q --build-arg PYTHON_IMAGE="$PYTHON_BASE" --label hg-advies-check=image -t "$IMAGE" . \
  >>"$LOGS/build.log" 2>&1 || { tail -n 30 "$LOGS/build.log" >&2; fail "the image did not build"; }
part_done "project image"
docker build -q --build-arg BASE_IMAGE="$PYTHON_BASE" --label hg-advies-check=image -t "$PG_IMAGE" docker/postgres \
  >"$LOGS/build-postgres.log" 2>&1 || { tail -n 30 "$LOGS/build-postgres.log" >&2; fail "the PostgreSQL image did not build"; }
part_done "postgres image"

# The library casus and its expectation, eight more library casussen and a scenario for the replay over the
# stored adviezen (at least HG_MINIMUM_AANTAL casussen, default 5), read with the image's own YAML parser.
BIBLIOTHEEK="$LOGS/bibliotheek.json"
docker run --rm --label "hg-advies-check=$RUN_ID" "$IMAGE" python -c "
import json, pathlib, yaml
lees = lambda pad: yaml.safe_load(open(pad, encoding='utf-8'))
d = lees('/app/$CASUS')
docs = [lees(p) for p in sorted(pathlib.Path('/app/casussen').glob('*.yaml')) if p.name != '${CASUS#casussen/}']
meer = [x['casus'] for x in docs if isinstance(x, dict) and 'casus' in x][:8]
print(json.dumps({'casus': d['casus'], 'verwacht': d['verwacht'], 'casussen': meer,
                  'scenario': lees('/app/$SCENARIO')}))" >"$BIBLIOTHEEK" \
  || fail "could not read $CASUS in the image"
SLEUTEL="ci-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# ---- 4. the image alone, SQLite in its volume ---------------------------------------------------------------
uitvoer=$(timeout 120 docker run --rm --label "hg-advies-check=$RUN_ID" "$IMAGE" 2>&1) && rc=0 || rc=$?
[ "$rc" != 0 ] || fail "the image started without HG_API_KEYS"
grep -q "HG_API_KEYS is niet gezet" <<<"$uitvoer" \
  || fail "without HG_API_KEYS the image stopped (exit $rc) without saying why: $uitvoer"
say "without HG_API_KEYS: refused (exit $rc): $(head -n 1 <<<"$uitvoer")"

docker volume create --label "hg-advies-check=$RUN_ID" "${RUN_ID}_data" >/dev/null
start_alleen() {
  docker run -d --name "${RUN_ID}_alleen" --label "hg-advies-check=$RUN_ID" -p 127.0.0.1::8000 \
    -v "${RUN_ID}_data:/data" -e "HG_API_KEYS=$SLEUTEL:beheerder" "$IMAGE" >/dev/null
}
start_alleen
url() { echo "http://$(docker port "$1" 8000/tcp | head -n 1)"; }
URL=$(url "${RUN_ID}_alleen")
$PY scripts/container_probe.py wacht "$URL" 120 || { docker logs --tail 20 "${RUN_ID}_alleen" >&2; fail "alone: no /health"; }
ADVIES_ID=$($PY scripts/container_probe.py advies "$URL" "$SLEUTEL" "$BIBLIOTHEEK") || fail "alone: POST /v1/advies"
$PY scripts/container_probe.py lees "$URL" "$SLEUTEL" "$BIBLIOTHEEK" "$ADVIES_ID" || fail "alone: the stored advies"
uid=$(docker exec "${RUN_ID}_alleen" id -u)
[ "$uid" != 0 ] || fail "alone: the service runs as root"
docker exec "${RUN_ID}_alleen" test -s /data/hg-advies.sqlite || fail "alone: no SQLite file in the volume /data"
say "alone: the service runs as uid $uid; SQLite in the volume /data"
docker restart -t 20 "${RUN_ID}_alleen" >/dev/null
URL=$(url "${RUN_ID}_alleen")  # the published port may change with a restart
$PY scripts/container_probe.py wacht "$URL" 120 || fail "alone: no /health after the restart"
$PY scripts/container_probe.py lees "$URL" "$SLEUTEL" "$BIBLIOTHEEK" "$ADVIES_ID" || fail "alone: advies lost in the restart"
for _ in $(seq 1 60); do
  status=$(docker inspect -f '{{.State.Health.Status}}' "${RUN_ID}_alleen")
  [ "$status" = healthy ] && break
  sleep 1
done
[ "$status" = healthy ] || fail "alone: the image's HEALTHCHECK says '$status'"
say "alone: the stored advies survived a restart; HEALTHCHECK healthy"
docker rm -f -v "${RUN_ID}_alleen" >/dev/null
part_done "image alone (SQLite)"

# ---- 5. compose with PostgreSQL and the worker --------------------------------------------------------------
POORT=$($PY -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export HG_IMAGE="$IMAGE" HG_POSTGRES_IMAGE="$PG_IMAGE" HG_PYTHON_IMAGE="$PYTHON_BASE" HG_POORT="$POORT"
export HG_API_KEYS="$SLEUTEL:beheerder"
COMPOSE_UP=1
compose up -d --no-build >"$LOGS/compose-up.log" 2>&1 || { tail -n 20 "$LOGS/compose-up.log" >&2; fail "docker-compose up"; }
URL="http://127.0.0.1:$POORT"
$PY scripts/container_probe.py wacht "$URL" 180 || { compose logs --tail 20 >&2; fail "compose: no /health"; }
ADVIES_ID=$($PY scripts/container_probe.py advies "$URL" "$SLEUTEL" "$BIBLIOTHEEK") || fail "compose: POST /v1/advies"
psql_() { compose exec -T postgres psql -v ON_ERROR_STOP=1 -U hg -d hg_advies -Atc "$1"; }
rij=$(psql_ "SELECT route || '/' || coalesce(perceel, '-') || '/' || coalesce(pakket::text, '-') FROM advies WHERE id = '$ADVIES_ID'") \
  || fail "compose: psql in the postgres container"
verwacht=$($PY -c "import json, sys; v = json.load(open(sys.argv[1]))['verwacht']; print(f\"{v['route']}/{v['perceel'] or '-'}/{v['pakket'] or '-'}\")" "$BIBLIOTHEEK")
[ "$rij" = "$verwacht" ] || fail "compose: the row in PostgreSQL is '$rij', expected '$verwacht'"
say "compose: advies $ADVIES_ID stored in PostgreSQL ($rij)"
compose restart app >/dev/null 2>&1 || fail "docker-compose restart app"
$PY scripts/container_probe.py wacht "$URL" 120 || fail "compose: no /health after restarting app"
$PY scripts/container_probe.py lees "$URL" "$SLEUTEL" "$BIBLIOTHEEK" "$ADVIES_ID" || fail "compose: advies lost in the restart"
[ "$(compose exec -T app id -u)" != 0 ] || fail "compose: the service runs as root"
if grep -q "^  worker:" compose.yaml; then
  for _ in $(seq 1 60); do
    compose logs --no-color worker 2>/dev/null | grep -q "hg-advies worker: .* werkproces" && break
    sleep 1
  done
  compose logs --no-color worker 2>/dev/null | grep -q "hg-advies worker: .* werkproces" \
    || { compose logs --tail 20 worker >&2; fail "compose: the worker did not start"; }
  [ "$(docker inspect -f '{{.State.Running}}' "$(compose ps -q worker)")" = true ] || fail "compose: the worker stopped"
  taken=$(psql_ "SELECT count(*) FROM procrastinate_workers") || fail "compose: no queue tables in PostgreSQL"
  [ "$taken" -ge 1 ] || fail "compose: no worker registered on the queue"
  # The service runs no queue worker (HG_WACHTRIJ_WERKERS=0): a replay over the stored adviezen that finishes was
  # done by the worker service.
  door=$($PY scripts/container_probe.py replay "$URL" "$SLEUTEL" "$BIBLIOTHEEK") || fail "compose: the replay through the worker"
  werker=$(docker inspect -f '{{.Config.Hostname}}' "$(compose ps -q worker)")
  if [ -z "$door" ] || grep -qvxF "$werker" <<<"$door"; then
    fail "compose: the replay's parts were done by '$(tr '\n' ' ' <<<"$door")', not by the worker ($werker)"
  fi
  say "compose: the worker runs ($taken queue worker(s)) and did the replay over the stored adviezen"
fi
say "compose: the advies survived 'docker-compose restart app'"
part_done "compose (PostgreSQL, worker)"
