# The two set-up commands: `make run` and `make test`. Both create .venv when missing.
# The venv is made from Debian's python3.11 where there is one: it is built with profile-guided
# and link-time optimisation and runs this project's Python about a fifth faster than a plain
# build such as pyenv's (docs/operations.md, "The interpreter"). Elsewhere, python3 on PATH.
# `make clean` first to move an existing .venv to it; `make PY=python3 …` to choose.
PY ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench system-deps clean

# system-deps first: it installs python3.11-venv, without which Debian's python3.11 makes no venv
# (and if it still cannot, python3 on PATH makes it).
$(STAMP): pyproject.toml | system-deps
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || { rm -rf $(VENV); python3 -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# `make run PORT=8001 HOST=0.0.0.0` to listen elsewhere.
PORT ?= 8000
HOST ?= 127.0.0.1

run: $(STAMP) system-deps
	$(BIN)/jixiao serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

# The web tests run a second time against PostgreSQL; they skip with a notice when none
# answers there (under CI=true that is a failure instead).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/web

# `make bench BENCH=reliability` (or web, bureau, multinode …) runs one section.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
