"""``riskscore weights METHOD``: derive a node's weights, show how, optionally save them.

Parse options, call ``riskscore.analyses.weights.derive``, format. Nothing else.
"""

from __future__ import annotations

from pathlib import Path

import click

from riskscore.cli.options import (
    emit,
    format_option,
    handle_errors,
    input_options,
    output_option,
    resolve_inputs,
    run_assessment,
)

METHODS = ("budget", "ahp", "equal", "pca", "entropy", "critic", "optimised", "bod")
# the options that only some methods read: given to another, they are refused
OWN_OPTIONS = {"judgements": ("budget", "ahp"), "combine": ("budget",),
               "accept_inconsistent": ("ahp",), "target": ("optimised",), "bound": ("bod",)}


def _pairs(items, option: str, form: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"{option} {item!r} is not of the form {form}")
        out[key.strip()] = value.strip()
    return out


def _target(items) -> dict[str, float] | None:
    from riskscore.support.checks import parse_number

    out = {}
    for child, text in _pairs(items, "--target", "CHILD=SHARE").items():
        try:
            out[child] = parse_number(text)
        except ValueError:
            raise click.UsageError(f"--target {child}={text}: expected a number >= 0") from None
        if out[child] < 0:
            raise click.UsageError(f"--target {child}={text}: expected a number >= 0")
    return out or None


def _bounds(items) -> dict[str, tuple[float, float]]:
    from riskscore.support.checks import parse_number

    out = {}
    for child, text in _pairs(items, "--bound", "CHILD=LOW:HIGH").items():
        low, sep, high = text.partition(":")
        try:
            pair = (parse_number(low), parse_number(high))
        except ValueError:
            pair = (-1.0, -1.0)
        if not sep or not 0 <= pair[0] <= pair[1] <= 1:
            raise click.UsageError(f"--bound {child}={text}: expected LOW:HIGH, shares of the "
                                   "weight with 0 <= LOW <= HIGH <= 1 (e.g. 0.1:0.6)")
        out[child] = pair
    return out


@click.command()
@click.argument("method", type=click.Choice(METHODS, case_sensitive=False))
@click.option("--node", default=None, help="The node whose children are weighted "
              "[default: the index].")
@click.option("--judgements", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="ahp: the experts' pairwise judgements; budget: their point allocations "
                   "(.csv; see docs/how-to/weights.md).")
@click.option("--combine", type=click.Choice(["mean", "median"]), default=None,
              help="budget: how the experts' shares are combined [default: mean].")
@click.option("--accept-inconsistent", "accept_inconsistent", default=None, metavar="REASON",
              help="ahp: use judgements whose consistency ratio is above 0.1, for this "
                   "reason (recorded with the set).")
@click.option("--target", multiple=True, metavar="CHILD=SHARE",
              help="optimised: the share of the node's variance each child should explain "
                   "[default: equal]. Repeatable; unnamed children get 0.")
@click.option("--bound", multiple=True, metavar="CHILD=LOW:HIGH",
              help="bod: limits on a child's share of the most favourable weights. Repeatable.")
@click.option("--save", "save", default=None, metavar="NAME",
              help="Write the weights to the model as [weight_sets.NAME] (never replaces a set "
                   "or the configured weights); score with them by --weights NAME.")
