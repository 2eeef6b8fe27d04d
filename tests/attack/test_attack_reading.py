"""Attack review, reading: paths outside the project, an unreadable registry in every
command that reads one, and evidence addresses that are not web addresses.

(The other reading reproducers -- number syntax, the csv module, names compared without
case, domains, devices and FIFOs, size limits, the deep hierarchy -- are in
tests/test_input_rules.py; see tests/ATTACK.md.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli


def _point_registry_at(project: Path, target: str) -> Path:
    model = project / "config" / "model.toml"
    text = model.read_text(encoding="utf-8")
    assert 'registry = "suppliers.toml"' in text
    model.write_text(text.replace('registry = "suppliers.toml"', f'registry = "{target}"'),
                     encoding="utf-8")
    return model


@pytest.mark.parametrize("command", [["validate"], ["score"], ["audit"], ["evidence"],
                                     ["explain", "Tajikistan"]])
def test_a_registry_outside_the_project_is_one_message_that_does_not_echo_it(project, command):
    """``registry = "../../../../etc/passwd"`` is read (paths are the user's to choose), but
    it is not TOML: one message naming the file, never its content; ``validate`` and
    ``audit`` used to go on without a registry and crash on the first derived value."""
    model = _point_registry_at(project, "../" * 12 + "etc/passwd")
    result = CliRunner().invoke(cli, [*command, "--config", str(model),
                                      "--profiles", str(project / "seeds" / "profiles")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "etc/passwd: malformed TOML" in result.output
    assert "root:" not in result.output


@pytest.mark.parametrize("target", ["nope.toml", "/dev/zero"])
def test_validate_and_audit_with_an_unreadable_registry_say_so(project, target):
    model = _point_registry_at(project, target)
    for command in (["validate"], ["audit"]):
        result = CliRunner().invoke(cli, [*command, "--config", str(model),
                                          "--profiles", str(project / "seeds" / "profiles")])
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (command, result.exception)
        assert target.lstrip("/") in result.output


@pytest.mark.parametrize("url", ["javascript:alert(1)", "x><script>alert(1)</script><b",
                                 "ftp://example.org/a", "www.example.org"])
def test_validate_warns_about_an_evidence_address_that_is_not_a_web_address(project, url):
    """Weak test 13 of the review: the check lived in a test on the shipped data only."""
    profile = project / "seeds" / "profiles" / "kazakhstan.toml"
    text = profile.read_text(encoding="utf-8")
    old = 'url = "https://iuslaboris.com/insights/the-challenges-of-data-localisation-in-kazakhstan/"'
    assert old in text
    profile.write_text(text.replace(old, f"url = {url!r}".replace("'", '"')), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--config", str(project / "config" / "model.toml"),
                                      "--profiles", str(project / "seeds" / "profiles")])
    flat = " ".join(result.output.split())
    assert "kazakhstan.toml" in flat and "not a web address" in flat and url[:20] in flat
    assert "1 warning(s)" in flat


def test_the_shipped_addresses_are_web_addresses(project):
    result = CliRunner().invoke(cli, ["validate", "--config", str(project / "config" / "model.toml"),
                                      "--profiles", str(project / "seeds" / "profiles")])
    assert result.exit_code == 0 and "not a web address" not in result.output


@pytest.mark.parametrize("command", [["validate"], ["score"]])
@pytest.mark.parametrize("where", ["model", "profile"])
def test_toml_nested_thousands_deep_is_one_message(project, command, where):
    """Found beside the review's deep hierarchy: tomllib parses nested arrays and inline
    tables recursively, so ``x = [[[[…]]]]`` 5,000 deep was a RecursionError traceback."""
    if where == "model":
        path = project / "config" / "model.toml"
        path.write_text(path.read_text(encoding="utf-8") + "\n[nested]\nx = "
                        + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    else:
        path = project / "seeds" / "profiles" / "kazakhstan.toml"
        path.write_text(path.read_text(encoding="utf-8") + "\nnested = "
                        + "{a=" * 5000 + "1" + "}" * 5000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*command, "--config", str(project / "config" / "model.toml"),
                                      "--profiles", str(project / "seeds" / "profiles")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"{path.name}: nests arrays or inline tables too deeply to be read" in result.output
