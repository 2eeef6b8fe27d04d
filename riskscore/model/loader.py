"""The model file reader: ``config/model.toml`` (or a mapping of the same shape) into a Model.

``load_model`` parses the file into the frozen objects of ``riskscore.model.types`` and
rejects anything it does not understand, naming the key path; ``model_from_mapping``
reads the same structure given as Python data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from riskscore.errors import ConfigError
from riskscore.model.columns import Columns, read_columns
from riskscore.model.domains import NAMED_DOMAINS, Domain
from riskscore.model.timeline import MaxAge
from riskscore.model.types import (
    AGGREGATIONS,
    DERIVATIONS,
    DIRECTIONS,
    FLAG_TESTS,
    FLAG_VALUES,
    IMPUTATIONS,
    MAX_SHAPLEY_CHILDREN,
    MEANS,
    MISSING_POLICIES,
    NORMALISATIONS,
    RESCALES,
    ROLES,
    TIE_RULES,
    TRANSFORMS,
    TREATMENTS,
    ZERO_RULES,
    Accept,
    Flag,
    Indicator,
    Model,
    Node,
    ScoreClass,
    Treatment,
)
from riskscore.model.weight_sets import read_weight_sets
from riskscore.support.checks import (
    ID_EXPECTED,
    goalposts_problem,
    id_problem,
    transform_expected,
    transform_problem,
)
from riskscore.support.problems import Collector, collector_or_raise
from riskscore.support.tomlio import Section, describe, read_toml


def model_from_mapping(mapping: Mapping[str, Any], collector: Collector | None = None, *,
                       name: str = "model", base: Path | str | None = None,
                       columns: Section | None = None) -> Model:
    """The model described by ``mapping``: the structure of a model file, as Python data.

    ``{"index": {...}, "nodes": {...}, "indicators": {...}}`` is read with the same rules
    and messages as the file (tuples are read as lists); messages name ``name`` (the
    Python parameter) where they would name the file. Paths inside it (``registry``) are
    relative to ``base`` (default: the current folder). The model's sha256 is that of
    the mapping's canonical JSON.
    """
    import json

    raw = _plain(mapping, name)
    if not isinstance(raw, dict):
        raise ConfigError("argument", name, f"is {describe(raw)}",
                          "a mapping with the model file's structure ({'index': ..., "
                          "'indicators': ...})")
    text = json.dumps(raw, sort_keys=True, default=str).encode()
    return load_model(Path(base or ".") / name, collector, columns=columns,
                      _raw=(raw, hashlib.sha256(text).hexdigest()))


def _plain(value: Any, where: str) -> Any:
    """``value`` as TOML would give it: dicts with text keys, lists, plain scalars."""
    import numbers

    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    if isinstance(value, str):
        return str(value)            # an enum member (Direction.LOWER_IS_RISKIER) as its text
    if isinstance(value, bool | dt.date) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "item"):   # a numpy scalar
        return _plain(value.item(), where)
    return value


def load_model(path: Path, collector: Collector | None = None, *,
               columns: Section | None = None,
               _raw: tuple[dict[str, Any], str] | None = None) -> Model:
    """Read, validate and return the model in ``path``.

    Raises ConfigError naming the file and key path for: malformed TOML, unknown
    keys, unknown parents, cycles, empty nodes, negative weights, all-zero sibling
    weights, goalposts that are not increasing, or a log transform of a non-positive
    goalpost. With a collecting ``collector`` (see ``riskscore.support.problems``), each bad
    index key, node, indicator or accepted finding is recorded and left out, and
    the model built from the rest (the ids left out are in ``invalid_ids``); only a
    file that cannot be read or a hierarchy that cannot be built still raises.

    ``columns`` is a project file's ``[columns]`` table: when given it replaces the
    model's own (``index.groups`` still joins its groups).
    """
    collect = collector_or_raise(collector)
    columns_table = columns
    path = Path(path)
    raw = read_toml(path, ConfigError) if _raw is None else _raw[0]
    top = Section(raw, path, "", ConfigError, collect)
    index = top.section("index", required=True)
    def read_root_id() -> str:
        root_id = index.text("id", "index")
        problem = id_problem(root_id)
        if problem:
            index.fail("id", f"{problem} ({root_id!r})", ID_EXPECTED)
        return root_id

    root_id = _take(collect, read_root_id, "index")
    default_coverage = _take(
        collect, lambda: index.number("min_coverage", 0.0, minimum=0, maximum=1), 0.0)

    def read_scale() -> float:
        scale = index.number("scale", 100)
        if not scale > 0:
            index.fail("scale", f"is {scale:g}", "a positive number: 100 (0-100), 10 (0-10) or 1")
        return scale

    scale = _take(collect, read_scale, 100.0)
    root = _take(collect, lambda: _read_node(
        root_id, None, index, default_coverage, label=index.text("label", root_id),
        rationale=index.text("rationale"), finish=False),
        Node(root_id, None, root_id, 1.0, "arithmetic", default_coverage))
    missing = _take(collect, lambda: index.text("missing", "reweight", choices=MISSING_POLICIES),
                    "reweight")
    normalisation = _take(collect, lambda: index.text("normalisation", "goalposts",
                                                      choices=NORMALISATIONS), "goalposts")
    index_range = _take(collect, lambda: _read_range(index), None)
    imputation = _take(collect, lambda: index.text("imputation", "none", choices=IMPUTATIONS),
                       "none")
    treatment = _take(collect, lambda: index.text("treatment", "none", choices=TREATMENTS),
                      "none")
    index_groups = _take(collect, lambda: index.text_list("groups"), [])
    floor = _take(collect, lambda: index.number("geometric_floor", 0.01, minimum=1e-12,
                                                maximum=1), 0.01)
    evidence_date = _take(collect, lambda: index.date("evidence_date"), None)
    registry = _take(collect, lambda: index.text("registry"), None)
    max_age = _take(collect, lambda: read_max_age(index), None)
    class_decimals = _take(collect, lambda: index.number("class_decimals", minimum=0,
                                                         maximum=12), None)
    with collect.attempt():
        index.done()
    classes = _take(collect, lambda: _read_classes(top, scale), ())

    invalid: set[str] = set()
    nodes: dict[str, Node] = {root_id: root}
    node_ranges: dict[str, tuple[float, float] | None] = {root_id: index_range}
    for key, sec in _subsections(collect, top, "nodes", invalid):
        with collect.attempt():
            invalid.add(key)
            if key in nodes:
                sec.fail(None, f"repeats the id {key!r}",
                         "ids unique across index, nodes and indicators")
            node_ranges[key] = _read_range(sec)
            nodes[key] = _read_node(key, sec.text("parent", root_id), sec, default_coverage,
                                    label=sec.text("label", key),
                                    weight=sec.number("weight", 1.0, minimum=0),
                                    rationale=sec.text("rationale"))
            invalid.discard(key)

    indicators: dict[str, Indicator] = {}
    for key, sec in _subsections(collect, top, "indicators", invalid):
        with collect.attempt():
            invalid.add(key)
            if key in nodes:
                sec.fail(None, f"repeats the id {key!r}",
                         "ids unique across index, nodes and indicators")
            indicators[key] = _read_indicator(key, sec, root_id, normalisation)
            invalid.discard(key)
    if not indicators:
        raise _consequence(ConfigError(path, "indicators", "declares no indicators" if not
                                       invalid else "has no valid indicator",
                                       "at least one [indicators.ID]"), bool(invalid))
    accepts = _take(collect, lambda: _read_accepts(top.section("audit"), indicators, collect), ())
    treatment_rule = _take(collect, lambda: _read_treatment(top.section("treatment")), Treatment())
    own_columns = _take(collect, lambda: top.section("columns"), None)
    roles: Columns = _take(collect, lambda: read_columns(columns_table if columns_table is not None
                                                  else own_columns, index_groups),
                    Columns(groups=tuple(index_groups)))
    group_columns = roles.groups
    denominators = {}
    for key, sec in _subsections(collect, top, "denominators", invalid):
        with collect.attempt():
            denominators[key] = _read_denominator(key, sec, root_id, nodes, indicators)
    with collect.attempt():
        _check_columns(path, roles, nodes, indicators, denominators)
    denominators.update(_kept_denominators(roles, root_id, indicators, denominators))
    with collect.attempt():
        _check_preparation(path, indicators, denominators, group_columns)
    sets_section = _take(collect, lambda: top.section("weight_sets"), None)
    with collect.attempt():
        top.done()

    children = _children(path, root_id, nodes, indicators, collect, invalid)
    _check_operators(path, root_id, nodes, children)
    weight_sets = _take(collect, lambda: read_weight_sets(sets_section, nodes, indicators,
                                                          children, root_id), {})
    indicators = _inherit_ranges(indicators, nodes, node_ranges)
    return Model(
        path=path, root=root_id,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest() if _raw is None else _raw[1],
        nodes=nodes, indicators=indicators, children=children, scale=scale, missing=missing,
        normalisation=normalisation, geometric_floor=floor, evidence_date=evidence_date,
        registry_path=(path.parent / registry) if registry else None, accepts=accepts,
        invalid_ids=frozenset(invalid), max_age=max_age, classes=classes,
        denominators=denominators, group_columns=group_columns, columns=roles,
        imputation=imputation, treatment=treatment, treatment_rule=treatment_rule,
        class_decimals=None if class_decimals is None else int(class_decimals),
        weight_sets=weight_sets,
        ties=root.ties or "average",
    )


def _read_node(key: str, parent: str | None, sec: Section, default_coverage: float, *,
               label: str, weight: float = 1.0, rationale: str | None = None,
               finish: bool = True) -> Node:
    """A node's aggregation and its parameters; a parameter of another operator is an error."""
    aggregation = sec.text("aggregation", "arithmetic", choices=AGGREGATIONS)
    owners = {"power": "power", "complement": "complement_geometric",
              "multipliers": ("max", "min"), "numerator": "ratio", "denominator": "ratio",
              "zeros": ("geometric", "harmonic", "power")}
    for name, owner in owners.items():
        allowed = (owner,) if isinstance(owner, str) else owner
        if sec.has(name) and aggregation not in allowed:
            sec.fail(name, f"is set on a node whose aggregation is {aggregation!r}",
                     f"{name} only with aggregation " + " or ".join(repr(a) for a in allowed))
    power = sec.number("power")
    if aggregation == "power":
        if power is None:
            sec.fail("power", "is missing", "the exponent p of the power mean, e.g. 2 or -1")
        if power == 0:
            sec.fail("power", "is 0", "a non-zero exponent (p = 0 is aggregation = 'geometric')")
    multipliers: tuple[tuple[str, float], ...] = ()
    raw = sec.raw("multipliers")
    if raw is not None:
        mult = sec._child(raw, sec.keypath("multipliers"))
        multipliers = tuple((child, mult.number(child, 1.0, minimum=0)) for child in list(raw))
        mult.done()
    node = Node(
        id=key, parent=parent, label=label, weight=weight, aggregation=aggregation,
        min_coverage=sec.number("min_coverage", default_coverage, minimum=0, maximum=1),
        rationale=rationale, power=power, complement=sec.number("complement", minimum=0),
        multipliers=multipliers, numerator=sec.text("numerator"),
        denominator=sec.text("denominator"),
        zeros=sec.text("zeros", "floor", choices=ZERO_RULES),
        rescale=sec.text("rescale", choices=RESCALES),
        ties=sec.text("ties", choices=TIE_RULES),
        decimals=read_decimals(sec),
    )
    if finish and node.ties is not None and node.rescale not in ("rank", "percentile"):
        sec.fail("ties", "is set on a node without rescale = 'rank' or 'percentile'",
                 "ties on a node only beside rescale = 'rank' or 'percentile' (the index's "
                 "ties is the default for every rank and percentile)")
    if finish:
        sec.done()
    return node


