"""`riskscore validate` names every error in every file in one run, then the warnings."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from riskscore.analyses.validation import validate
from riskscore.cli.main import cli
from support import ROOT, write

MODEL = """
[index]
id = "risk"
missing = "reweight"

[indicators.share]
goalposts = [0, 60]
unit = "%"
domain = "percent"

[indicators.code]
goalposts = [0, 2]
domain = [0, 2]
integer = true
"""

ARTICLE = "Alpha's debt is large. Beta has a code."

GOOD = """
entity = "{name}"
as_of = 2019-11-19

[values.share]
value = {share}
[[values.share.evidence]]
kind = "article"
quote = "Alpha's debt is large."

[values.code]
value = 1
[[values.code.evidence]]
kind = "article"
quote = "Beta has a code."
"""

# Alpha: three errors in three different keys of one file.
ALPHA = GOOD.format(name="Alpha", share=-5).replace("value = 1\n", "value = 7\nvaleu = 1\n")
# Beta: an evidence item that is not in the article, and a second one too.
BETA = GOOD.format(name="Beta", share=10).replace(
    'quote = "Beta has a code."',
    'quote = "Beta has no code."\n[[values.code.evidence]]\nkind = "article"\nquote = "Nope."')
# Gamma: not TOML at all.
GAMMA = 'entity = "Gamma\n'
# Delta: valid, but with a placeholder and a value above its goalpost.
DELTA = GOOD.format(name="Delta", share=80).replace(
    '[values.code]', '[values.code]\njudgement = "TODO: check the code"')


def project(tmp_path, files):
    write(tmp_path / "model.toml", MODEL)
    write(tmp_path / "seeds" / "article.txt", ARTICLE)
    for name, text in files.items():
        write(tmp_path / "seeds" / "profiles" / name, text)
    return tmp_path / "model.toml", tmp_path / "seeds" / "profiles"


def test_every_error_in_every_file_in_one_run(tmp_path):
    config, profiles = project(tmp_path, {"alpha.toml": ALPHA, "beta.toml": BETA,
                                          "gamma.toml": GAMMA, "delta.toml": DELTA})
    found = validate(config, profiles=profiles)
    messages = [p.message for p in found.errors]
    expected = [
        ("alpha.toml: values.share.value: is -5, outside the indicator's domain", "out-of-domain"),
        ("alpha.toml: values.code.value: is 7, outside the indicator's domain", "out-of-domain"),
        ("alpha.toml: values.code.valeu: is not a known key", "invalid"),
        ("beta.toml: values.code.evidence[0].quote: is not in the article", "invalid"),
        ("beta.toml: values.code.evidence[1].quote: is not in the article", "invalid"),
        ("gamma.toml: malformed TOML", "invalid"),
    ]
    for text, code in expected:
        (match,) = [p for p in found.errors if text in p.message]
        assert match.code == code and match.level == "error"
    assert len(messages) == len(expected), messages
    assert not found.ok


def test_warnings_placeholders_clipped_values_and_ignored_files(tmp_path):
    config, profiles = project(tmp_path, {"delta.toml": DELTA, "alpha.toml": GOOD.format(
        name="Alpha", share=10), "epsilon.tml": GOOD.format(name="Eps", share=1),
        "README.md": "# notes\n"})
    found = validate(config, profiles=profiles)
    assert found.ok, [p.message for p in found.errors]
    by_code = {p.code: p for p in found.warnings}
    assert set(by_code) == {"placeholder", "clipped", "ignored-file"}
    assert "delta.toml: values.code.judgement: looks like a placeholder" in by_code["placeholder"].message
    assert ("Delta's share is 80%, above the upper goalpost 60% by 20: it counts as 60"
            in by_code["clipped"].message)
    assert "epsilon.tml: is ignored: only files ending in .toml are profiles" in \
        by_code["ignored-file"].message
    assert "rename it to epsilon.toml" in by_code["ignored-file"].message


def test_cli_lists_errors_then_warnings_and_exits_1(tmp_path):
    config, profiles = project(tmp_path, {"alpha.toml": ALPHA, "delta.toml": DELTA})
    run = CliRunner().invoke(cli, ["validate", "--config", str(config), "--profiles", str(profiles)])
    assert run.exit_code == 1
    lines = [line for line in run.output.splitlines() if not line.startswith(" ")]  # unwrapped
    levels = [line.split(":")[0] for line in lines[:-1]]
    assert levels == ["error"] * 3 + ["warning"] * 2
    assert lines[-1] == "3 error(s), 2 warning(s)"
    assert "Traceback" not in run.output


def test_cli_json_and_a_subprocess(tmp_path):
    config, profiles = project(tmp_path, {"alpha.toml": ALPHA})
    proc = subprocess.run([sys.executable, "-m", "riskscore", "validate", "--config", str(config),
                           "--profiles", str(profiles), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["ok"] is False
    assert [p["level"] for p in payload["problems"]] == ["error"] * 3
    assert {p["key"] for p in payload["problems"]} == {
        "values.share.value", "values.code.value", "values.code.valeu"}


def test_model_errors_are_all_named_too(tmp_path):
    model = MODEL.replace('unit = "%"', 'unit = "%"\nweigth = 2').replace(
        "integer = true", "integer = true\nparent = \"nowhere\"") + """
[indicators.third]
goalposts = [1, 0]
"""
    write(tmp_path / "model.toml", model)
    found = validate(tmp_path / "model.toml", data=write(tmp_path / "d.csv", "entity,share\nA,1\n"))
    texts = [p.message for p in found.errors]
    assert any("indicators.share.weigth: is not a known key" in t for t in texts)
    assert any("indicators.code.parent: is 'nowhere', which is not a node" in t for t in texts)
    assert any("indicators.third.goalposts: is [1, 0]" in t for t in texts)


def test_validate_refuses_what_score_refuses(tmp_path):
    """A model with missing = "fail" scores nothing with a gap; validate says so too."""
    config, profiles = project(tmp_path, {"alpha.toml": GOOD.format(name="Alpha", share=10)
                                          .split("[values.code]")[0]})
    config.write_text(MODEL.replace('missing = "reweight"', 'missing = "fail"'))
    found = validate(config, profiles=profiles)
    (error,) = found.errors
    assert "Alpha: code: is missing" in error.message and "missing policy is 'fail'" in error.message
    score = CliRunner().invoke(cli, ["score", "--config", str(config), "--profiles", str(profiles)])
    assert score.exit_code == 1


def test_entity_names_repeated_in_another_case_are_one_error_among_others(tmp_path):
    config, profiles = project(tmp_path, {
        "alpha.toml": GOOD.format(name="Alpha", share=10),
        "alpha2.toml": GOOD.format(name=" ALPHA ", share=20),
        "beta.toml": GOOD.format(name="Beta", share=200)})
    found = validate(config, profiles=profiles)
    messages = [p.message for p in found.errors]
    assert any("alpha2.toml: entity: repeats ' ALPHA ', already in alpha.toml" in m
               for m in messages)
    assert any("beta.toml: values.share.value: is 200, outside" in m for m in messages)
    assert len(messages) == 2
