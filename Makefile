# clipnb: two commands for a fresh machine (see README.md); `make help` lists every target, one line each.
#   make demo      set up .venv (pinned) when missing, then the main job: baseline vs TAF (and TAF without its regulariser), 5 seeds (~10 min on 2 cores)
#   make lab       the same set-up, then JupyterLab on the notebooks (prints its URL; widgets work with no extra step)
#   make test      what CI runs, under 20 min on a 2-core CPU from a fresh clone, set-up included: notebooks and package
#                  in sync, every notebook's tests (not the `slow` cells), pytest (docs and JupyterLab in Chromium),
#                  every experiment at `smoke`, and one reproduction check (`make demo`'s seed-0 runs equal
#                  figures/taf_vs_baseline.csv)
#   make figures   every experiment at its default (quick) preset into figures/ (~2.5 h on 2 cores with nothing cached; not in CI)
# A target's line in `make help` is the `## ...` comment on its rule.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
PY    := $(BIN)/python
STAMP := $(VENV)/.installed
NBDEV_SKIP := --skip_folder_re '^(experiments|[_.].*)$$'
export PYTHONUNBUFFERED := 1
export MPLBACKEND := Agg

.PHONY: help setup demo lab figures test test-sync test-nbs test-nbs-slow test-py test-experiments test-demo test-demo-all docs readme browser lock clean

help: ## this list: every target, one line each
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## /{printf "  make %-17s %s\n", $$1, $$2}' Makefile

setup: $(STAMP) ## create .venv with the pinned versions of requirements.lock (again when it, setup.py or settings.ini change)

$(STAMP): requirements.lock setup.py settings.ini
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

# The main job: baseline vs TAF (and TAF without its regulariser) on the synthetic benchmark (5 seeds), figures/taf_vs_baseline.png and .csv. Prints a
# line per run as it starts, every 15 s while it trains and when it ends, then the table by seed and the verdict.
# Reproducing the committed numbers leaves the tree clean (files are rewritten only when their bytes change).
demo: setup ## the main job: baseline vs TAF (and its control) on the synthetic benchmark, 5 seeds (~10 min on 2 cores)
	$(PY) tools/run_experiments.py taf_vs_baseline --log-output

# Every experiment notebook at its default (quick) preset, into figures/ (what is committed there). Runs are cached
# under ~/.cache/clipnb/runs by their settings and the code version, so after a library change every run trains again.
figures: setup ## every experiment at its quick preset into figures/ (~2.5 h on 2 cores with nothing cached; not in CI)
	$(PY) tools/run_experiments.py

# JupyterLab on the repository's notebooks (root: the repository, opening nbs/explore.ipynb), from .venv: its kernel
# imports this checkout's clipnb and ipywidgets render with no extra step. Jupyter prints the URL with its token; no
# browser is opened (remote machines: forward the port, e.g. `ssh -L 8888:localhost:8888`, and open the URL there).
# As root (containers, CI machines) with --allow-root. LAB_ARGS passes options, e.g. `make lab LAB_ARGS='--port=8890 --ip=0.0.0.0'`.
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: setup ## JupyterLab on the notebooks with the pinned set-up, printing its URL (LAB_ARGS='--port=8890 ...')
	$(BIN)/jupyter lab --no-browser --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/nbs/explore.ipynb $(LAB_ROOT) $(LAB_ARGS)

# Headless Chromium for the docs-site test (Debian's package, as root on CI machines).
browser: ## install Debian's chromium for the browser tests (docs site, JupyterLab)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Notebooks and package must agree: exporting or cleaning may change nothing.
test-sync: setup ## check that nbdev_export and nbdev_clean change nothing (notebooks and package agree)
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	@git diff --exit-code --stat -- clipnb nbs || { echo "nbdev_export/nbdev_clean changed files: run them and commit"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- clipnb nbs)" || { git status --porcelain -- clipnb nbs; echo "untracked files in clipnb/ or nbs/"; exit 1; }