def _read_treatment(sec: Section | None) -> Treatment:
    if sec is None:
        return Treatment()
    rule = Treatment(skew=sec.number("skew", 2.0, minimum=0),
                     kurtosis=sec.number("kurtosis", 3.5),
                     winmax=int(sec.number("winmax", 5, minimum=0)))
    sec.done()
    return rule


def _read_denominator(key: str, sec: Section, root_id: str, nodes: dict[str, Node],
                      indicators: dict[str, Indicator]) -> Indicator:
    """``[denominators.ID]``: a raw input (column or profile value) that is not scored."""
    if key in nodes or key in indicators:
        sec.fail(None, f"repeats the id {key!r}", "ids unique across nodes, indicators and "
                 "denominators")
    domain = _read_domain(sec) if sec.has("domain") else Domain.named("positive")
    denominator = Indicator(id=key, parent=root_id, label=sec.text("label", key),
                            unit=sec.text("unit", ""), direction="higher_is_riskier",
                            goalposts=(0.0, 1.0), weight=0.0, domain=domain,
                            rationale=sec.text("rationale"), max_age=read_max_age(sec))
    sec.done()
    return denominator


def _check_columns(path: Path, columns: Columns, nodes: dict[str, Node],
                   indicators: dict[str, Indicator], denominators: dict[str, Indicator]) -> None:
    """A column given a role is not also a node, an indicator or a [denominators.ID]."""
    for name in columns.named:
        for table, items in (("indicators", indicators), ("denominators", denominators),
                             ("nodes", nodes)):
            if name in items:
                raise ConfigError(path, f"columns.{columns.role(name)}",
                                  f"names {name!r}, which is also [{table}.{name}]",
                                  "a column in one role: an indicator's column needs no "
                                  "[columns] entry")


