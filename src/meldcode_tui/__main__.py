"""`python -m meldcode_tui` runs the `meldcode` command."""

import sys

from meldcode_tui.cli import main

sys.exit(main())
