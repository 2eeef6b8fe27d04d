"""The README's set-up commands: exactly two, and CI runs the test one (and the first one).

Whether its sample table is the shipped example's real ranking is checked by
checks/test_shipped_docs.py (CI runs it): it reads files a user may edit.
"""

from __future__ import annotations

import re

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = README[README.index("## Set-up"):README.index("## What you get")]
    commands = re.findall(r"```bash\n(.+?)\n```", setup)
    assert len(commands) == 2
    install_and_score, install_and_test = commands
    assert install_and_score.startswith("bash tools/install.sh && ")
    assert install_and_score.endswith("riskscore score")
    assert install_and_test.startswith("bash tools/install.sh --test && ")
    assert install_and_test.endswith("ruff check . && mypy riskscore && python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    # CI runs both commands verbatim, each on a line of its own, from the fresh clone's root.
    ci_lines = ci.splitlines()
    assert any(line.startswith(install_and_score) for line in ci_lines)
    assert install_and_test in ci_lines
    assert "python -m pytest checks" in ci
    assert "checks/plain_install.py" in ci
