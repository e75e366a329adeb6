# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
ONLY ?=

.PHONY: run test lint typecheck pytest x11 venv screenshot bench eval clean long-functions dead-code

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/spanwise $(ARGS)

# `make test`: lint, types, the headless suite, then the same window on a real X server.
test: lint typecheck pytest x11

lint: $(STAMP)
	$(BIN)/ruff check db desktop tests bundle
	$(BIN)/ruff format --check db desktop tests bundle
	$(BIN)/lint-imports --no-cache
	$(MAKE) --no-print-directory dead-code

# Dead code in db/ and desktop/ (vulture); the names that only look unused are listed, each
# with its reason, in tests/structure/vulture_whitelist.py.
dead-code: $(STAMP)
	$(BIN)/vulture db desktop tests/structure/vulture_whitelist.py --min-confidence 60 \
		--exclude "*/migrations/versions/*,*/server_migrations/versions/*"

typecheck: $(STAMP)
	$(BIN)/mypy db desktop

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The X11 suite (tests/desktop/x11): the window on Xvfb with Qt's xcb platform, driven by
# real X key events (xdotool). Without the X server tools it is skipped with one loud line;
# .ci/run installs them, so CI always runs it.
X11_TOOLS := xvfb-run Xvfb xauth xdotool
X11_MISSING = $(strip $(foreach tool,$(X11_TOOLS),$(if $(shell command -v $(tool)),,$(tool))) \
	$(if $(shell /sbin/ldconfig -p 2>/dev/null | grep -F libxcb-cursor.so.0),,libxcb-cursor0))
XVFB := xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24 -nolisten tcp"

x11: $(STAMP)
ifeq ($(X11_MISSING),)
	QT_QPA_PLATFORM=xcb $(XVFB) $(BIN)/python -m pytest tests/desktop/x11
else
	@echo "!!!!! X11 SUITE SKIPPED: $(X11_MISSING) not installed, so the keyboard and dialog tests on a real X server (tests/desktop/x11) did NOT run; apt-get install xvfb xauth xdotool libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 (.ci/run does) !!!!!"
endif

eval: $(STAMP)
	$(BIN)/python -m tests.eval.evaluate

# Every function over 60 lines in db/ and desktop/, longest first (issue 14's measure).
long-functions: $(STAMP)
	$(BIN)/python -m tests.structure.long_functions

# `make bench ONLY=W12,W13,W14` runs only the workloads named.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen SPANWISE_BENCH_ONLY=$(ONLY) $(BIN)/python -m tests.bench.bench

# Every README screenshot, from the real window on Xvfb (xcb), as a user sees it.
screenshot: $(STAMP)
	QT_QPA_PLATFORM=xcb $(XVFB) $(BIN)/python -m tests.readme_screenshot resources/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The long robustness runs (tests/robust); `make test` runs small versions of both.
.PHONY: fuzz crash

fuzz: $(STAMP)
	SPANWISE_FUZZ_INPUTS=10000 SPANWISE_FUZZ_FORMAT_INPUTS=2000 QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -s tests/robust/test_fuzz_json.py \
		tests/robust/test_fuzz_formats.py tests/robust/test_properties.py

crash: $(STAMP)
	SPANWISE_CRASH_KILLS=80 SPANWISE_SYNC_CRASHES=20 QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -s tests/robust/test_crash.py tests/team/test_crash_sync.py

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