@input_options
@format_option
@output_option
@handle_errors
def weights(method, node, judgements, combine, accept_inconsistent, target, bound, save,
            config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Derive the weights of a node's children by METHOD, with the derivation and diagnostics.

    \b
    Expert methods (--judgements FILE.csv):
      budget     experts' point allocations, combined by mean or median, with their spread
      ahp        pairwise judgements per expert; principal eigenvector, consistency ratio
    Data-driven, on the children's normalised values (entities missing a child left out):
      equal, pca (factor analysis, OECD/JRC Handbook), entropy, critic,
      optimised  (COINr: each child's correlation with the node matches a target)
    Diagnostic only:
      bod        benefit of the doubt: each entity's most favourable weights and best score

    Nothing is written unless --save NAME is given; the configured weights never change.

    \b
    Example:
      riskscore weights pca --node governance
      riskscore weights ahp --judgements experts.csv --save experts_2026
      riskscore weights bod --format json
    """
    from riskscore.analyses.weights.derive import derive
    from riskscore.outputs.render import to_json

    method = method.lower()
    given = {"judgements": judgements, "combine": combine,
             "accept_inconsistent": accept_inconsistent, "target": target, "bound": bound}
    for name, value in given.items():
        if value not in (None, ()) and method not in OWN_OPTIONS[name]:
            raise click.UsageError(f"--{name.replace('_', '-')} is for "
                                   + " and ".join(OWN_OPTIONS[name]) + f", not {method}")
    if save and method == "bod":
        raise click.UsageError("benefit of the doubt is a diagnostic, not a weight set: "
                               "drop --save")
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    found = derive(method, result, node, judgements=judgements, combine=combine or "mean",
                   accept_inconsistent=accept_inconsistent, target=_target(target),
                   bounds=_bounds(bound))
    saved = None
    if save:
        saved = _save(found, save, config, profiles, data, article)
    if fmt == "json":
        payload = found.to_dict()
        payload["saved"] = saved
        emit(to_json(payload), output)
        return
    emit(weights_text(found, result.model, fmt, saved), output)


def _save(found, name: str, config, profiles, data, article) -> dict:
    from riskscore.model.weight_sets import WeightSet, append_weight_set

    path, *_ = resolve_inputs(config, profiles, data, article)
    source = found.source.get("file") or found.source.get("data")
    item = WeightSet(name=name, method=found.method, weights=dict(found.weights),
                     node=found.node, date=found.date, source=source,
                     sha256=found.source.get("sha256"), derivation=found.derivation)
    append_weight_set(Path(path), item)
    return {"name": name, "model": str(path)}


def weights_text(found, model, fmt: str, saved: dict | None) -> str:
    """The weights beside those in use (configured, or --weights NAME), the derivation, the
    diagnostics."""
    from riskscore.outputs.render import prose, render_rows, wrap_text

    rows = [{"child": c, "label": model.label(c), "weight": found.weights[c],
             "in use": model.normalised_weight(c)} for c in found.children]
    if fmt == "csv":   # a table only: bod's per-entity rows, else the weights
        if found.entities is not None:
            return render_rows([{"entity": r["entity"], "best-case score": r["score"],
                                 **r["weights"]} for r in found.entities], "csv",
                               ["entity", "best-case score", *found.children])
        return render_rows(rows, "csv", ["child", "label", "weight", "in use"])
    def para(text: str) -> str:
        return "\n".join(wrap_text(text)) if fmt == "table" else prose(text, fmt)

    parts = [para(f"{found.method} weights for the children of {found.node}"), "",
             render_rows(rows, fmt, ["child", "label", "weight", "in use"],
                         floatfmt={"weight": ".3f", "in use": ".3f"})]
    if found.entities is not None:
        entity_rows = [{"entity": r["entity"], "best-case score": r["score"],
                        **{c: r["weights"][c] for c in found.children}}
                       for r in sorted(found.entities, key=lambda r: -r["score"])]
        parts += ["", para("each entity's best-case score (0-1; 1 = no weighting puts another "
                           "entity above it) and its most favourable weights"), "",
                   render_rows(entity_rows, fmt, ["entity", "best-case score",
                                                  *found.children], floatfmt=".3f")]
    lines = [f"derivation: {found.derivation}"]
    lines += [f"{k}: {_short(v)}" for k, v in found.diagnostics.items()
              if v not in (None, {}, []) and not (isinstance(v, dict) and any(
                  isinstance(x, dict | list) for x in v.values()))]
    lines.append(f"source: {found.source.get('file') or found.source.get('data')} "
                 f"(sha256 {str(found.source.get('sha256'))[:12]})")
    if saved:
        lines.append(f"saved as [weight_sets.{saved['name']}] in {saved['model']}; score with "
                     f"--weights {saved['name']}")
    elif found.method != "bod":
        lines.append("not saved (--save NAME writes it as a named weight set); the configured "
                     "weights are unchanged")
    if fmt == "table":
        notes = [w for line in lines for w in wrap_text(line, None, "", "  ")]
    else:
        notes = [prose(f"- {line}", fmt) for line in lines]
    return "\n".join(parts) + "\n\n" + "\n".join(notes) + "\n"


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    return str(value)