def _kept_denominators(columns: Columns, root_id: str, indicators: dict[str, Indicator],
                       denominators: dict[str, Indicator]) -> dict[str, Indicator]:
    """A kept column named as an indicator's ``denominator`` becomes a denominator with no
    domain of its own: any number is read, and a zero or negative one only makes the
    quotient it would divide missing (declare [denominators.ID] to give it a domain)."""
    out = {}
    for ind in indicators.values():
        name = ind.denominator
        if name and name in columns.keep and name not in denominators and name not in out:
            out[name] = Indicator(id=name, parent=root_id, label=name, unit="",
                                  direction="higher_is_riskier", goalposts=(0.0, 1.0),
                                  weight=0.0)
    return out


def _check_preparation(path: Path, indicators: dict[str, Indicator],
                       denominators: dict[str, Indicator], groups: tuple[str, ...]) -> None:
    """Denominators and groups named by indicators exist."""
    for key, ind in indicators.items():
        if ind.denominator is not None and ind.denominator not in denominators:
            raise ConfigError(path, f"indicators.{key}.denominator",
                              f"is {ind.denominator!r}, not a [denominators.ID]",
                              ("one of " + ", ".join(denominators) if denominators
                               else "a [denominators.ID] (none is declared)")
                              + f", or a number column named in [columns] keep = [\"{ind.denominator}\"]")
        if ind.group is not None and ind.group not in groups:
            raise ConfigError(path, f"indicators.{key}.group",
                              f"is {ind.group!r}, not a group column",
                              "a column named in [columns] groups = [...] (or index.groups)")


