# Two commands do everything: `make course` (learners) and `make test` (everything CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# enables the live-poll server extension under jupyter lab/server; the install puts it in the environment's
# etc/jupyter (pyproject.toml, shared-data), so a change to it means installing again
LIVE_CONFIG := jupyter-config/jupyter_server_config.d/hnscc_edu.live.json
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_PORT ?= 8888
VOILA_PORT ?= 8866
# test processes of make test (pytest-xdist, whole files per process): on this 2-core machine three take 9-11 minutes
# where one takes 14 (README, "Two commands"); `make test TEST_PROCESSES=0` runs everything in this one process
TEST_PROCESSES ?= 3

.PHONY: env course present hub system-packages test check validate inventory notebooks clean

$(STAMP): pyproject.toml $(LIVE_CONFIG)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

env: $(STAMP)  ## create the environment when missing (or when pyproject.toml changed)

# The course opens as pages, not code: JupyterLab's server shows the start notebook through Voila's server extension
# (/voila/render/...: run, code hidden, links to the modules open the same way). JupyterLab itself stays at /lab.
START_PAGE := /voila/render/00_start_here.ipynb
LAB_ARGS ?=

course: env  ## learners: the course's start page, rendered (JupyterLab at /lab on the same server)
	cd notebooks && $(CURDIR)/$(BIN)/jupyter lab --port=$(LAB_PORT) $(ROOT_FLAG) \
		--LabApp.default_url=$(START_PAGE) $(LAB_ARGS)

present: env  ## faculty: Voila dashboards of notebooks/ (settings in voila.json: lab template, no sources, culling)
	$(BIN)/voila notebooks/ --port=$(VOILA_PORT) --no-browser

hub: env  ## providers: a JupyterHub with the course on 127.0.0.1:8000 (deploy/jupyterhub_config.py); Ctrl-C stops it
	$(BIN)/python scripts/hub.py

system-packages:  ## Debian's chromium and postgresql for the tests, installed when missing
	bash scripts/system_packages.sh

check: env  ## the edit loop: layers contract, ruff, unit and content tests (no servers, no browsers); `make test`: all
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q tests/unit tests/content

test: env system-packages  ## layers contract, ruff; unit, content, store (SQLite, PostgreSQL), nbval and browser tests
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder --durations=25 --nbval-lax --nbval-current-env tests notebooks

validate: env
	$(BIN)/hnscc-edu validate

inventory: env
	$(BIN)/hnscc-edu inventory --json

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

notebooks: env  ## re-run the notebooks and keep only the outputs nbval checks
	$(BIN)/python scripts/refresh_notebook_outputs.py
