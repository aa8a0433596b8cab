"""The one owner of an open case: intents in, derived state out. No Textual here.

`work.CaseWork` opens a case and applies every change; `rules` holds every rule about a case
(visibility, missing, step states, progress); `registry` resolves the flow a case was recorded with.
"""
