"""Widgets of the app shell: the stepper, the save indicator, the read-only banner and the
step-4 weighing panel. Field widgets live in `meldcode_tui.tui.fields`."""
