"""The command line: a thin layer that parses options, calls the library, formats the result.

``main`` holds the ``riskscore`` group and the core commands (score, explain,
validate); the heavier commands live in their own modules and are imported only
when run. ``options`` holds the options and helpers the commands share.
"""
