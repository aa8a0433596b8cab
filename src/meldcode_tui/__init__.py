"""meldcode-tui: the school's Meldcode protocol as a terminal wizard with local case files."""

__version__ = "0.1.0"
