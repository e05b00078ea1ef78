# Two entry points for a fresh Debian machine (see README "Quick start").
VENV ?= .venv
SAMPLE := src/odia_ocr/samples/line-01.png

.PHONY: demo test lint

demo:  ## set up (core, no torch) and read the bundled sample image with the bundled model
	VENV=$(VENV) scripts/setup.sh core
	$(VENV)/bin/odia-ocr read $(SAMPLE)

test:  ## set up everything (train, vlm, serve, dev) and run the whole test suite
	VENV=$(VENV) scripts/setup.sh dev
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/python -m pytest

lint:
	$(VENV)/bin/ruff check src tests benchmarks scripts
