"""Trainer mode: fictitious demo cases seeded into a temporary data folder.

The cases are data (`cases/*.yaml`), turned into case files by `meldcode_tui.demo.seed`;
`meldcode_tui.demo.session` runs the app on them without touching the real data folder.
"""
