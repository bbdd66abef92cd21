# The two set-up commands: `make run` and `make test`. Both create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
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
