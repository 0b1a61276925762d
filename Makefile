# esskb: `make site` builds the bundled content into site/, `make test` runs the whole suite.
# Both create .venv from the pinned constraints when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Build into a staging folder; site/ is replaced only when the build succeeded.
site: $(STAMP)
	rm -rf .site.new
	$(BIN)/mkdocs build --strict --site-dir .site.new || { rm -rf .site.new; exit 1; }
	rm -rf .site.old
	if [ -d site ]; then mv site .site.old; fi
	mv .site.new site
	rm -rf .site.old

test: $(STAMP)
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/mkdocs serve

check: $(STAMP)
	$(BIN)/python -m esskb check

clean:
	rm -rf site .site.new .site.old
