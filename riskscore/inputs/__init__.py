"""Reading an index's inputs: the project, profiles, registry, documents and data tables.

- ``project``: finding ``riskscore.toml`` and the files it names; ``skeleton``: ``init --blank``.
- ``profiles``, ``registry``, ``documents``: evidence-backed country profiles, the
  sanctions registry and the documents quotes are checked against.
- ``datatable``, ``spreadsheet``: tables of numbers (CSV, xlsx) as an index's input.
- ``derive``: indicator values derived from profiles and the registry.
- ``loading``: all of the above into one set of raw values with their evidence.
- ``extract``: drafting profiles from an article (``riskscore extract``).

Depends on ``riskscore.model`` and below.
"""
