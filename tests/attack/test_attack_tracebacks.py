"""Attack review, defect 6: errors a user can cause are one message, never a traceback.

Most of the twelve cases are tested where their code lives (see tests/ATTACK.md); here
are the ones that had no test yet.
"""

from __future__ import annotations

from click.testing import CliRunner

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


def test_dollar_signs_in_an_entity_name_are_drawn_as_written(tmp_path):
    """'A$\\undefined$' reached matplotlib's mathtext: ParseFatalException."""
    model = write(tmp_path / "m.toml", TWO)
    data = write(tmp_path / "mt.csv", 'entity,x,y\n"A$\\undefined$",1,1\nB,2,2\n')
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--samples", "0", "-o", str(tmp_path / "r" / "r.md")])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    heatmap = (tmp_path / "r" / "figures" / "r-heatmap.svg").read_text(encoding="utf-8")
    assert "A$\\undefined$" in heatmap   # the label, as written (matplotlib keeps it in a comment)
