"""The app's screens: home (cases), the step wizard, and the modals (help, contacts, who are you).

Each module is imported only when its screen is first shown, to keep start-up lean.
"""
