# jixiao — two commands: `make run` (set up and run the main job) and `make test` (set up and test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

system:
	bash scripts/install-system-deps.sh

setup: system $(STAMP)

DATA_DIR ?= jixiao-data
HOST ?= 127.0.0.1
PORT ?= 8000

run: setup
	$(BIN)/jixiao demo
	$(BIN)/jixiao serve --demo --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# PostgreSQL tests use the server on 127.0.0.1:5432, else a private one the script starts (and stops).
test: setup lint
	@eval "$$(bash scripts/test-postgres.sh)"; $(BIN)/pytest -n 2 --dist loadfile; status=$$?; \
		bash scripts/test-postgres.sh stop; exit $$status

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
