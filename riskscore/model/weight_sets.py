"""Named weight sets: ``[weight_sets.NAME]`` in the model file.

A set is an alternative, argued set of weights kept beside the configured ones::

    [weight_sets.experts_2026]
    method = "ahp"                      # how it was derived (or "manual")
    node = "index"                      # the node whose children it weighs (optional)
    date = 2026-12-07
    source = "judgements/ahp.csv"       # the judgements file, or the data
    sha256 = "…"                        # of that source
    derivation = "AHP: principal eigenvector …"
    [weight_sets.experts_2026.weights]
    governance = 0.5
    exposure = 0.3
    debt = 0.2

``--weights NAME`` scores with it. A set that weighs any child of a node must weigh
all of that node's children (its numbers are weights relative to each other, as in
the model). ``append_weight_set`` writes a new set; it never replaces one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskscore.errors import ConfigError, did_you_mean
from riskscore.support.tomlio import Section

if TYPE_CHECKING:
    from riskscore.model.types import Model

NAME = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class WeightSet:
    name: str
    method: str
    weights: dict[str, float]
    node: str | None = None
    date: dt.date | None = None
    source: str | None = None
    sha256: str | None = None
    derivation: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """'NAME (method, date, from source)' for outputs that name the set in use."""
        facts = [self.method]
        if self.date:
            facts.append(self.date.isoformat())
        if self.source:
            facts.append(f"from {self.source}" + (f" sha256 {self.sha256[:12]}" if self.sha256
                                                   else ""))
        return f"{self.name} ({', '.join(facts)})"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "method": self.method, "node": self.node,
                "date": self.date.isoformat() if self.date else None, "source": self.source,
                "sha256": self.sha256, "derivation": self.derivation,
                "weights": dict(self.weights)}


def read_weight_sets(sec: Section | None, nodes: dict[str, Any], indicators: dict[str, Any],
                     children: dict[str, tuple[str, ...]], root: str) -> dict[str, WeightSet]:
    """Every ``[weight_sets.NAME]``, checked against the model's tree."""
    if sec is None:
        return {}
    out = {}
    for name in list(sec.data):
        one = sec.section(name)
        assert one is not None
        if not NAME.fullmatch(name):
            one.fail(None, f"is named {name!r}", "a name of letters, digits, '_' and '-'")
        method = one.text("method", required=True)
        node = one.text("node")
        if node is not None and node not in nodes:
            one.fail("node", f"is {node!r}, not a node of the model", "one of " + ", ".join(nodes))
        raw = one.section("weights", required=True)
        assert raw is not None
        weights: dict[str, float] = {}
        for key in list(raw.data):
            if key not in nodes and key not in indicators or key == root:
                raw.fail(key, "is not a node or indicator below the index"
                         + did_you_mean(key, [*nodes, *indicators]), "a child id of the model")
            weights[key] = raw.number(key, 0.0, minimum=0)   # the key is there: no default
        raw.done()
        parents = {(nodes.get(k) or indicators[k]).parent for k in weights}
        for parent in parents:
            kids = children[parent]
            missing = [k for k in kids if k not in weights]
            if missing:
                raw.fail(None, f"weighs some children of {parent!r} but not "
                         + ", ".join(missing), "every child of a node it weighs")
            if sum(weights[k] for k in kids) <= 0:
                raw.fail(None, f"gives every child of {parent!r} weight 0",
                         "at least one positive weight")
        out[name] = WeightSet(name=name, method=str(method), weights=weights, node=node,
                              date=one.date("date"), source=one.text("source"),
                              sha256=one.text("sha256"), derivation=one.text("derivation"))
        one.done()
    return out


def apply_weight_set(model: Model, name: str | None, option: str = "--weights") -> Model:
    """The model scored with set ``name`` (None: unchanged). Raises ConfigError naming the
    sets the model has."""
    if not name:
        return model
    if name not in model.weight_sets:
        known = ", ".join(model.weight_sets) or "(none: add [weight_sets.NAME], or write one " \
                                                "with 'riskscore weights METHOD --save NAME')"
        raise ConfigError(option, name, f"is not a weight set of {model.path.name}"
                          + did_you_mean(name, list(model.weight_sets)), "one of " + known)
    chosen = model.weight_sets[name]
    return replace(model.with_weights(chosen.weights, {}), weight_set=name)


def _key(text: str) -> str:
    return text if NAME.fullmatch(text) else json.dumps(text)


def weight_set_toml(item: WeightSet) -> str:
    """The TOML tables of one set (appended to a model file)."""
    lines = [f"[weight_sets.{_key(item.name)}]", f"method = {json.dumps(item.method)}"]
    if item.node:
        lines.append(f"node = {json.dumps(item.node)}")
    if item.date:
        lines.append(f"date = {item.date.isoformat()}")
    for key in ("source", "sha256", "derivation"):
        value = getattr(item, key)
        if value:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    lines.append(f"[weight_sets.{_key(item.name)}.weights]")
    lines += [f"{_key(k)} = {float(v)!r}" for k, v in item.weights.items()]
    return "\n".join(lines) + "\n"


def append_weight_set(model_path: Path, item: WeightSet) -> None:
    """Add ``item`` to the model file (atomically; the file is re-read to check it).

    Raises ConfigError if the model already has a set of that name: a set is never
    replaced silently (delete its table by hand to derive it again).
    """
    from riskscore.model.loader import load_model
    from riskscore.support.fileio import write_atomic

    if not NAME.fullmatch(item.name):
        raise ConfigError("--save", item.name, "is not a usable name",
                          "letters, digits, '_' and '-'")
    model = load_model(model_path)
    if item.name in model.weight_sets:
        raise ConfigError(model_path, f"weight_sets.{item.name}", "exists already; nothing "
                          "was written", "a new name (a weight set is never replaced: delete "
                          "its table by hand to derive it again)")
    old = model_path.read_text(encoding="utf-8")
    new = old + ("" if old.endswith("\n") else "\n") + "\n" + weight_set_toml(item)
    write_atomic(model_path, new)
    try:
        load_model(model_path)
    except Exception:
        write_atomic(model_path, old)
        raise