def _read_range(sec: Section) -> tuple[float, float] | None:
    """``normalised_range = [lower, upper]`` (scale units): where bounded methods map 0-1."""
    spec = sec.raw("normalised_range")
    if spec is None:
        return None
    if not (isinstance(spec, list) and len(spec) == 2):
        sec.fail("normalised_range", "is not a pair", "a pair [lower, upper], e.g. [1, 10]")
    lower = sec.check_number("normalised_range", spec[0])
    upper = sec.check_number("normalised_range", spec[1])
    if not lower < upper:
        sec.fail("normalised_range", f"is [{lower:g}, {upper:g}]", "lower < upper")
    return (lower, upper)


def _inherit_ranges(indicators: dict[str, Indicator], nodes: dict[str, Node],
                    ranges: dict[str, tuple[float, float] | None]) -> dict[str, Indicator]:
    """An indicator without its own range takes the nearest ancestor's (node, then index)."""
    out = {}
    for key, ind in indicators.items():
        found = ind.normalised_range
        parent: str | None = ind.parent
        while found is None and parent is not None:
            found = ranges.get(parent)
            parent = nodes[parent].parent if parent in nodes else None
        if found is not None and (ind.normalisation or "") in ("zscore", "rank"):
            found = None          # unbounded methods keep their own units
        out[key] = ind if found == ind.normalised_range else replace(ind, normalised_range=found)
    return out


