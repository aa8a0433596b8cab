"""The protocol as data: flow models (`model`), loading and validation (`validate`), the routing
table (`routing`), its cache (`cache`) and the routing engine (`engine`).

Nothing in this package imports Textual. This module imports nothing, so that the engine and the
cache can be used without loading pydantic or YAML.
"""
