"""What-if weights: ``--weight NODE=W`` sets a node's share of its parent.

One syntax, the same on the explore page (``#weights=NODE:W,...``, whose parser is a port of
``parse_weight_options`` with the same messages): no white space around the separator, W
in the one number syntax from 0 to 1, each node once; ``tests/weight_syntax_cases.py`` is
the table of cases both are tested against.

The overridden node gets share ``W``; its siblings keep their proportions and
share ``1 - W`` between them. Several overrides under one parent are allowed if
their shares sum to at most 1 (exactly 1 when they cover every sibling).
"""

from __future__ import annotations

from collections.abc import Iterable

from riskscore.errors import ConfigError, did_you_mean
from riskscore.model.types import Model
from riskscore.support.checks import parse_number

TOLERANCE = 1e-9
# White space, as JavaScript's \s and Python's str.isspace() count it together: the page
# (#weights=NODE:W) and --weight NODE=W refuse it around the separator alike.
SPACES = ("\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b)))
          + "\u2028\u2029\u202f\u205f\u3000\ufeff")
_NON_FINITE = ("nan", "inf", "infinity")


def parse_weight_options(items: Iterable[str], source: str = "--weight") -> dict[str, float]:
    """Parse ``NODE=W`` strings; W is a share of the parent, from 0 to 1."""
    overrides: dict[str, float] = {}
    for item in items:
        node, sep, text = item.partition("=")
        if not sep or not node.strip(SPACES):
            raise ConfigError(source, item, "is not of the form NODE=W", "e.g. --weight debt=0.4")
        if node != node.strip(SPACES) or text != text.strip(SPACES):
            raise ConfigError(source, node.strip(SPACES), "has white space around '='",
                              "NODE=W without spaces, e.g. --weight debt=0.4")
        try:
            share = parse_number(text)
        except ValueError:
            shown = text.strip() if text.strip().lower().lstrip("+-") in _NON_FINITE \
                else repr(text.strip())
            raise ConfigError(source, node, f"has the weight {shown}",
                              "a number from 0 to 1 (a share of the parent)") from None
        if not 0.0 <= share <= 1.0:
            raise ConfigError(source, node, f"has the weight {text.strip()}",
                              "a number from 0 to 1 (a share of the parent)")
        if node in overrides:
            raise ConfigError(source, node, f"is given twice ({overrides[node]:g} and "
                              f"{share:g})", "each node once")
        overrides[node] = share
    return overrides


def apply_weight_overrides(model: Model, overrides: dict[str, float],
                           source: str = "--weight") -> Model:
    """Return a model whose weights realise ``overrides``; others keep their proportions."""
    if not overrides:
        return model
    by_parent: dict[str, dict[str, float]] = {}
    for node, share in overrides.items():
        if node not in model.nodes and node not in model.indicators:
            raise ConfigError(source, node, "is not a node or indicator of the model "
                              f"({model.path.name})"
                              + did_you_mean(node, [*model.nodes, *model.indicators][1:]),
                              "one of " + ", ".join([*model.nodes, *model.indicators][1:]))
        parent = model.parent(node)
        if parent is None:
            raise ConfigError(source, node, "is the index itself", "a node below the index")
        by_parent.setdefault(parent, {})[node] = share
    new_weights: dict[str, float] = {}
    for parent, fixed in by_parent.items():
        siblings = model.children[parent]
        rest = [s for s in siblings if s not in fixed]
        fixed_total = sum(fixed.values())
        if fixed_total > 1.0 + TOLERANCE:
            raise ConfigError(source, ",".join(fixed), f"sets shares of {parent!r} summing to "
                              f"{fixed_total:g}", "shares of one parent summing to at most 1")
        rest_total = sum(model.weight(s) for s in rest)
        remainder = max(0.0, 1.0 - fixed_total)
        if not rest and abs(fixed_total - 1.0) > TOLERANCE:
            raise ConfigError(source, ",".join(fixed), f"sets every child of {parent!r} with "
                              f"shares summing to {fixed_total:g}", "shares summing to 1")
        if rest and rest_total <= 0 and remainder > TOLERANCE:
            raise ConfigError(source, ",".join(fixed), f"leaves {remainder:g} of {parent!r} to "
                              "siblings whose weights are all zero", "shares summing to 1")
        new_weights.update(fixed)
        for sibling in rest:
            new_weights[sibling] = (remainder * model.weight(sibling) / rest_total
                                    if rest_total > 0 else 0.0)
    return model.with_weights(new_weights, overrides)
