"""One rule for ``-o`` into a folder that does not exist, in every command: the folder
(and its missing parents) is created; if the write fails, the folders made are removed;
a folder that cannot be made is one message naming it (README, "Writing files")."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.errors import OutputError
from riskscore.support.fileio import made_folders, write_atomic
from support import write

# Every command that writes with -o/--output (or --figure), and the file it writes.
COMMANDS = [
    (["score"], "out.txt"),
    (["score", "--format", "xlsx"], "out.xlsx"),
    (["explain", "Alpha"], "out.txt"),
    (["evidence"], "out.txt"),
    (["list", "indicators"], "out.txt"),
    (["audit"], "out.txt"),
    (["sensitivity", "--samples", "40"], "out.txt"),
    (["report", "--samples", "0"], "out.md"),
    (["explore", "--samples", "0"], "out.html"),
    (["compare", "--to-weight", "a=0.5"], "out.txt"),
    (["trend", "--from", "2020", "--to", "2021"], "out.txt"),
    (["weights", "equal"], "out.txt"),
]


@pytest.mark.parametrize("command, name", COMMANDS, ids=lambda c: " ".join(c)
                         if isinstance(c, list) else c)
def test_every_command_creates_the_missing_output_folder(tiny, tmp_path, command, name):
    model, data = tiny
    target = tmp_path / "new" / "deeper" / name
    result = CliRunner().invoke(cli, [*command, "--config", str(model), "--data", str(data),
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.stat().st_size > 0


def test_trend_figure_creates_its_folder(tiny, tmp_path):
    model, data = tiny
    figure = tmp_path / "figs" / "t.svg"
    result = CliRunner().invoke(cli, ["trend", "--from", "2020", "--to", "2021", "--config",
                                      str(model), "--data", str(data), "--figure", str(figure)])
    assert result.exit_code == 0, result.output
    assert figure.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_extract_creates_its_output_folder(tmp_path):
    article = write(tmp_path / "a.txt", "Huawei supplies 60 percent of Tajikistan's network.\n")
    target = tmp_path / "x" / "draft.toml"
    result = CliRunner().invoke(cli, ["extract", str(article), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_a_folder_that_cannot_be_made_is_one_message_and_nothing_is_made(tiny, tmp_path):
    model, data = tiny
    blocker = write(tmp_path / "afile", "")
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "-o", str(blocker / "sub" / "s.txt")])
    assert result.exit_code == 1
    assert f"{blocker / 'sub'}: cannot be created" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert blocker.read_text() == ""


def test_bad_input_makes_no_folder(tiny, tmp_path):
    model, _ = tiny
    bad = write(tmp_path / "bad.csv", "entity,x,y,z\nA,ten,1,0\n")
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(bad),
                                      "-o", str(tmp_path / "new" / "s.txt")])
    assert result.exit_code == 1 and not (tmp_path / "new").exists()


def test_folders_made_for_a_failed_write_are_removed(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    with pytest.raises(RuntimeError), made_folders(target) as created:
        assert created == [tmp_path / "a", tmp_path / "a" / "b"]
        assert (tmp_path / "a" / "b").is_dir()
        raise RuntimeError("the write failed")
    assert not (tmp_path / "a").exists()
    # a write refused after its folder was made (the target is a folder) leaves nothing
    (tmp_path / "c").mkdir()
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "c", "x")
    write_atomic(tmp_path / "d" / "e" / "f.txt", "ok")
    assert (tmp_path / "d" / "e" / "f.txt").read_text() == "ok"
