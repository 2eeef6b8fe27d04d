"""The library: what ``import riskscore`` offers, one function per task.

::

    import riskscore
    result = riskscore.assess("model.toml", data=frame)   # or a mapping, a metadata frame
    result["Tajikistan"]["score"]; result.to_frame(); result.contributions_frame()
    riskscore.sensitivity(result, samples=2000, seed=1).to_frame()
    riskscore.audit(result).to_frame()
    riskscore.compare(before, after).to_frame()
    riskscore.trend(result, ["2020", "2021"]).to_frame()
    coinr = riskscore.from_coinr("iData.csv", "iMeta.csv")   # COINr's two tables

Only ``assess`` looks at the current folder, and only for what it is not given: the
project (``riskscore.toml``) found by ``Project.find()`` supplies the model and the
inputs. Every error names the Python parameter at fault (``ArgumentError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskscore.errors import ArgumentError
from riskscore.inputs.project import Project

if TYPE_CHECKING:
    from riskscore.analyses.audit.findings import AuditResult
    from riskscore.analyses.compare import Comparison
    from riskscore.analyses.sensitivity import SensitivityResult
    from riskscore.analyses.trend import Trend
    from riskscore.analyses.weights.derive import Derivation
    from riskscore.engine.assessment import Assessment
    from riskscore.engine.pipeline import DataSpec, ModelSpec, ProfilesSpec
    from riskscore.inputs.coinr import CoinrIndex


def assess(model: ModelSpec | None = None, *, data: DataSpec | None = None,
           profiles: ProfilesSpec | None = None, sheet: str | None = None,
           article: Path | str | None = None, weights: Mapping[str, float] | None = None,
           sources: str = "all", as_of: dt.date | str | None = None,
           known_at: dt.date | str | None = None,
           project: Project | Path | str | None = None) -> Assessment:
    """Score an index: the model, and its data (or profiles).

    ``model``: a model file's path, a mapping with its structure
    (``{"index": {...}, "indicators": {...}}``), a metadata DataFrame (one row per
    indicator and node: id, parent, weight, direction, lower, upper ...) or a ``Model``.
    ``data``: a table's path (.csv, .xlsx) or a pandas DataFrame (entity ids in its
    ``entity`` column, else its index); or ``profiles``: a directory of profile files, or
    profiles as Python data (a mapping of names to mappings with a profile file's
    structure). What is not given comes from ``project`` (a ``Project`` or its folder;
    default: ``Project.find()`` from the current folder).
    ``weights`` what-if shares of the parent by node id; ``sources`` "all" or "article";
    ``as_of`` and ``known_at`` dates (or "YYYY", "YYYY-MM", "YYYY-MM-DD").
    """
    from riskscore.engine.pipeline import assess as score_inputs

    if profiles is not None and data is not None:
        raise ArgumentError("data", "is given together with profiles",
                            "either profiles or a data table")
    if model is None or (profiles is None and data is None):
        found = (project if isinstance(project, Project) else
                 Project.open(project) if project is not None else Project.find())
        model = model if model is not None else found.get("model")
        if profiles is None and data is None:
            data = found.get("data")
            if data is None:
                profiles = found.get("profiles")
                article = article or found.get("article")
    if model is None:   # a project names a model by default, but a file may say model = ""
        raise ArgumentError("model", "is not given and the project names none",
                            "a model (path, mapping, metadata DataFrame or Model)")
    return score_inputs(model, profiles=profiles, data=data, sheet=sheet, article=article,
                        weights=weights, weights_source="weights", sources=sources,
                        as_of=_date("as_of", as_of), known_at=_date("known_at", known_at))


def sensitivity(result: Assessment, *, samples: int | None = None, seed: int | None = None,
                top_k: int | None = None, settings: Path | str | None = None,
                ) -> SensitivityResult:
    """Monte Carlo rank intervals, Sobol indices and weight tipping points of ``result``.

    ``settings``: a sensitivity settings file (what varies; default: the built-in
    settings); ``samples``, ``seed`` and ``top_k`` override its ``[run]`` values.
    The same seed gives the same result.
    """
    from riskscore.analyses.sensitivity import load_settings, run_sensitivity

    _check_assessment("result", result)
    loaded = load_settings(Path(settings) if settings is not None else None,
                           model_path=result.model.path)
    return run_sensitivity(result, loaded, samples=samples, seed=seed, top_k=top_k)


def audit(result: Assessment) -> AuditResult:
    """Every check of ``riskscore audit`` on a scored ``result``: ranges, statistics,
    evidence, preparation and missing data."""
    from riskscore.analyses.audit import audit_assessment

    _check_assessment("result", result)
    return audit_assessment(result)


def compare(before: Assessment, after: Assessment) -> Comparison:
    """Each entity's change from ``before`` to ``after``, attributed exactly (Shapley) to
    the data, coverage and method changes between the two editions."""
    from riskscore.analyses.compare import compare as compare_editions

    _check_assessment("before", before)
    _check_assessment("after", after)
    return compare_editions(before, after)


def trend(result: Assessment, dates: Iterable[dt.date | str], *,
          known_at: dt.date | str | None = None, every: str = "year") -> Trend:
    """``result``'s model and inputs scored on each of ``dates`` (as known on
    ``known_at``, if given; otherwise everything known today)."""
    from riskscore.analyses.trend import trend as score_dates

    _check_assessment("result", result)
    days = [_date("dates", d) for d in dates]
    if not days:
        raise ArgumentError("dates", "is empty", "at least one date")
    return score_dates(result.model, result.inputs, [d for d in days if d is not None],
                       sources=result.sources, known_at=_date("known_at", known_at),
                       every=every)


def from_coinr(idata: Any, imeta: Any, *, denominate: bool = False) -> CoinrIndex:
    """An index from COINr's two input tables (each a CSV path or a DataFrame).

    Returns a ``CoinrIndex``: ``.model`` (a mapping with the model file's structure) and
    ``.to_frame()`` (the data table); ``riskscore.assess(index.model,
    data=index.to_frame())`` scores it with COINr's default build (min-max 0-100,
    arithmetic means). ``denominate`` divides each indicator by its iMeta denominator.
    Raises DataError naming the table, row and column of what does not follow COINr.
    """
    from riskscore.inputs.coinr import read_coinr

    return read_coinr(idata, imeta, denominate=denominate)


def weights(result: Assessment, method: str, *, node: str | None = None,
            judgements: Path | str | None = None) -> Derivation:
    """Weights for the children of ``node`` (default: the index) derived by ``method``
    (``equal``, ``pca``, ``entropy``, ``critic``, ``optimised``, ``bod``, or ``budget`` /
    ``ahp`` with a ``judgements`` file), as ``riskscore weights METHOD`` derives them."""
    from riskscore.analyses.weights.derive import derive

    _check_assessment("result", result)
    return derive(method, result, node,
                  judgements=Path(judgements) if judgements is not None else None)


def _date(parameter: str, value: dt.date | str | None) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    from riskscore.model.timeline import parse_period

    try:
        return parse_period(str(value))
    except ValueError:
        raise ArgumentError(parameter, f"is {value!r}",
                            "a date, or text YYYY, YYYY-MM or YYYY-MM-DD") from None


def _check_assessment(parameter: str, value: object) -> None:
    from riskscore.engine.assessment import Assessment

    if not isinstance(value, Assessment):
        raise ArgumentError(parameter, f"is a {type(value).__name__}",
                            "an Assessment, as riskscore.assess returns")
