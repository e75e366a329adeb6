# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: run test lint typecheck pytest venv screenshot bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/spanwise $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check db desktop tests
	$(BIN)/ruff format --check db desktop tests

typecheck: $(STAMP)
	$(BIN)/mypy db

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint typecheck pytest

eval: $(STAMP)
	$(BIN)/python -m tests.eval.evaluate

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.bench

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.readme_screenshot resources/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The long robustness runs (tests/robust); `make test` runs small versions of both.
.PHONY: fuzz crash

fuzz: $(STAMP)
	SPANWISE_FUZZ_INPUTS=10000 SPANWISE_FUZZ_FORMAT_INPUTS=2000 QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -s tests/robust/test_fuzz_json.py \
		tests/robust/test_fuzz_formats.py tests/robust/test_properties.py

crash: $(STAMP)
	SPANWISE_CRASH_KILLS=80 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s \
		tests/robust/test_crash.py

# Installing without a Python set-up (README "Install"): the PyInstaller bundle, the wheel, and
# the check of both as a user meets them (.ci/run runs it after `make test`).
.PHONY: dist wheel dist-check
DIST_TOOLS := $(VENV)/.dist-tools

$(DIST_TOOLS): $(STAMP) bundle/requirements.txt
	$(BIN)/python -m pip install --quiet -r bundle/requirements.txt
	touch $(DIST_TOOLS)

dist: $(DIST_TOOLS)
	@start=$$(date +%s); \
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller bundle/spanwise.spec && \
	echo "dist/spanwise: $$(du -sh dist/spanwise | cut -f1), built in $$(( $$(date +%s) - start )) s"

wheel: $(DIST_TOOLS)
	rm -f dist/spanwise-*.whl dist/spanwise-*.tar.gz
	$(BIN)/python -m build --quiet --outdir dist .

dist-check: dist wheel
	$(BIN)/python -m bundle.check_install bundle dist/spanwise
	$(BIN)/python -m bundle.check_install wheel dist/spanwise-*.whl
