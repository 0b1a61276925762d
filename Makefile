# esskb: `make site` builds the bundled content into site/, `make test` runs the whole suite.
# Both create .venv from the pinned constraints when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check stats new-fiche new-case bench clean

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
	$(BIN)/mkdocs serve --dirty

check: $(STAMP)
	$(BIN)/python -m esskb check

stats: $(STAMP)
	@$(BIN)/python -m esskb stats

# Authors: make new-fiche TITLE="Titre de la fiche" [NUMBER=11] [THEME=logement] [SLUG=logement]
#          make new-case TITLE="Titre du cas" REGION=bretagne [FICHE=5] [THEME=culture] [SLUG=...]
# Values set on the command line reach the shell as environment variables, read as "$$TITLE"
# so that quotes and apostrophes in a title need no escaping.
new-fiche: $(STAMP)
	@$(BIN)/python -m esskb new fiche "$$TITLE" $(if $(NUMBER),--number "$$NUMBER") $(if $(THEME),--theme "$$THEME") $(if $(SLUG),--slug "$$SLUG")

new-case: $(STAMP)
	@$(BIN)/python -m esskb new case "$$TITLE" --region "$$REGION" $(if $(FICHE),--fiche "$$FICHE") $(if $(THEME),--theme "$$THEME") $(if $(SLUG),--slug "$$SLUG")

# Benchmark (several minutes, not part of `make test`): synthetic corpora of 1,000, 3,000 and
# 5,000 pages, and plain MkDocs + Material at 1,000; figures in bench/out/, notes in bench/README.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site .site.new .site.old
