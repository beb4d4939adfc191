# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck conformance bench clean

$(STAMP): pyproject.toml constraints.txt scripts/bootstrap.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/bootstrap.sh
	touch $(STAMP)

DEMO_DB ?= demo.db
DEMO_PORT ?= 8000

demo: $(STAMP)
	$(BIN)/cabledesk ingest tests/data/seed tests/data/sample --db $(DEMO_DB)
	$(BIN)/cabledesk search '"according to" Chun' --db $(DEMO_DB) --per-page 5
	$(BIN)/cabledesk search 'origin:Moscow tag:PREL' --db $(DEMO_DB) --per-page 5
	$(BIN)/cabledesk audit --db $(DEMO_DB) --min-risk 0.8 --limit 10
	$(BIN)/cabledesk serve --db $(DEMO_DB) --host 127.0.0.1 --port $(DEMO_PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck
	$(BIN)/pytest -n 2 -q

conformance: $(STAMP)
	$(BIN)/cabledesk conformance tests/data/conformance/cablemap --corpus $(or $(CORPUS),../shared/corpus/raw)

bench: $(STAMP)
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
