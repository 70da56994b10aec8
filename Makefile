# clipnb: two commands for a fresh machine (see README.md)
#   make demo   set up .venv (pinned) when missing, then run the main job
#   make test   same set-up, then every test (notebooks, slow cells, pytest, docs in a browser)
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
PY    := $(BIN)/python
STAMP := $(VENV)/.installed
NBDEV_SKIP := --skip_folder_re '^(experiments|[_.].*)$$'
export PYTHONUNBUFFERED := 1
export MPLBACKEND := Agg

.PHONY: setup demo figures test test-sync test-nbs test-py test-experiments docs readme browser lock clean

setup: $(STAMP)

$(STAMP): requirements.lock setup.py settings.ini
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

# The main job: baseline vs TAF on the synthetic benchmark (3 seeds), figures/taf_vs_baseline.png.
demo: setup
	$(PY) tools/run_experiments.py taf_vs_baseline --log-output

# Every experiment notebook at its default (quick) preset, into figures/ (what is committed there).
figures: setup
	$(PY) tools/run_experiments.py

# Headless Chromium for the docs-site test (Debian's package, as root on CI machines).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Notebooks and package must agree: exporting or cleaning may change nothing.
test-sync: setup
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	@git diff --exit-code --stat -- clipnb nbs || { echo "nbdev_export/nbdev_clean changed files: run them and commit"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- clipnb nbs)" || { git status --porcelain -- clipnb nbs; echo "untracked files in clipnb/ or nbs/"; exit 1; }

test-nbs: setup
	$(BIN)/nbdev_test --n_workers 2 --flags slow --timing $(NBDEV_SKIP)

test-py: setup browser
	$(BIN)/pytest -q tests

# Every experiment notebook at the smoke preset, then at its default preset with fresh runs, both into build/
# (never figures/, so the tree stays clean).
test-experiments: setup
	$(PY) tools/run_experiments.py --preset smoke --out_dir build/smoke --runs_dir build/smoke-runs
	rm -rf build/runs
	$(PY) tools/run_experiments.py --out_dir build/figures --runs_dir build/runs

test: test-sync test-nbs test-py test-experiments

# The docs site in _docs/, offline (Quarto cannot be installed here): tools/build_docs.py executes the
# notebooks, applies nbdev's own docs processors (what nbdev_proc_nbs does) into _proc/ and renders them with
# mkdocs-jupyter. Not nbdev_proc_nbs itself: without Quarto it runs sudo and `pip install -e .[dev]` with the
# first pip on PATH. nbdev_export first: show_doc reads the exported modules.
docs: setup
	$(BIN)/nbdev_export
	$(PY) tools/build_docs.py

# README.md is generated from nbs/index.ipynb (tests/test_readme.py checks they agree).
readme: setup
	$(PY) tools/make_readme.py

lock: setup
	$(BIN)/pip freeze --exclude-editable | sed '1i # Pinned environment for `make demo` / `make test` (pip freeze of a working .venv). Regenerate with `make lock`.' > requirements.lock

clean:
	rm -rf _proc _docs site .pytest_cache
