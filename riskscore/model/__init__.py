"""The model language: what an index is made of, before any data is read.

- ``definition``: the model file (``config/model.toml``): indicators, the hierarchy of
  nodes, their operators and rationales, loaded and checked with key paths.
- ``domains``: the values an indicator can take.
- ``weights``: effective weights and ``--weight`` what-if overrides.
- ``evidence``: what backs a value (evidence items, observations, the article).
- ``timeline``: which dated observation counts on a given date.

Depends only on ``riskscore.support`` and ``riskscore.errors``.
"""
