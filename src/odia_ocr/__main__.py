"""`python -m odia_ocr` runs the `odia-ocr` command."""

import sys

from odia_ocr.cli.main import main

sys.exit(main())
