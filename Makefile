# The course's two commands for a fresh machine, plus helpers. Each target installs what it needs itself.
#   make lab    set up .venv from the pins and open JupyterLab on the start notebook
#   make test   set up .venv with the test tools, make sure Chromium is there, run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
LAB_STAMP := $(VENV)/.stamp-lab
TEST_STAMP := $(VENV)/.stamp-test
LITE_VENV := .venv-lite
LITE_STAMP := $(LITE_VENV)/.stamp-lite
# The browser edition, and what goes into it: rebuilt by make test and make bench when any of these is newer.
LITE_SITE := _build/lite/index.html
LITE_SOURCES := $(wildcard notebooks/[0-9][0-9]_*.ipynb lite/*) tools/build_lite.py pyproject.toml \
	$(shell find notebooks/coursekit -type f -not -path '*/__pycache__/*' -not -name '*.pyc' 2>/dev/null)
PYODIDE ?=
export PYTHONWARNINGS := ignore::DeprecationWarning
export MPLBACKEND := Agg
PYTEST_ARGS ?=

.PHONY: lint unit lab lite test test-lite outputs bench nbval-3 lock hub-link class-report readme html clean help

help:
	@echo "make lab      open the course in JupyterLab (sets up .venv first)"
	@echo "make lint     ruff and mypy over coursekit, tools and tests (settings in pyproject.toml)"
	@echo "make unit     the fast tier: unit tests without kernels, servers or browsers (under a minute)"
	@echo "make test     run every test (sets up .venv and Chromium first, builds _build/lite if out of date)"
	@echo "make test-lite  only the browser edition's test (JupyterLite in Chromium, offline; part of make test)"
	@echo "make outputs  build notebooks/*.ipynb from lessons/*.md and execute them (stored outputs are the baseline)"
	@echo "make html     static offline copy of the course in _build/html"
	@echo "make lite     the course in the browser (JupyterLite + Pyodide, no server) in _build/lite"
	@echo "              [PYODIDE=pyodide-0.27.x.tar.bz2 or folder: an official Pyodide distribution to use]"
	@echo "make bench    time every notebook and explorer (kernel and browser), and the browser edition's first"
	@echo "              visit (bytes, kernel ready, first widget; cold and warm); writes bench/results/"
	@echo "make hub-link HUB=https://hub.example.org   print an nbgitpuller link for a JupyterHub"
	@echo "make class-report DIR=folder   the class view of learners' progress files (class-report/index.html)"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; print(f"Python {v[0]}.{v[1]}" + ("" if v == (3, 11) else " (the course is pinned and tested on 3.11)"))'
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): requirements.txt constraints.txt $(wildcard jupyter-config/*.json jupyter-config/*/*.json) pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m tools.jupyter_settings install
	@touch $@

$(TEST_STAMP): $(LAB_STAMP) requirements-test.txt constraints.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-test.txt -c constraints.txt
	@touch $@

# The JupyterLite build tools live in their own environment (their front end must not mix with JupyterLab's).
$(LITE_STAMP): requirements-lite.txt constraints-lite.txt
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-r requirements-lite.txt -c constraints-lite.txt
	@touch $@

lite: $(LITE_STAMP)
	$(LITE_VENV)/bin/python -m tools.build_lite $(if $(PYODIDE),--pyodide "$(PYODIDE)",)

$(LITE_SITE): $(LITE_STAMP) $(LITE_SOURCES)
	$(LITE_VENV)/bin/python -m tools.build_lite $(if $(PYODIDE),--pyodide "$(PYODIDE)",)

lab: $(LAB_STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(if $(filter 0,$(shell id -u)),--allow-root,) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: $(TEST_STAMP) $(LITE_SITE)
	@CHROMIUM="$$(VENV_PY=$(PY) tools/ensure_chromium.sh)" && export CHROMIUM && echo "Chromium: $$CHROMIUM" && \
	start=$$(date +%s) && \
	$(PY) -m pytest tests notebooks --mpl --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(PYTEST_ARGS); \
	status=$$?; secs=$$(( $$(date +%s) - start )); echo "make test took $$secs s"; \
	mkdir -p test-artifacts && echo "$$secs" > test-artifacts/make_test_seconds.txt; exit $$status

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check notebooks/coursekit tools tests
	$(VENV)/bin/mypy

unit: $(TEST_STAMP)
	@start=$$(date +%s) && \
	$(PY) -m pytest tests -m "not slow and not browser" --mpl -q -p no:cacheprovider $(PYTEST_ARGS); \
	status=$$?; echo "make unit took $$(( $$(date +%s) - start )) s"; exit $$status

test-lite: $(TEST_STAMP) $(LITE_SITE)
	@CHROMIUM="$$(VENV_PY=$(PY) tools/ensure_chromium.sh)" && export CHROMIUM && \
	$(PY) -m pytest tests/test_lite.py -m lite -p no:cacheprovider $(PYTEST_ARGS)

outputs: $(TEST_STAMP)
	$(PY) -m tools.notebook_text build
	$(PY) -m tools.execute_notebooks

bench: $(TEST_STAMP) $(LITE_SITE)
	@CHROMIUM="$$(VENV_PY=$(PY) tools/ensure_chromium.sh)" && export CHROMIUM && \
	start=$$(date +%s) && $(PY) -m tools.bench --browser && $(PY) -m tools.bench_lite && \
	echo "bench took $$(( $$(date +%s) - start )) s (make test time: see the last line of a make test run)"

nbval-3: $(TEST_STAMP)
	for i in 1 2 3; do $(PY) -m pytest notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider -q || exit 1; done

lock: $(TEST_STAMP)
	( echo '# Every package (with dependencies) pinned as tested: `make` installs with `-c constraints.txt`.'; \
	  echo '# Refresh with `make lock` after changing requirements*.txt.'; \
	  $(PIP) freeze --exclude-editable | grep -v '^-e ' ) > constraints.txt

hub-link: $(LAB_STAMP)
	@test -n "$(HUB)" || { echo "usage: make hub-link HUB=https://hub.example.org [NOTEBOOK=01_what_biologics_are.ipynb]"; exit 2; }
	@$(PY) -m tools.hub_link "$(HUB)" $(NOTEBOOK)

class-report: $(LAB_STAMP)
	@test -n "$(DIR)" || { echo "usage: make class-report DIR=/path/to/progress-files [OUT=class-report] [NAMES=1]"; exit 2; }
	$(PY) -m tools.class_report "$(DIR)" --out "$(or $(OUT),class-report)" $(if $(NAMES),--names,)

readme: $(LAB_STAMP)
	$(PY) -m tools.render_readme

html: $(LAB_STAMP)
	$(PY) -m tools.export_html

clean:
	rm -rf $(VENV) $(LITE_VENV) test-artifacts .pytest_cache
