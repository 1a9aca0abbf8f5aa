# The two commands of the README. Each creates the virtualenv and installs the
# project with its test extras, so a fresh machine needs only Python and PyPI.
# With npm, `make test` also installs the pinned Node.js SDK for its test (tests/node);
# run as root with apt-get (a CI machine), it installs Debian's chromium for the HTML
# report's browser test. Without them, those tests skip and say why.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
NODE_STAMP = tests/node/node_modules/.installed
BROWSER_STAMP = $(VENV)/.browser
BROWSERS = chromium chromium-browser google-chrome

.PHONY: demo test lint bench spec clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/node --no-audit --no-fund && touch $(NODE_STAMP); \
	else \
		echo "npm not found: tests/test_node_sdk.py will be skipped"; \
	fi

$(BROWSER_STAMP): $(STAMP)
	@if (for b in $(BROWSERS); do command -v $$b >/dev/null 2>&1 && exit 0; done; exit 1); then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the HTML report's browser test"; \
		apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 \
		     && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } \
		|| echo "chromium could not be installed: the browser test will be skipped"; \
	else \
		echo "no chromium: the HTML report's browser test will be skipped"; \
	fi
	@touch $(BROWSER_STAMP)

demo: $(STAMP)
	$(BIN)/python examples/topic_manager.py
	$(BIN)/python -m pytest -p no:cacheprovider -q examples

lint: $(STAMP)
	$(BIN)/ruff check pytest_ckafka tests tools examples benchmarks
	$(BIN)/ruff format --check pytest_ckafka tests tools examples benchmarks
	$(BIN)/mypy

test: lint $(NODE_STAMP) $(BROWSER_STAMP)
	$(BIN)/python -m pytest -q --doctest-modules pytest_ckafka tests examples

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_fixture.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_matrix.py
	$(BIN)/python benchmarks/bench_replay.py
	$(BIN)/python benchmarks/bench_server.py
	$(BIN)/python benchmarks/bench_state.py
	$(BIN)/python benchmarks/bench_memory.py

spec: $(STAMP)
	$(BIN)/python tools/gen_spec.py ../shared/data
	$(BIN)/python tools/gen_cassettes.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
