"""Attack review, defect 10 and the report's output folder, through the real command.

(Escaping of report text is tested by the escaping tests; this is the file-name side.)
"""

from __future__ import annotations

from urllib.parse import unquote

from click.testing import CliRunner
from markdown_it import MarkdownIt

from riskscore.cli.main import cli
from support import write

TWO = """
[index]
id = "risk"
[indicators.x]
goalposts = [0, 10]
[indicators.y]
goalposts = [0, 10]
"""


def _images(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [child.attrs["src"] for token in tokens if token.type == "inline"
            for child in token.children or [] if child.type == "image"]


def test_a_space_in_the_report_name_keeps_every_figure_linked(tmp_path):
    """``-o "out/my report.md"`` wrote ``](figures/my report-heatmap.svg)``: no figure rendered."""
    model = write(tmp_path / "m.toml", TWO)
    data = write(tmp_path / "d.csv", "entity,x,y\nA,1,2\nB,3,4\n")
    out = tmp_path / "out" / "my report.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--samples", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sources = _images(out.read_text(encoding="utf-8"))
    assert len(sources) == 2
    for src in sources:
        assert " " not in src and (out.parent / unquote(src)).is_file(), src


def test_report_creates_its_folder_as_documented_and_refuses_a_file_in_the_way(tmp_path):
    """The one command that creates its output folder (README, "Writing files"): a missing
    folder is made; a file where the folder should be is one message, exit 1."""
    model = write(tmp_path / "m.toml", TWO)
    data = write(tmp_path / "d.csv", "entity,x,y\nA,1,2\nB,3,4\n")
    args = ["report", "--config", str(model), "--data", str(data), "--samples", "0"]
    made = tmp_path / "new" / "deeper" / "r.md"
    assert CliRunner().invoke(cli, [*args, "-o", str(made)]).exit_code == 0
    assert made.is_file() and (made.parent / "figures" / "r-heatmap.svg").is_file()
    blocker = tmp_path / "afile"
    blocker.write_text("")
    result = CliRunner().invoke(cli, [*args, "-o", str(blocker / "r.md")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert str(blocker) in result.output
    # every other command follows the same rule: the missing folder is created
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "-o", str(tmp_path / "nowhere" / "s.json")])
    assert result.exit_code == 0 and (tmp_path / "nowhere" / "s.json").is_file()
