"""``riskscore audit``: review a model and its data without changing them.

One module per family of checks, each a function of the ``Assessment``:
``ranges`` (goalposts and domains), ``statistics`` (coherence of the indicators),
``evidence`` (double counting, time leakage, judgements, single sources) and
``missing`` (score intervals, coverage cliffs, re-weighting). ``findings`` holds
the ``Finding`` type, the codes and the model's accepted findings::

    from riskscore.analyses.audit import audit
    result = audit("config/model.toml", profiles="seeds/profiles")
    result.strict_failures      # errors and unaccepted warnings
    result.to_dict()            # the JSON contract of `riskscore audit --format json`
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from riskscore.analyses.audit.findings import CODES, AuditResult, Finding, apply_accepts, finding
from riskscore.errors import RiskscoreError
from riskscore.support.problems import Collector, Problem

__all__ = ["CODES", "AuditResult", "Finding", "audit", "audit_assessment"]


def audit(config: Path | str, *, profiles: Path | str | None = None,
          data: Path | str | None = None, sheet: str | None = None,
          article: Path | str | None = None, weights: dict[str, float] | None = None,
          sources: str = "all", as_of: dt.date | None = None, columns=None,
          known_at: dt.date | None = None, weight_set: str | None = None,
          what_if: tuple = ()) -> AuditResult:
    """Load (collecting every input error as a finding), score, and run every check.

    Raises ``RiskscoreError`` only when the audit cannot run at all: the model or
    the inputs cannot be read, or nothing can be scored.
    """
    from riskscore.engine.pipeline import load_inputs, score
    from riskscore.model.loader import load_model
    from riskscore.model.weights import apply_weight_overrides

    collector = Collector()
    from riskscore.model.weight_sets import apply_weight_set

    model = apply_weight_overrides(apply_weight_set(load_model(Path(config), collector,
                                                               columns=columns), weight_set),
                                   weights or {})
    inputs = load_inputs(model, profiles=profiles, data=data, sheet=sheet, article=article,
                         collector=collector)
    if inputs.kind == "profiles" and model.registry_path is not None and inputs.registry is None:
        from riskscore.inputs.registry import load_registry

        load_registry(model.registry_path)   # unreadable: raises the error recorded above
    if not inputs.entities:
        raise RiskscoreError(inputs.source.path, None, "has no entity that could be read",
                             "at least one valid profile or row")
    result = score(model, inputs, sources=sources, as_of=as_of, known_at=known_at,
                   what_if=what_if)
    return audit_assessment(result, collector.errors + collector.warnings)


def audit_assessment(result, problems: list[Problem] | tuple = ()) -> AuditResult:
    """Every check on a scored ``Assessment``; ``problems`` are the loaders' findings."""
    import warnings

    from riskscore.analyses.audit import evidence, missing, preparation, ranges, statistics
    from riskscore.analyses.weights.derive import effective_weights

    findings = [_from_problem(p) for p in problems]
    impossible = {(p.entity, p.indicator) for p in problems if p.code == "out-of-domain"
                  and p.entity is not None and p.indicator is not None}
    # A degenerate statistic is a finding, never a numpy/scipy warning on the terminal.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        findings += ranges.check(result, impossible)
        stat_findings, stat_rows = statistics.check(result)
        findings += stat_findings
        findings += evidence.check(result)
        findings += preparation.check(result)
        intervals = missing.score_intervals(result)
        findings += missing.check(result, intervals)
        effective = effective_weights(result)
        findings += importance_gaps(effective)
    findings += _degenerate(caught)
    findings = apply_accepts(findings, result.model.accepts)
    findings.sort(key=Finding.sort_key)
    return AuditResult(tuple(findings), tuple(stat_rows), tuple(intervals),
                       {**result.inputs_block(), "entities": len(result.entities)},
                       tuple(effective))


def importance_gaps(rows: list[dict]) -> list[Finding]:
    """A note per child whose effective importance is far from its nominal weight (only
    where the entities support a correlation: see statistics.MIN_ENTITIES)."""
    from riskscore.analyses.audit.statistics import MIN_ENTITIES
    from riskscore.analyses.weights.derive import importance_sentence

    return [finding("weight-importance-gap",
                    f"{row['child']} under {row['node']}: {importance_sentence(row)} over "
                    f"{row['entities']} entities",
                    "if the child should count as its weight says, revise the weight (e.g. "
                    "'riskscore weights optimised --node " + row["node"] + "') or say why in "
                    "the node's rationale", indicators=(row["child"],))
            for row in rows if row["far"] and row["entities"] >= MIN_ENTITIES["correlation"]]


def _degenerate(caught: list) -> list[Finding]:
    """One finding per distinct numeric warning a check raised (none reaches the user)."""
    import warnings

    seen: dict[str, Finding] = {}
    for record in caught:
        if not issubclass(record.category, RuntimeWarning):   # not ours to turn into findings
            warnings.warn_explicit(record.message, record.category, record.filename,
                                   record.lineno)
            continue
        module = Path(record.filename).stem
        text = str(record.message).split(". ")[0]
        seen.setdefault(f"{module}: {text}", finding(
            "degenerate-statistic",
            f"a statistic of the {module} checks is undefined on these data ({text}); it is "
            "left out or shown as not computed",
            "nothing to fix if the data are right: it usually means values that are (nearly) "
            "identical or cancel out"))
    return list(seen.values())


def _from_problem(problem: Problem) -> Finding:
    if problem.level == "error":
        fix = (f"make it {problem.fix}" if problem.fix else "correct it") + \
            f" in {Path(problem.source).name}"
    else:
        fix = problem.fix or "review it"
    return finding(problem.code, problem.message if problem.level == "error" else
                   f"{problem.source}" + (f": {problem.key}" if problem.key else "")
                   + f": {problem.problem}", fix, entity=problem.entity,
                   indicators=problem.indicator or (), level=problem.level)
