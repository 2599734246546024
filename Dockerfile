# hg-advies HTTP service. Build: docker build -t hg-advies .
# Run:   docker run --rm -p 127.0.0.1:8000:8000 -e HG_API_KEYS='<key>:beheerder' hg-advies
#        (embedded SQLite in the volume /data; set HG_DATABASE_URL for PostgreSQL, see compose.yaml)
# HG_API_KEYS is required: `serve` refuses to start on 0.0.0.0 without it.
# No `# syntax=` line: the builder's own Dockerfile frontend is used, so nothing is fetched from a registry, and
# nothing here needs BuildKit (the classic builder of Debian's docker.io builds it too).

# python:3.11-slim on Debian 12 (bookworm), the Debian of CI and of scripts/postgres.sh. Without a registry:
# --build-arg PYTHON_IMAGE=$(scripts/container_base.sh python), a base made from Debian's archive (Debian's
# Python 3.11 with python3-venv, python3-dev and python-is-python3); everything below works on both.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# Set explicitly: an image made with `docker import` has no PATH or LANG of its own (and `$PATH` would expand
# to nothing); /usr/local/bin first, where the official image keeps its Python.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# durable-rules 2.0.28 has no wheel: its C engine is compiled from source (C only: gcc and libc headers).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
# Dependencies first, from pyproject.toml alone, so a source change does not rebuild them.
COPY pyproject.toml /app/pyproject.toml
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/app/pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY README.md /app/
COPY engine /app/engine
COPY rules /app/rules
COPY rapport /app/rapport
COPY cli /app/cli
COPY api /app/api
COPY casussen /app/casussen
COPY scenarios /app/scenarios
# Editable, as `make setup`: the service reads casussen/ (OpenAPI examples, replays) and scenarios/ (the
# Scenario's pages) next to its packages, so the source tree stays the installed tree. /opt/venv and /app
# move to the runtime image at the same paths.
RUN /opt/venv/bin/pip install --no-deps -e /app \
 && /opt/venv/bin/python -m compileall -q /app/engine /app/rules /app/rapport /app/cli /app/api

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HG_DATABASE_URL=sqlite:////data/hg-advies.sqlite
# Pango and a font for the PDF of an advies (WeasyPrint, api/pdf.py); without them the PDF answers 503.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 hg \
 && useradd --system --uid 10001 --gid hg --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hg \
 && mkdir /data && chown hg:hg /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER hg:hg
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/opt/venv/bin/python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["hg-advies", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
