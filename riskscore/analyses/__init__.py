"""Analyses of an assessment: how sure, why, and what changed.

- ``explain``: one entity's score traced to its values, steps and evidence.
- ``validation``: everything ``score`` would reject, found in one run.
- ``audit``: statistical, evidence, missing-data and range checks.
- ``sensitivity``: Monte Carlo rank intervals, Sobol indices and tipping points.
- ``compare``: the change between two runs attributed to data, coverage and method.
- ``trend``: scores over time.

Depends on ``riskscore.engine`` and below.
"""