def _read_classes(top: Section, scale: float) -> tuple[ScoreClass, ...]:
    """``[[classes]] label, from``: score bands in increasing order, the first from 0."""
    bands: list[ScoreClass] = []
    for sec in top.table_list("classes"):
        label = sec.text("label", required=True)
        lower = sec.number("from", required=True, minimum=0, maximum=scale)
        if bands and lower <= bands[-1].lower:
            sec.fail("from", f"is {lower:g}, not above the previous band's {bands[-1].lower:g}",
                     "bands listed in increasing order of 'from'")
        sec.done()
        bands.append(ScoreClass(label, lower))
    return tuple(bands)


def _check_operators(path: Path, root_id: str, nodes: dict[str, Node],
                     children: dict[str, tuple[str, ...]]) -> None:
    """Rules that need the tree: operands of ratio/invert, multipliers naming children."""
    for key, node in nodes.items():
        where = "index" if key == root_id else f"nodes.{key}"
        kids = children[key]
        if node.aggregation == "invert" and len(kids) != 1:
            raise ConfigError(path, f"{where}.aggregation", f"is 'invert' over {len(kids)} children",
                              "exactly one child: the node is 1 - child (on the 0-1 scale)")
        if node.aggregation == "ratio":
            for name in ("numerator", "denominator"):
                value = getattr(node, name)
                if value is None or value not in kids:
                    raise ConfigError(path, f"{where}.{name}",
                                      "is missing" if value is None else
                                      f"is {value!r}, which is not a child of {key}",
                                      "one of its two children: " + ", ".join(kids))
            if len(kids) != 2 or node.numerator == node.denominator:
                raise ConfigError(path, f"{where}.aggregation", f"is 'ratio' over {len(kids)} "
                                  "children", "exactly two children, numerator and denominator")
        for child, _ in node.multipliers:
            if child not in kids:
                raise ConfigError(path, f"{where}.multipliers.{child}",
                                  f"names {child!r}, which is not a child of {key}",
                                  "one of " + ", ".join(kids))
        if node.aggregation not in (*MEANS, "sum") and len(kids) > MAX_SHAPLEY_CHILDREN:
            raise ConfigError(path, f"{where}.aggregation",
                              f"is {node.aggregation!r} over {len(kids)} children",
                              f"at most {MAX_SHAPLEY_CHILDREN} children for an exact Shapley "
                              "decomposition; group them under intermediate nodes")


def _consequence(error: ConfigError, follows: bool) -> ConfigError:
    """``error``, marked ``consequential`` when it only follows from errors already recorded
    (``Collector.raise_errors`` then leaves it out)."""
    error.consequential = follows   # type: ignore[attr-defined]
    return error


def _take(collect: Collector, read: Callable[[], Any], default: Any) -> Any:
    """``read()``, or ``default`` once its error is recorded (collecting mode)."""
    with collect.attempt():
        return read()
    return default


def _subsections(collect: Collector, top: Section, name: str,
                 invalid: set[str]) -> Iterator[tuple[str, Section]]:
    """``top``'s sub-tables under ``name``; one that is not a table is recorded and skipped."""
    outer = _take(collect, lambda: top.section(name), None)
    for key in (outer.data if outer is not None else {}):
        with collect.attempt():
            invalid.add(key)
            problem = id_problem(key)
            if problem:
                outer.fail(key, f"is an id that {problem}", ID_EXPECTED)
            section = outer.section(key)
            invalid.discard(key)
            yield key, section


