# Two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean bench

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

CORPUS := corpus/decree-2006-1220-annexes-423-429.kk.txt

demo: $(STAMP)
	$(BIN)/kzbudget extract $(CORPUS) --format table
	$(BIN)/kzbudget extract $(CORPUS) -o out/extract.json
	$(BIN)/kzbudget build $(CORPUS) -o out/graph.trig
	$(BIN)/kzbudget query programs-by-legal-act -p act=Z990000453_
	$(BIN)/kzbudget query program-costs

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/extract.py

clean:
	rm -rf $(VENV) out kzbudget-store .pytest_cache dist build src/kzbudget_graph/_data
