"""Attack review, round 2 (issue 18), F1 and F2: no documented setting is silently ignored,
and outputs named by a project file stay inside the project.

One test per documented key of ``riskscore.toml`` and of the sensitivity settings file:
each changes the key and sees its effect (or its refusal). The project keys are listed in
``riskscore.inputs.project.PROJECT_KEYS`` (plus ``name``); the test fails if a key is added
without a case here. (Model-file keys are checked the same way in
``test_round2_model_keys.py``.)
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.inputs.project import PROJECT_KEYS
from support import EXAMPLE, TINY_MODEL, write


def run(project: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exit_code == code, result.output
    return result


def _set(project: Path, key: str, value: str) -> None:
    path = project / "riskscore.toml"
    text = path.read_text(encoding="utf-8")
    line = f"{key} = {json.dumps(value)}"
    text, n = re.subn(rf"^{key} = .*$", lambda _: line, text, flags=re.MULTILINE)
    path.write_text(text if n else line + "\n" + text, encoding="utf-8")


def _entities(output: str) -> list[str]:
    return sorted(r["entity"] for r in json.loads(output)["results"])


# ---- riskscore.toml: every key ----------------------------------------------------


def case_name(project: Path) -> None:
    _set(project, "name", "Renamed index")
    run(project, "report", "--samples", "0")
    text = (project / "reports" / "risk-report.md").read_text(encoding="utf-8")
    assert text.startswith("# Renamed index: risk report")


def case_model(project: Path) -> None:
    shutil.copytree(project / "config", project / "other")
    model = project / "other" / "model.toml"
    model.write_text(model.read_text(encoding="utf-8").replace(
        'label = "Chinese vendor share"', 'label = "Vendors of the other model"'),
        encoding="utf-8")
    before = run(project, "list", "weights").output
    _set(project, "model", "other/model.toml")
    after = run(project, "list", "weights").output
    assert "Vendors of the other model" in after and "Vendors of the other model" not in before


def case_profiles(project: Path) -> None:
    two = project / "seeds" / "two"
    two.mkdir()
    for name in ("kazakhstan.toml", "tajikistan.toml"):
        shutil.copy(project / "seeds" / "profiles" / name, two / name)
    _set(project, "profiles", "seeds/two")
    assert _entities(run(project, "score", "--format", "json").output) == [
        "Kazakhstan", "Tajikistan"]


def case_data(project: Path) -> None:
    write(project / "table.csv", "iso3,name\n")   # replaced below by a real table
    shutil.copy(EXAMPLE / "riskscore.toml", project / "riskscore.toml")
    model = write(project / "tiny.toml", TINY_MODEL)
    write(project / "table.csv", "entity,x,y,z\nAlpha,5,20,1\nBeta,10,100,0\n")
    _set(project, "model", model.name)
    _set(project, "data", "table.csv")
    assert _entities(run(project, "score", "--format", "json").output) == ["Alpha", "Beta"]


def case_article(project: Path) -> None:
    write(project / "seeds" / "other-article.txt", "An article quoting nothing.\n")
    run(project, "validate")
    _set(project, "article", "seeds/other-article.txt")
    result = run(project, "validate", code=1)
    assert "other-article.txt" in result.output and "quote" in result.output


def case_sensitivity(project: Path) -> None:
    settings = project / "config" / "fewer.toml"
    settings.write_text((project / "config" / "sensitivity.toml").read_text(encoding="utf-8")
                        .replace("samples = 4000", "samples = 24")
                        .replace("base_samples = 1024", "base_samples = 8"), encoding="utf-8")
    _set(project, "sensitivity", "config/fewer.toml")
    payload = json.loads(run(project, "sensitivity", "--format", "json").output)
    assert payload["samples"] == 24 and payload["settings"]["path"].endswith("fewer.toml")
    _set(project, "sensitivity", "config/nonexistent.toml")
    result = run(project, "sensitivity", "--samples", "20", code=1)
    assert "riskscore.toml: sensitivity: names" in result.output
    assert "nonexistent.toml, which is not a file" in result.output


def _extract_case(key: str):
    def case(project: Path) -> None:
        document = write(project / "doc.txt", "Huawei supplied cameras to Bishkek in 2019.\n")
        run(project, "extract", str(document))
        _set(project, key, f"config/missing-{key}.toml")
        result = run(project, "extract", str(document), code=1)
        assert f"missing-{key}.toml" in result.output
    return case


def case_report(project: Path) -> None:
    _set(project, "report", "elsewhere/my-report.md")
    run(project, "report", "--samples", "0")
    assert (project / "elsewhere" / "my-report.md").is_file()
    assert not (project / "reports" / "risk-report.md").exists()


def case_columns(project: Path) -> None:
    model = write(project / "tiny.toml", TINY_MODEL)
    write(project / "table.csv", "code,x,y,z\nAlpha,5,20,1\nBeta,10,100,0\n")
    _set(project, "model", model.name)
    _set(project, "data", "table.csv")
    result = run(project, "score", code=1)
    assert "code" in result.output
    path = project / "riskscore.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[columns]\nid = "code"\n',
                    encoding="utf-8")
    assert _entities(run(project, "score", "--format", "json").output) == ["Alpha", "Beta"]


PROJECT_CASES = {
    "name": case_name, "model": case_model, "profiles": case_profiles, "data": case_data,
    "article": case_article, "sensitivity": case_sensitivity,
    "gazetteer": _extract_case("gazetteer"), "hints": _extract_case("hints"),
    "registry": _extract_case("registry"), "report": case_report, "columns": case_columns,
}


def test_every_project_key_has_a_case():
    assert set(PROJECT_CASES) == {"name", "columns", *PROJECT_KEYS}


@pytest.mark.parametrize("key", sorted(PROJECT_CASES))
def test_each_project_key_takes_effect(project, key):
    PROJECT_CASES[key](project)


# ---- outputs named by a project file stay inside it -------------------------------


@pytest.mark.parametrize("target", ["../escaped/r.md", "{outside}/r.md",
                                    "reports/../../escaped/r.md", "link/r.md"])
def test_a_report_path_leaving_the_project_is_refused(project, target):
    outside = project.parent / "outside"
    outside.mkdir(exist_ok=True)
    target = target.format(outside=outside)   # an absolute path
    (project / "link").symlink_to(outside, target_is_directory=True)
    _set(project, "report", target)
    result = run(project, "report", "--samples", "0", code=1)
    assert f"riskscore.toml: report: is {target!r}, which leaves the project folder" \
        in result.output
    assert not (project.parent / "escaped").exists() and not list(outside.iterdir())


def test_an_explicit_output_may_go_anywhere(project):
    _set(project, "report", "../escaped/r.md")
    target = project.parent / "chosen" / "r.md"
    run(project, "report", "--samples", "0", "--output", str(target))
    assert target.is_file()


# ---- the sensitivity settings file: every key ------------------------------------

BASE = """
[run]
samples = 48
seed = 7
top_k = 2
chunk = 512
[weights]
vary = true
method = "dirichlet"
concentration = 50
[aggregation]
vary = true
p_geometric = 0.5
[normalisation]
vary = true
choices = ["goalposts", "minmax"]
[missing]
vary = true
choices = ["reweight", "mean", "worst_case", "best_case"]
[evidence]
vary = true
[sobol]
enabled = true
base_samples = 8
confidence = 0.95
resamples = 10
[tipping]
enabled = true
grid = 401
"""

# (section, key, new value as TOML) for every key of the file
SETTINGS_CASES = [
    ("run", "samples", "40"), ("run", "seed", "8"), ("run", "top_k", "1"),
    ("run", "chunk", "5"),
    ("weights", "vary", "false"), ("weights", "method", '"uniform"'),
    ("weights", "concentration", "2"), ("weights", "spread", "0.9"),
    ("aggregation", "vary", "false"), ("aggregation", "p_geometric", "1.0"),
    ("normalisation", "vary", "false"), ("normalisation", "choices", '["minmax", "goalposts"]'),
    ("missing", "vary", "false"), ("missing", "choices", '["reweight", "worst_case"]'),
    ("evidence", "vary", "false"),
    ("sobol", "enabled", "false"), ("sobol", "base_samples", "16"),
    ("sobol", "confidence", "0.6"), ("sobol", "resamples", "11"),
    ("tipping", "enabled", "false"), ("tipping", "grid", "2"),
]


# the same with method "uniform": concentration is refused there, spread is read
UNIFORM = BASE.replace('method = "dirichlet"\nconcentration = 50',
                       'method = "uniform"\nspread = 0.25')
# dirichlet at its default concentration: changing only the method is then allowed
NO_CONCENTRATION = BASE.replace("concentration = 50\n", "")


def _settings_text(section: str, key: str, value: str, base: str = BASE) -> str:
    lines, current = [], None
    for line in base.strip().splitlines():
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and line.split(" = ")[0] == key:
            line = f"{key} = {value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_cases_cover_every_key_of_the_settings_file():
    import tomllib

    from riskscore.analyses.sensitivity.settings import load_settings

    keys = {(s, k) for s, table in tomllib.loads(BASE).items() for k in table}
    assert "spread = 0.25" in UNIFORM and "concentration" not in NO_CONCENTRATION
    assert keys | {("weights", "spread")} == {(s, k) for s, k, _ in SETTINGS_CASES}
    shipped = tomllib.loads((EXAMPLE / "config" / "sensitivity.toml").read_text())
    assert {(s, k) for s, table in shipped.items() for k in table} == keys
    assert load_settings  # the loader reads this file (test_sens_settings holds its errors)


@pytest.fixture(scope="module")
def assessment(tmp_path_factory):
    """The example project (ranges, missing values and several nodes: every choice varies)."""
    import riskscore

    root = tmp_path_factory.mktemp("sens")
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, root / part)
    return riskscore.assess(root / "config" / "model.toml", profiles=root / "seeds" / "profiles")


def _outcome(assessment, path: Path):
    from riskscore.analyses.sensitivity import load_settings, run_sensitivity

    advances: list[int] = []
    result = run_sensitivity(assessment, load_settings(path),
                             progress=lambda advance, total: advances.append(advance))
    payload = result.to_dict()
    payload.pop("settings")
    return payload, advances


@pytest.mark.parametrize("section,key,value", SETTINGS_CASES,
                         ids=[f"{s}.{k}" for s, k, _ in SETTINGS_CASES])
def test_each_sensitivity_setting_takes_effect_or_is_refused(assessment, tmp_path, section,
                                                              key, value):
    from riskscore.analyses.sensitivity import load_settings
    from riskscore.errors import ConfigError

    start = BASE
    if (section, key) == ("weights", "spread"):   # documented "uniform only": used by it
        start = UNIFORM
    if (section, key) == ("weights", "method"):   # concentration would be refused with uniform
        start = NO_CONCENTRATION
    base = write(tmp_path / "base.toml", start)
    changed = write(tmp_path / "changed.toml", _settings_text(section, key, value, start))
    if (section, key) == ("tipping", "grid"):   # below 3 a grid has no interior: refused
        with pytest.raises(ConfigError, match=r"changed.toml: tipping.grid: is 2"):
            load_settings(changed)
        return
    before, steps_before = _outcome(assessment, base)
    after, steps_after = _outcome(assessment, changed)
    if (section, key) == ("run", "chunk"):      # results do not depend on it; batches do
        assert after == before and max(steps_after) == 5 < max(steps_before)
        return
    assert after != before


@pytest.mark.parametrize("key,value,method", [("spread", "0.25", "dirichlet"),
                                              ("concentration", "50", "uniform"),
                                              ("spread", "0.25", "sets"),
                                              ("concentration", "50", "sets")])
def test_a_weight_spread_key_its_method_ignores_is_refused(tmp_path, key, value, method):
    """spread is read only by uniform and concentration only by dirichlet: set under another
    method it would change nothing, so it is refused, naming the key and the method."""
    from riskscore.analyses.sensitivity import load_settings
    from riskscore.errors import ConfigError

    text = NO_CONCENTRATION.replace('method = "dirichlet"',
                                    f'method = "{method}"\n{key} = {value}')
    path = write(tmp_path / "s.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert f"weights.{key}" in message and f"'{method}'" in message
    assert "\n" not in message.strip()


def test_the_shipped_settings_load_and_set_only_keys_that_take_effect():
    import tomllib

    from riskscore.analyses.sensitivity import load_settings

    for root in (EXAMPLE, Path(__file__).resolve().parents[2]):
        path = root / "config" / "sensitivity.toml"
        weights = tomllib.loads(path.read_text(encoding="utf-8"))["weights"]
        assert load_settings(path).weights.method == weights["method"] == "dirichlet"
        assert "spread" not in weights and weights["concentration"] == 50
