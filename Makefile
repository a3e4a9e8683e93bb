# newsbot: `make run` and `make test` set themselves up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# An old pip installs trafilatura without lxml_html_clean; upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/newsbot demo

test: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check newsbot tests
	$(BIN)/ruff format --check newsbot tests
	$(BIN)/mypy newsbot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
