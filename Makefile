# Entry points. `make book` and `make test` do all set-up themselves (see README).
PYTHON ?= python3
# YEAR: the edition to build; empty builds the latest edition present in data/raw.
YEAR ?=
# YEAR never reaches the shell unchecked: digits only (the run checks the range), read with
# $(value) so that a "$(...)" in it is not expanded by make either.
YEAR_RAW := $(value YEAR)
YEAR_REST := $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst 7,,$(subst 8,,$(subst 9,,$(YEAR_RAW)))))))))))
YEAR_OK := $(if $(strip $(YEAR_RAW)),$(if $(filter 1,$(words $(YEAR_RAW))),$(if $(YEAR_REST),,ok)),ok)
YEAR_ARG := $(if $(strip $(YEAR_RAW)),--year $(strip $(YEAR_RAW)))
ifneq ($(filter book watch check-data pdf,$(MAKECMDGOALS)),)
ifeq ($(YEAR_OK),)
$(error YEAR must be a reporting year such as 2019 (digits only), or empty for the latest edition; got '$(YEAR_RAW)')
endif
endif
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help env book watch test test-fast lint format check-data lab lock chromium clean bench pdf

## help: this list of targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /' -e 's/: /\t/' | expand -t 16

NODE_MODULES := node_modules/.package-lock.json

## env: project environment from the lock files: Python packages in .venv, npm ones in node_modules
# (reinstalled whenever a lock file changes)
env: $(BIN)/.installed $(BIN)/.compiled $(NODE_MODULES)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.installed: requirements.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --clear --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

# Bytecode compiled once, at install: where PYTHONDONTWRITEBYTECODE is set (as on the shared
# machines) every process (kernel, jupyter-book, test) would otherwise compile every module it
# imports, each time: about 7 s of CPU per process importing the book's stack.
$(BIN)/.compiled: $(BIN)/.installed
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib src >/dev/null || true  # a few packages ship files that are not Python 3
	touch $@

# npm ci: exactly what package-lock.json pins (no registry host is recorded there, see .npmrc)
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## book: validate data/raw, run the notebooks with papermill, build the HTML book
book: env
	$(BIN)/contrat-ville run $(YEAR_ARG)
	@echo "Open the book: file://$(CURDIR)/book/_build/html/index.html"

## watch: build the book, then again on each change of data/raw, notebooks or book (warm, Ctrl-C stops)
watch: env
	@echo "The book: file://$(CURDIR)/book/_build/html/index.html (rebuilt on each change)"
	$(BIN)/contrat-ville watch $(YEAR_ARG)

## test: lint, then the whole test suite (schemas, indicators, pipeline, book, browser); what CI runs
# three lanes of slow tests, one per worker (xdist groups "run2018", "run2019" and "browser",
# see tests/conftest.py), the other tests on whichever worker is free: three workers at least,
# one per core beyond; the 30 slowest tests are listed at the end, to see where the time goes
TEST_WORKERS := $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n > 3 ? n : 3 )))
# The set-up steps run side by side: Chromium's download (apt) and the environment's (uv, npm)
# wait on the network and the disk, not on each other.
test:
	@$(MAKE) --no-print-directory -j3 env chromium
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=30

## test-fast: the inner loop: every test that runs no pipeline and no browser, on all cores
test-fast: env
	$(BIN)/python -m pytest -m "not slow" -n auto -q

## lint: ruff (lint and format check) and the package's layering contract (import-linter)
lint: env
	$(BIN)/ruff check src tests notebooks
	$(BIN)/ruff format --check src tests notebooks
	$(BIN)/lint-imports

## format: apply ruff's formatter and safe fixes
format: env
	$(BIN)/ruff format src tests notebooks
	$(BIN)/ruff check --fix src tests notebooks

## pdf: the whole book as one PDF (cover, contents, every chapter), printed offline by Chromium
pdf: book chromium
	$(BIN)/python -m contrat_ville.publish.pdf --site book/_build/html

## bench: speed figures (clean run, no-op, one change, naive papermill loop, fiches at scale); prints, asserts nothing
bench: env
	$(BIN)/python -m contrat_ville.run.bench

## check-data: validate the raw data only, writing nothing
check-data: env
	$(BIN)/contrat-ville validate $(YEAR_ARG)

## lab: open the notebooks in JupyterLab with the project environment
lab: env
	$(BIN)/jupyter lab notebooks/

## lock: re-resolve requirements.lock after editing pyproject.toml
lock: $(UV)
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 --no-header --quiet -o requirements.lock

## chromium: Debian's Chromium for the browser tests (installed with apt when missing)
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

clean:
	rm -rf build book/_build tests/artifacts