# Every notebook's tests, without the cells flagged `slow` (34_taf.tutorial trains 300 steps there: ~7 min alone,
# more than CI's budget allows; `make test-nbs-slow` runs them too, with nbdev_test). tools/build_docs.py runs each
# notebook as nbdev_test does (execnb in the notebook's folder, one process per core; cells flagged `slow`/`cuda` or
# `eval: false` skipped; the first error fails it, naming notebook and cell) and builds the docs site from those runs
# into _docs/. Under `make test`, test-py's browser test opens that site (CLIPNB_DOCS_BUILT=1) instead of running
# every notebook a second time (~3 min saved on 2 cores).
test-nbs: setup ## run every notebook's tests (not `slow` cells) and build the docs site into _docs/
	$(BIN)/nbdev_export
	$(PY) tools/build_docs.py

test-nbs-slow: setup ## run every notebook with its `slow` cells too (nbdev_test; ~10 min more)
	$(BIN)/nbdev_test --n_workers 2 --flags slow --timing $(NBDEV_SKIP)

# Two pytest workers (pytest-xdist), each test file on one of them (its module fixtures, such as the docs server and
# browser, start once), one OpenMP thread per worker: two workers of two threads each on two cores would spin.
test-py: setup browser ## pytest tests/ two files at a time: command lines, end-to-end runs, the docs site and JupyterLab in Chromium
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/pytest -q -n 2 --dist loadfile tests

# Every experiment notebook at the smoke preset with fresh runs, into build/ (never figures/: the tree stays clean). The
# executed copies (build/smoke/executed) are what the docs site's experiment pages check ran, so under `make test` this
# runs before test-nbs, which builds the site.
test-experiments: setup ## every experiment notebook at the smoke preset with fresh runs, two at a time (each its own run cache), into build/smoke
	rm -rf build/smoke build/smoke-runs
	$(PY) tools/run_experiments.py --preset smoke --jobs 2 --out_dir build/smoke --runs_dir build/smoke-runs --executed build/smoke/executed

# The reproduction check: taf_vs_baseline at its default (quick) preset, every run trained again (build/demo-runs), into
# build/demo; its CSV must equal figures/taf_vs_baseline.csv in every number, to the last digit. CI reproduces seed 0 of
# each method (each seed is an independent run; all of them would take most of the budget); test-demo-all every row.
test-demo: setup ## the reproduction check: make demo's seed-0 runs again, equal to figures/taf_vs_baseline.csv
	$(PY) tools/check_demo.py --seeds 0

test-demo-all: setup ## the reproduction check for every seed (~10 min on 2 cores)
	$(PY) tools/check_demo.py

test: export CLIPNB_DOCS_BUILT := 1
test: test-sync test-experiments test-nbs test-py test-demo ## what CI runs: all the test-* targets above but -slow and -all (<20 min on 2 cores)

# The docs site in _docs/, offline (Quarto cannot be installed here): tools/build_docs.py executes the
# notebooks, applies nbdev's own docs processors (what nbdev_proc_nbs does) into _proc/ and renders them with
# mkdocs-jupyter. Not nbdev_proc_nbs itself: without Quarto it runs sudo and `pip install -e .[dev]` with the
# first pip on PATH. nbdev_export first: show_doc reads the exported modules.
docs: setup ## execute the notebooks and build the docs site (mkdocs) into _docs/, offline
	$(BIN)/nbdev_export
	$(PY) tools/build_docs.py

# README.md is generated from nbs/index.ipynb (tests/test_readme.py checks they agree).
readme: setup ## write README.md from nbs/index.ipynb
	$(PY) tools/make_readme.py

lock: setup ## rewrite requirements.lock from the working .venv (pip freeze)
	$(BIN)/pip freeze --exclude-editable | sed '1i # Pinned environment for `make demo` / `make test` (pip freeze of a working .venv). Regenerate with `make lock`.' > requirements.lock

clean: ## remove the docs build (_proc, _docs, site) and pytest caches
	rm -rf _proc _docs site .pytest_cache
