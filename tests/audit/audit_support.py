"""Builders for the audit tests: a model and profiles written as real files."""

from __future__ import annotations

from pathlib import Path

from support import write

ARTICLE = "Alpha has one fact. Beta has another."


def value_lines(entity: str, ind: str, spec) -> list[str]:
    """``spec``: None (missing), a number, or a dict with value and optional
    as_of / url / date / judgement / retrospective / quote / absent."""
    lines = [f"[values.{ind}]"]
    if spec is None:
        return lines + ['missing = "not found"']
    if not isinstance(spec, dict):
        spec = {"value": spec}
    if "absent" in spec:
        lines.append(f'absent = "{spec["absent"]}"')
    else:
        lines.append(f"value = {spec['value']}")
    for key in ("as_of",):
        if key in spec:
            lines.append(f"{key} = {spec[key]}")
    if "judgement" in spec:
        lines.append(f'judgement = "{spec["judgement"]}"')
    lines += [f"[[values.{ind}.evidence]]", 'kind = "external"',
              f'source = "Source for {entity} {ind}"',
              f'url = "{spec.get("url", f"https://example.org/{entity}/{ind}")}"',
              f"date = {spec.get('date', '2019-01-01')}"]
    if "retrospective" in spec:
        lines.append(f'retrospective = "{spec["retrospective"]}"')
    if "quote" in spec:
        lines.append(f'quote = "{spec["quote"]}"')
    return lines


def project(tmp_path: Path, model: str, profiles: dict[str, dict]) -> tuple[Path, Path]:
    """Write ``model`` and one profile per entity; returns (config, profiles dir)."""
    config = write(tmp_path / "model.toml", model)
    write(tmp_path / "seeds" / "article.txt", ARTICLE)
    for entity, values in profiles.items():
        lines = [f'entity = "{entity}"', "as_of = 2019-11-19", ""]
        for ind, spec in values.items():
            lines += value_lines(entity, ind, spec) + [""]
        write(tmp_path / "seeds" / "profiles" / f"{entity.lower()}.toml", "\n".join(lines))
    return config, tmp_path / "seeds" / "profiles"


def by_code(result, code: str) -> list:
    return [f for f in result.findings if f.code == code]
