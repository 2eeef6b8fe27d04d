"""riskscore: a transparent composite-index and policy-risk scoring engine.

The library, for data already in memory::

    import riskscore
    result = riskscore.assess("model.toml", data=frame)   # a path, mapping or metadata frame
    result                          # <Assessment 'index': 4 entities, ... 1. Tajikistan 53.1, ...>
    result["Tajikistan"]["score"]   # one entity's result, by name or ISO3 code
    result.to_frame()               # the ranked table (Int64 ranks)
    result.contributions_frame()    # each indicator's part of each score
    riskscore.sensitivity(result, samples=2000, seed=1).to_frame()

Without a model or inputs, ``assess`` reads the project (``riskscore.toml``) that
``riskscore.Project.find()`` finds from the current folder. Names are imported on
first use, so ``import riskscore`` (and ``riskscore --help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskscore._version import __version__

if TYPE_CHECKING:
    from typing import Any

# public name -> the module that defines it
_PUBLIC = {
    "assess": "riskscore.api",
    "sensitivity": "riskscore.api",
    "audit": "riskscore.api",
    "compare": "riskscore.api",
    "trend": "riskscore.api",
    "weights": "riskscore.api",
    "from_coinr": "riskscore.api",
    "Project": "riskscore.inputs.project",
    "Assessment": "riskscore.engine.assessment",
    "Model": "riskscore.model.types",
    "load_model": "riskscore.model.loader",
    "model_from_mapping": "riskscore.model.loader",
    "score": "riskscore.engine.pipeline",
    "Direction": "riskscore.model.choices",
    "Normalisation": "riskscore.model.choices",
    "Aggregation": "riskscore.model.choices",
    "MissingPolicy": "riskscore.model.choices",
    "Imputation": "riskscore.model.choices",
    "RiskscoreError": "riskscore.errors",
    "ConfigError": "riskscore.errors",
    "DataError": "riskscore.errors",
    "EvidenceError": "riskscore.errors",
    "ArgumentError": "riskscore.errors",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:  # lazy: `riskscore --help` must not import numpy
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'riskscore' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public API (what completion offers)."""
    return sorted(__all__)
