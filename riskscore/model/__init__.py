"""The model language: what an index is made of, before any data is read.

- ``types``: the model's frozen objects: indicators, the hierarchy of nodes, their
  operators and rationales (``Model``, ``Node``, ``Indicator`` ...).
- ``loader``: the model file (``config/model.toml``) read into those objects and
  checked with key paths (``load_model``, ``model_from_mapping``).
- ``domains``: the values an indicator can take.
- ``weights``: effective weights and ``--weight`` what-if overrides.
- ``evidence``: what backs a value (evidence items, observations, the article).
- ``timeline``: which dated observation counts on a given date.

Depends only on ``riskscore.support`` and ``riskscore.errors``.
"""