def _read_accepts(audit: Section | None, indicators: dict[str, Indicator],
                  collect: Collector) -> tuple[Accept, ...]:
    """``[[audit.accept]]``: code and reason required, indicator and entity optional."""
    if audit is None:
        return ()
    accepts = []
    for sec in audit.table_list("accept"):
        with collect.attempt():
            accepts.append(_read_accept(sec, indicators))
    audit.done()
    return tuple(accepts)


def _read_accept(sec: Section, indicators: dict[str, Indicator]) -> Accept:
    indicator = sec.text("indicator")
    if indicator is not None and indicator not in indicators:
        sec.fail("indicator", f"is {indicator!r}, not an indicator of the model",
                 "one of " + ", ".join(indicators))
    accept = Accept(code=sec.text("code", required=True), reason=sec.text("reason", required=True),
                    indicator=indicator, entity=sec.text("entity"))
    sec.done()
    return accept


def _read_domain(sec: Section) -> Domain | None:
    """``domain`` (a name or a [lower, upper] pair) and ``integer``; None if not declared."""
    spec = sec.raw("domain")
    integer = sec.flag("integer") if sec.has("integer") else None
    if spec is None:
        if integer is not None:
            sec.fail("integer", "is set without domain", "integer only beside a domain")
        return None
    if isinstance(spec, str):
        if spec not in NAMED_DOMAINS:
            sec.fail("domain", f"is {spec!r}", "one of " + ", ".join(repr(n) for n in NAMED_DOMAINS)
                     + ", or a pair [lower, upper]")
        return Domain.named(spec, integer)
    if not (isinstance(spec, list) and len(spec) == 2):
        sec.fail("domain", "is neither a name nor a pair",
                 "a name such as 'percent', or a pair [lower, upper] such as [0, 2]")
    lower = sec.check_number("domain", spec[0])
    upper = sec.check_number("domain", spec[1])
    if not lower < upper:
        sec.fail("domain", f"is [{lower:g}, {upper:g}]", "lower < upper")
    return Domain.between(lower, upper, bool(integer))


def _read_codes(sec: Section) -> tuple[tuple[str, float], ...]:
    """``codes = { yes = 1, no = 0 }``: the number each text of a data table's column stands
    for (``"" = 0`` gives an empty cell a value; without it an empty cell is missing)."""
    raw = sec.raw("codes")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        sec.fail("codes", f"is {describe(raw)}", 'a table of text = number, e.g. '
                 '{ yes = 1, no = 0 } or { x = 1, "" = 0 }')
    folded: dict[str, str] = {}
    codes = []
    for text, value in raw.items():
        key = text.strip()
        if key.casefold() in folded:
            sec.fail(f"codes.{text}", f"repeats the code {folded[key.casefold()]!r} "
                     "(codes are compared ignoring case and surrounding spaces)",
                     "each code once")
        folded[key.casefold()] = text
        codes.append((key, sec.check_number(f"codes.{text}", value)))
    return tuple(codes)


def read_decimals(sec: Section) -> int | None:
    """``round = d``: a whole number of decimals, 0-12 (scale units)."""
    value = sec.number("round", minimum=0, maximum=12)
    if value is None:
        return None
    if value != int(value):
        sec.fail("round", f"is {value:g}", "a whole number of decimals, e.g. 1 or 4")
    return int(value)


def _read_flag(sec: Section) -> Flag | None:
    """``flag = { at_least = 0.9, on = "normalised" }``: exactly one test, and its value."""
    spec = sec.section("flag")
    if spec is None:
        return None
    on = spec.text("on", "normalised", choices=FLAG_VALUES)
    given = [t for t in FLAG_TESTS if spec.has(t)]
    if len(given) != 1:
        spec.fail(None, "gives " + (" and ".join(given) if given else "no threshold"),
                  "exactly one of " + ", ".join(FLAG_TESTS) + ", e.g. { at_least = 0.9 }")
    threshold = spec.number(given[0], required=True)
    spec.done()
    return Flag(test=given[0], threshold=threshold, on=on)


