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
    # model, the 2 profiles (one line), the article: checked, but not "ok"
    assert levels == ["error"] * 3 + ["warning"] * 2 + ["checked"] * 3
    assert lines[-1] == "3 error(s), 2 warning(s) in 4 files checked"
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


# ---- which files were checked -------------------------------------------------------------

def _validate_cli(*args, width=300):
    run = CliRunner().invoke(cli, ["validate", *map(str, args)], env={"COLUMNS": str(width)})
    return run


def _two_documents(tmp_path):
    """Alpha and Beta (two quotes each in the article), and Gamma, whose one quote is in a
    second document, seeds/documents/wire.txt."""
    config, profiles = project(tmp_path, {"alpha.toml": GOOD.format(name="Alpha", share=10),
                                          "beta.toml": GOOD.format(name="Beta", share=20)})
    write(tmp_path / "seeds" / "documents" / "wire.txt", "Gamma's share is thirty.\n")
    write(tmp_path / "seeds" / "documents" / "wire.toml", 'date = 2019-01-01\ntitle = "Wire"\n')
    write(profiles / "gamma.toml", """
entity = "Gamma"
as_of = 2019-11-19

[values.share]
value = 30
[[values.share.evidence]]
kind = "article"
document = "wire"
quote = "Gamma's share is thirty."
""")
    return config, profiles


def test_success_names_each_kind_of_file_with_its_path(tmp_path):
    config, profiles = _two_documents(tmp_path)
    run = _validate_cli("--config", config, "--profiles", profiles)
    assert run.exit_code == 0, run.output
    seeds = tmp_path / "seeds"
    assert run.output.splitlines() == [
        f"ok: {config} (model): 2 indicators",
        f"ok: 3 profiles in {profiles}/: Alpha, Beta, Gamma",
        f"ok: {seeds / 'article.txt'} (article): 4 quotes found verbatim",   # 2 + 2
        f"ok: {seeds / 'documents' / 'wire.txt'} (document): 1 quote found verbatim",
        "0 error(s), 0 warning(s) in 6 files checked",
    ]


def test_verbose_names_every_file_on_a_line(tmp_path):
    config, profiles = _two_documents(tmp_path)
    run = _validate_cli("--config", config, "--profiles", profiles, "-v")
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert lines[1:4] == [f"ok: {profiles / 'alpha.toml'} (profile): Alpha",
                          f"ok: {profiles / 'beta.toml'} (profile): Beta",
                          f"ok: {profiles / 'gamma.toml'} (profile): Gamma"]
    assert len(lines) == 7 and lines[-1] == "0 error(s), 0 warning(s) in 6 files checked"


def test_many_profiles_are_counted_and_the_first_eight_named(tmp_path):
    names = [f"C{i:02d}" for i in range(11)]
    config, profiles = project(tmp_path, {f"{n.lower()}.toml": GOOD.format(name=n, share=10)
                                          for n in names})
    run = _validate_cli("--config", config, "--profiles", profiles)
    assert run.exit_code == 0, run.output
    assert (f"ok: 11 profiles in {profiles}/: C00, C01, C02, C03, C04, C05, C06, C07 and 3 more "
            "(-v names each file)") in run.output.splitlines()
    assert run.output.splitlines()[-1] == "0 error(s), 0 warning(s) in 13 files checked"


def test_a_data_table_and_the_json_list_of_files(tmp_path):
    config = write(tmp_path / "model.toml", MODEL)
    data = write(tmp_path / "d.csv", "entity,share,code\nA,1,0\nB,2,1\nC,3,2\n")
    run = _validate_cli("--config", config, "--data", data)
    assert run.output.splitlines() == [f"ok: {config} (model): 2 indicators",
                                       f"ok: {data} (data): 3 entities",
                                       "0 error(s), 0 warning(s) in 2 files checked"]
    payload = json.loads(_validate_cli("--config", config, "--data", data, "--format",
                                       "json").output)
    assert payload["files"] == [
        {"kind": "model", "path": str(config), "detail": "2 indicators"},
        {"kind": "data", "path": str(data), "detail": "3 entities"}]


def test_a_model_that_cannot_be_read_is_still_named(tmp_path):
    config = write(tmp_path / "model.toml", "[index\n")
    run = _validate_cli("--config", config, "--data", write(tmp_path / "d.csv", "entity\n"))
    assert run.exit_code == 1
    lines = run.output.splitlines()
    assert lines[-2:] == [f"checked: {config} (model)", "1 error(s), 0 warning(s) in 1 file checked"]


def test_csv_and_markdown_of_a_clean_project_are_a_header_and_nothing_else(tmp_path):
    config = write(tmp_path / "model.toml", MODEL)
    data = write(tmp_path / "d.csv", "entity,share,code\nA,1,0\n")
    csv_text = _validate_cli("--config", config, "--data", data, "--format", "csv").output
    assert csv_text == "level,code,file,key,message\n"      # no blank row after the header
    markdown = _validate_cli("--config", config, "--data", data, "--format", "markdown").output
    assert markdown.splitlines()[0].split("|")[1].strip() == "level"
    assert len(markdown.splitlines()) == 2
