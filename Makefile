# Two commands for a newcomer: `make demo` and `make test`.
# Each creates its own virtual environment in .venv (Python 3.11 or newer).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest docs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[plot]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,plot,docs]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/bilateral-trade demo
	$(BIN)/bilateral-trade report --out demo-report.html
	@echo "The report is in demo-report.html (open it in a browser; it works offline)."

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests tools benchmarks docs
	$(BIN)/ruff format --check src tests tools benchmarks docs

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -n 2

# The documentation site (mkdocs, strict): the tutorial is generated from the library first.
docs: $(VENV)/.installed-dev
	MPLBACKEND=Agg $(BIN)/python docs/gen_tutorial.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d site

test: lint typecheck pytest docs

clean:
	rm -rf $(VENV) build dist site .mypy_cache .pytest_cache .ruff_cache docs/tutorial.md docs/assets
