# One entry point for the README, CI and developers.
# Debian's python3.11 when the machine has it: built with profile-guided and link-time optimisation, it runs
# our code about 20 % faster than an interpreter built from source without them (pyenv's default; measured
# on the evaluation of a casus and the load benchmark, docs/decisions.md). Else python3.11 on the PATH.
PY ?= $(shell test -x /usr/bin/python3.11 && /usr/bin/python3.11 -c 'import venv, ensurepip' 2>/dev/null \
        && echo /usr/bin/python3.11 || echo python3.11)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint bench bench-api bench-replay bench-replay-opgeslagen clean

$(BIN)/hg-advies: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(BIN)/hg-advies

run: setup
	$(BIN)/hg-advies serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/ruff check engine rules rapport cli api tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -n 2

bench: setup
	$(BIN)/python -m bench.batch

# POST /v1/advies under load against PostgreSQL (root: installs/starts it; needs hey). Short run while
# developing: make bench-api BENCH_API_ARGS="--duur 10"
bench-api: setup
	$(BIN)/python -m bench.api_load $(BENCH_API_ARGS)

# hg-advies replay over 100,000 synthetic casussen (generated in a temporary folder); smaller:
# make bench-replay BENCH_REPLAY_ARGS="--aantal 10000"
bench-replay: setup
	$(BIN)/python -m bench.replay $(BENCH_REPLAY_ARGS)

# POST /v1/replay over 100,000 adviezen stored in PostgreSQL (root: installs/starts it); smaller:
# make bench-replay-opgeslagen BENCH_REPLAY_OPGESLAGEN_ARGS="--aantal 10000"
bench-replay-opgeslagen: setup
	$(BIN)/python -m bench.replay_opgeslagen $(BENCH_REPLAY_OPGESLAGEN_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .hypothesis
