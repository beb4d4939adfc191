# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck conformance bench clean native

$(STAMP): pyproject.toml constraints.txt scripts/bootstrap.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/bootstrap.sh
	touch $(STAMP)

# The telegram layer compiled with mypyc (scripts/build_native.py): rebuilt whenever one of its
# sources changes; skipped, leaving pure Python, without a C compiler or with CABLEDESK_NATIVE=0.
NATIVE := $(VENV)/.native
TELEGRAM_SOURCES := $(wildcard src/cabledesk/telegram/*.py)

$(NATIVE): $(STAMP) $(TELEGRAM_SOURCES) scripts/build_native.py
	@$(BIN)/python scripts/build_native.py --if-possible > $(VENV)/native.log 2>&1 \
		|| { tail -20 $(VENV)/native.log; echo "build_native: FAILED (log: $(VENV)/native.log); cabledesk runs as pure Python"; \
		     $(BIN)/python scripts/build_native.py --clean; }
	@tail -1 $(VENV)/native.log
	@touch $(NATIVE)

native: $(NATIVE)

DEMO_DB ?= demo.db
DEMO_PORT ?= 8000

demo: $(NATIVE)
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

test: $(NATIVE) lint typecheck
	$(BIN)/pytest -n 2 -q

conformance: $(NATIVE)
	$(BIN)/cabledesk conformance tests/data/conformance/cablemap --corpus $(or $(CORPUS),../shared/corpus/raw)

bench: $(NATIVE)
	$(BIN)/python bench/parse.py

clean:
	rm -f src/cabledesk/telegram/*.so src/cabledesk/telegram/_native.json
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