def read_max_age(sec: Section) -> MaxAge | None:
    value = sec.raw("max_age")
    if value is None:
        return None
    try:
        return MaxAge.parse(value)
    except ValueError:
        sec.fail("max_age", f"is {describe(value)}",
                 'an age such as "3y", "18m", "90d", or a whole number of days')
        return None


def _read_indicator(key: str, sec: Section, root_id: str,
                    index_normalisation: str = "goalposts") -> Indicator:
    goalposts = sec.raw("goalposts")
    method = sec.data.get("normalisation") or index_normalisation
    codes = _read_codes(sec)
    values = sorted({value for _, value in codes})
    if goalposts is None and method == "goalposts" and len(values) >= 2:
        goalposts = [values[0], values[-1]]   # a coded indicator spans its codes
    given = goalposts is not None or method == "goalposts"
    if not given:   # min-max, z-score, rank, percentile and target scale by the data
        goalposts = [math.nan, math.nan]
    elif not (isinstance(goalposts, list) and len(goalposts) == 2):
        sec.fail("goalposts", "is missing or not a pair" if goalposts is not None else
                 "is missing", "a pair [lower, upper], e.g. [0, 100] (only normalisation = "
                 "'goalposts' needs them; minmax, zscore, rank, percentile and target do not)")
    lower = sec.check_number("goalposts", goalposts[0]) if given else math.nan
    upper = sec.check_number("goalposts", goalposts[1]) if given else math.nan
    if given and not lower < upper:
        sec.fail("goalposts", f"is [{lower:g}, {upper:g}]", "lower < upper")
    transform = sec.text("transform", choices=TRANSFORMS)
    if given and (problem := goalposts_problem(lower, upper, transform)):
        in_domain = transform is None or not (transform_problem(lower, transform)
                                              or transform_problem(upper, transform))
        sec.fail("goalposts", problem, "lower < upper with a finite difference" if in_domain
                 else "goalposts that are each " + transform_expected(transform))
    derive = sec.text("derive", choices=DERIVATIONS)
    roles = tuple(sec.text_list("roles", list(ROLES) if derive else []))
    for role in roles:
        if role not in ROLES:
            sec.fail("roles", f"contains {role!r}", "roles from " + ", ".join(ROLES))
    countries = tuple(sec.text_list("countries"))
    if not derive and (sec.has("roles") or countries):
        sec.fail("roles" if sec.has("roles") else "countries", "is set without derive",
                 "roles and countries only on derived indicators")
    domain = _read_domain(sec)
    absent_value = sec.number("absent_value")
    normalisation = sec.text("normalisation", choices=NORMALISATIONS)
    target = sec.number("target")
    if (normalisation == "target") != (target is not None):
        sec.fail("target" if target is not None else "normalisation",
                 "is set without normalisation = 'target'" if target is not None
                 else "is 'target' without a target value", "normalisation = 'target' with target")
    imputation = sec.text("imputation", choices=IMPUTATIONS)
    group = sec.text("group")
    if (imputation in ("group_mean", "group_median")) != (group is not None):
        sec.fail("group" if group is not None else "imputation",
                 "is set without a group imputation" if group is not None
                 else f"is {imputation!r} without a group", "imputation = 'group_mean' or "
                 "'group_median' with group = <a column of index.groups>")
    denominator = sec.text("denominator")
    per = sec.number("per", 1.0)
    if sec.has("per") and denominator is None:
        sec.fail("per", "is set without a denominator", "per only beside denominator")
    if per is not None and per <= 0:
        sec.fail("per", f"is {per:g}", "a positive multiplier, e.g. 1000 for 'per 1000'")
    normalised_range = _read_range(sec)
    if normalised_range is not None and normalisation in ("zscore", "rank"):
        sec.fail("normalised_range", f"is set with the unbounded normalisation {normalisation!r}",
                 "a range only with goalposts, minmax, percentile or target")
    indicator = Indicator(
        id=key, parent=sec.text("parent", root_id), label=sec.text("label", key),
        unit=sec.text("unit", ""), direction=sec.text("direction", "higher_is_riskier",
                                                      choices=DIRECTIONS),
        goalposts=(lower, upper), weight=sec.number("weight", 1.0, minimum=0),
        transform=transform, short=sec.text("short"), derive=derive, roles=roles,
        countries=countries, domain=domain, absent_value=absent_value,
        rationale=sec.text("rationale"),
        max_age=read_max_age(sec), normalisation=normalisation, target=target,
        normalised_range=normalised_range, denominator=denominator, per=per or 1.0,
        imputation=imputation, group=group,
        treatment=sec.text("treatment", choices=TREATMENTS), codes=codes,
        goalposts_given=given,
        ties=sec.text("ties", choices=TIE_RULES), decimals=read_decimals(sec),
        flag=_read_flag(sec),
    )
    if indicator.ties is not None and (normalisation or "") not in ("rank", "percentile", ""):
        sec.fail("ties", f"is set with normalisation = {normalisation!r}",
                 "ties only with normalisation 'rank' or 'percentile'")
    if absent_value is not None and derive:
        sec.fail("absent_value", "is set on a derived indicator",
                 "absent_value only on indicators that profiles give values for")
    no_risk = indicator.no_risk_value
    where = "absent_value" if absent_value is not None else "goalposts"
    if no_risk is None:
        sec.done()
        return indicator
    if domain is not None and (problem := domain.problem(no_risk)):
        sec.fail(where, f"gives the documented-absent value {no_risk:g}, which {problem}",
                 "an absent_value inside the domain")
    if transform_problem(no_risk, transform):
        sec.fail(where, f"gives the documented-absent value {no_risk:g} under a {transform} "
                 "transform", "an absent_value that is " + transform_expected(transform))
    sec.done()
    return indicator


