"""riskscore: a transparent, evidence-traced policy-risk scoring engine.

The library API the command line calls::

    import riskscore
    result = riskscore.assess("config/model.toml", profiles="seeds/profiles")
    result.to_frame()          # the ranked table
    result.to_dict()           # the JSON contract
"""

from riskscore._version import __version__

__all__ = ["__version__", "assess", "score", "load_model", "Assessment"]


def __getattr__(name):  # lazy: `riskscore --help` must not import numpy
    if name in ("assess", "score"):
        from riskscore.engine import pipeline

        return getattr(pipeline, name)
    if name == "load_model":
        from riskscore.model.definition import load_model

        return load_model
    if name == "Assessment":
        from riskscore.engine.assessment import Assessment

        return Assessment
    raise AttributeError(name)
