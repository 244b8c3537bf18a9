# Two entry points (see README): `make run` and `make test`.
# Both create the project's virtual environment on first use; nothing is installed by hand.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/weekend.yaml

.PHONY: run test lint bench clean

$(BIN)/salesim: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m compileall -q sim  # bytecode, as a regular install writes it
	touch $(BIN)/salesim

run: $(BIN)/salesim
	$(BIN)/salesim run $(SCENARIO)

lint: $(BIN)/salesim
	$(BIN)/ruff check sim tests benchmarks experiments
	$(BIN)/mypy
	$(BIN)/lint-imports

# Headless Chromium (Debian's package) renders the HTML report in tests/test_html_report.py.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: lint $(CHROMIUM)
	$(BIN)/pytest -n 2 -q

bench: $(BIN)/salesim
	$(BIN)/python -m compileall -q sim  # measured as installed: bytecode up to date
	$(BIN)/python benchmarks/bench_mmc.py
	$(BIN)/python benchmarks/bench_weekend.py
	$(BIN)/python benchmarks/bench_parallel.py
	$(BIN)/python benchmarks/bench_sizing.py
	$(BIN)/python benchmarks/bench_cli.py

clean:
	rm -rf $(VENV) results .pytest_cache .mypy_cache .ruff_cache
