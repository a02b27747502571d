# Entry points. `make book` and `make test` do all set-up themselves (see README).
PYTHON ?= python3
YEAR ?= 2018
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export PYTHONHASHSEED := 0

.PHONY: env book test check-data lab lock chromium clean bench pdf

NODE_MODULES := node_modules/.package-lock.json

## env: project-local environment from the lock files (reinstalled when a lock changes):
## Python packages in .venv, npm packages of the tests (axe-core) in node_modules
env: $(BIN)/.installed $(NODE_MODULES)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.installed: requirements.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --clear --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

# npm ci: exactly what package-lock.json pins (no registry host is recorded there, see .npmrc)
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## book: validate data/raw, run the notebooks with papermill, build the HTML book
book: env
	$(BIN)/contrat-ville run --year $(YEAR)
	@echo "Open the book: file://$(CURDIR)/book/_build/html/index.html"

## test: the whole test suite (schemas, indicators, pipeline, book, browser)
test: env chromium
	$(BIN)/python -m pytest

## pdf: the whole book as one PDF (cover, contents, every chapter), printed offline by Chromium
pdf: book chromium
	$(BIN)/python -m contrat_ville.pdf --site book/_build/html

## bench: speed figures (clean run, no-op, one change, naive papermill loop, fiches at scale); prints, asserts nothing
bench: env
	$(BIN)/python -m contrat_ville.bench

## check-data: validate the raw data only, writing nothing
check-data: env
	$(BIN)/contrat-ville validate --year $(YEAR)

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
