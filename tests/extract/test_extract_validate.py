"""A draft profile passes `riskscore validate` as drafted and once the analyst picks a value."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from riskscore.cli.main import cli
from support import ARTICLE, EXAMPLE


def validate(tmp_path, draft_text):
    profiles = tmp_path / "profiles"
    profiles.mkdir(exist_ok=True)
    shutil.copy(ARTICLE, tmp_path / ARTICLE.name)
    (profiles / "tajikistan.toml").write_text(draft_text, encoding="utf-8")
    return CliRunner().invoke(cli, ["validate", "--config", str(EXAMPLE / "config" / "model.toml"),
                                    "--profiles", str(profiles)])


def test_draft_validates_before_and_after_review(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    drafted = CliRunner().invoke(cli, ["extract", str(ARTICLE), "--draft", "Tajikistan",
                                       "--as-of", "2019-11-19"])
    assert drafted.exit_code == 0, drafted.output
    result = validate(tmp_path, drafted.output)
    assert result.exit_code == 0, result.output

    # The analyst keeps the candidate: "over 90 percent" becomes value 90, bound 90-100.
    reviewed = drafted.output.replace(
        'missing = "REVIEW: 1 candidate sentence; choose a value or give the reason it is missing"\n'
        '# value = 90   # from "over 90 percent" (lower bound; unit %)',
        "value = 90\nlower = 90\nupper = 100", 1)
    assert reviewed != drafted.output
    result = validate(tmp_path, reviewed)
    assert result.exit_code == 0, result.output

    scored = CliRunner().invoke(cli, ["explain", "Tajikistan", "--format", "json",
                                      "--profiles", str(tmp_path / "profiles")])
    rows = {r["indicator"]: r for r in json.loads(scored.output)["rows"]}
    assert rows["vendor_telecom_share"]["normalised"] == 90.0
    assert "over 90 percent" in rows["vendor_telecom_share"]["evidence"]