def _children(path: Path, root_id: str, nodes: dict[str, Node],
              indicators: dict[str, Indicator], collect: Collector,
              invalid: set[str]) -> dict[str, tuple[str, ...]]:
    orphans = True
    while orphans:  # an item under a parent left out is left out too (said once, at the parent)
        orphans = False
        tables: tuple[tuple[str, dict[str, Any]], ...] = (("nodes", nodes),
                                                          ("indicators", indicators))
        for table, items in tables:
            for key, item in list(items.items()):
                if item.parent is None or item.parent in nodes:
                    continue
                if item.parent not in invalid:
                    collect.error(ConfigError(path, f"{table}.{key}.parent",
                                              f"is {item.parent!r}, which is not a node",
                                              "one of " + ", ".join(sorted(nodes))))
                del items[key]
                invalid.add(key)
                orphans = True
    if not indicators:
        raise _consequence(ConfigError(path, "indicators", "has no valid indicator",
                                       "at least one [indicators.ID]"), True)
    children: dict[str, list[str]] = {key: [] for key in nodes}
    for items in (nodes, indicators):
        for key, item in items.items():
            if item.parent is not None:
                children[item.parent].append(key)
    for key in nodes:  # every node must reach the root without a cycle
        seen = {key}
        parent = nodes[key].parent
        while parent is not None:
            if parent in seen:
                raise ConfigError(path, f"nodes.{key}.parent", "forms a cycle",
                                  "a tree rooted at the index")
            seen.add(parent)
            parent = nodes[parent].parent
    for key, kids in children.items():
        where = "index" if key == root_id else f"nodes.{key}"
        if not kids:   # after children left out for their own errors, it follows from them
            raise _consequence(ConfigError(path, where, "has no children",
                                           "at least one node or indicator"), bool(invalid))
        total = sum((nodes.get(k) or indicators[k]).weight for k in kids)
        if total <= 0:
            raise ConfigError(path, where, "has children whose weights are all zero",
                              "at least one positive weight among " + ", ".join(kids))
    return {key: tuple(kids) for key, kids in children.items()}
