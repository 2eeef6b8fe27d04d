"""``riskscore weights METHOD`` end to end: the JSON contract, judgement files, saving a
named set and scoring with it, and --set what-ifs; expected values worked independently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import write

# the children's normalised values (goalposts 0-10) of the seven entities with all three
ROWS = np.array([[1, 2, 9], [2, 4, 7], [3, 5, 8], [4, 3, 2], [5, 8, 4], [6, 7, 1], [7, 9, 5]]) / 10


def run(project: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exit_code == code, result.output
    return result


def as_json(project: Path, *args: str) -> dict:
    return json.loads(run(project, *args, "--format", "json").output)


def test_json_contract_and_entropy_against_pymcdm(project):
    from pymcdm.weights import entropy_weights

    out = as_json(project, "weights", "entropy")
    assert {"method", "node", "weights", "diagnostics"} <= set(out)
    assert out["method"] == "entropy" and out["node"] == "risk"
    got = [out["weights"][c] for c in "pqr"]
    assert got == pytest.approx(entropy_weights(ROWS), rel=1e-9)
    assert out["diagnostics"]["entities_left_out"] == 1
    assert out["diagnostics"]["entities_used"] == 7


def test_critic_against_pymcdm(project):
    from pymcdm.weights import critic_weights

    out = as_json(project, "weights", "critic")
    assert [out["weights"][c] for c in "pqr"] == pytest.approx(critic_weights(ROWS), rel=1e-9)


def test_equal_and_table_output_says_nothing_was_written(project):
    before = (project / "model.toml").read_text()
    result = run(project, "weights", "equal")
    assert "0.333" in result.output
    assert "not saved" in result.output
    assert (project / "model.toml").read_text() == before


def _ahp_file(path: Path, experts: dict[str, np.ndarray], children="pqr") -> Path:
    lines = ["expert,child," + ",".join(children)]
    for name, matrix in experts.items():
        for i, c in enumerate(children):
            lines.append(f"{name},{c}," + ",".join(repr(float(v)) for v in matrix[i]))
    return write(path, "\n".join(lines) + "\n")


def _consistent(w):
    w = np.asarray(w, dtype=float)
    return w[:, None] / w[None, :]


def test_ahp_two_experts_geometric_mean_and_consistency_ratio(project):
    # two consistent experts: the cell-wise geometric mean is consistent, with weights
    # proportional to the geometric mean of theirs; CR 0
    a, b = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    path = _ahp_file(project / "ahp.csv", {"ann": _consistent(a), "bob": _consistent(b)})
    out = as_json(project, "weights", "ahp", "--judgements", str(path))
    expected = np.sqrt(a * b) / np.sqrt(a * b).sum()
    assert [out["weights"][c] for c in "pqr"] == pytest.approx(expected, rel=1e-9)
    assert out["diagnostics"]["consistency_ratio"] == pytest.approx(0, abs=1e-9)
    assert out["diagnostics"]["experts"] == 2


def test_ahp_inconsistent_is_refused_unless_accepted_with_a_reason(project):
    # p > q (9), q > r (9), but r > p (9): a cycle, CR far above 0.1
    m = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    path = _ahp_file(project / "ahp.csv", {"cyc": m})
    result = run(project, "weights", "ahp", "--judgements", str(path), code=1)
    assert "ahp.csv" in result.output and "expert 'cyc'" in result.output
    assert "consistency ratio" in result.output and "--accept-inconsistent" in result.output
    out = as_json(project, "weights", "ahp", "--judgements", str(path),
                  "--accept-inconsistent", "pilot round")
    assert out["diagnostics"]["consistency_ratio"] > 0.1
    assert out["diagnostics"]["accepted_inconsistent"] == "pilot round"


def test_bad_judgement_file_names_file_expert_and_cell_all_at_once(project):
    path = write(project / "bad.csv", """
        expert,child,p,q,zz
        ann,p,1,3,2
        ann,q,1/2,1,4
        ann,zz,1,1,1
        bob,p,1,-2,1
        bob,q,-1/2,1,1
        bob,r,1,1,1
        cat,p,1,2,1
        cat,q,1/2,1,1
        """)
    before = (project / "model.toml").read_text()
    result = run(project, "weights", "ahp", "--judgements", str(path), "--save", "x", code=1)
    text = result.output
    assert "bad.csv: column 'zz': names an unknown child" in text
    assert "misses the child 'r'" in text
    assert "expert 'ann', row 'zz': names an unknown child" in text
    assert "expert 'ann', cell (q, p): is 0.5 but cell (p, q) is 3: not reciprocal" in text
    assert "expert 'bob', cell (p, q): is -2" in text
    assert "expert 'cat'" in text and "not square" in text
    assert "Traceback" not in text
    assert (project / "model.toml").read_text() == before


def test_budget_mean_by_hand_with_spread(project):
    path = write(project / "budget.csv", """
        expert,r,q,p
        ann,20,30,50
        bob,4,6,10
        cat,40,40,20
        """)
    out = as_json(project, "weights", "budget", "--judgements", str(path))
    assert out["weights"]["p"] == pytest.approx((0.5 + 0.5 + 0.2) / 3)
    assert out["weights"]["r"] == pytest.approx((0.2 + 0.2 + 0.4) / 3)
    assert out["diagnostics"]["spread"]["p"]["max"] == pytest.approx(0.5)


def test_budget_bad_cells(project):
    path = write(project / "budget.csv", """
        expert,p,q
        ann,x,30
        bob,0,0
        """)
    text = run(project, "weights", "budget", "--judgements", str(path), code=1).output
    assert "budget.csv: header: misses the child 'r'" in text
    assert "expert 'ann', cell 'p': is 'x'" in text
    assert "expert 'bob': allocates no points" in text


def test_constant_child_under_pca_and_critic_says_why_and_writes_nothing(project):
    write(project / "data.csv", "entity,p,q,r\n" + "".join(
        f"E{i},{i},5,{(i * 7) % 10}\n" for i in range(1, 9)))
    before = (project / "model.toml").read_text()
    for method in ("pca", "critic"):
        text = run(project, "weights", method, "--save", "s", code=1).output
        assert "constant child (q is the same for all 8 entities)" in text
        assert "Traceback" not in text
    assert (project / "model.toml").read_text() == before


def test_pca_on_the_project_matches_numpy_for_one_factor(project):
    # make the three children move together: one factor; weights = squared eigenvector
    rows = [(i, i + (i % 3) * 0.5, 10 - i + (i % 2)) for i in range(1, 10)]
    write(project / "data.csv", "entity,p,q,r\n" + "".join(
        f"E{i},{p},{q},{r}\n" for i, (p, q, r) in enumerate(rows)))
    x = np.array(rows, dtype=float)
    x[:, 2] = 10 - x[:, 2]   # direction does not change |correlations|
    values, vectors = np.linalg.eigh(np.corrcoef(np.array(rows, dtype=float), rowvar=False))
    top = vectors[:, -1]
    out = as_json(project, "weights", "pca")
    assert out["diagnostics"]["factors_kept"] == 1
    assert [out["weights"][c] for c in "pqr"] == pytest.approx(top ** 2 / (top ** 2).sum())


def test_bod_json_adds_entities(project):
    out = as_json(project, "weights", "bod")
    assert len(out["entities"]) == 7
    scores = [e["score"] for e in out["entities"]]
    assert max(scores) == pytest.approx(1.0) and all(s <= 1 + 1e-9 for s in scores)
    for e in out["entities"]:
        w = np.array([e["weights"][c] for c in "pqr"])
        assert w.sum() == pytest.approx(1.0)
    run(project, "weights", "bod", "--save", "x", code=2)


def test_optimised_meets_its_target_property(project):
    rng = np.random.default_rng(8)
    x = rng.uniform(0, 10, size=(40, 3)) * np.array([1.0, 0.4, 0.7])
    write(project / "data.csv", "entity,p,q,r\n" + "".join(
        f"E{i}," + ",".join(f"{v:.4f}" for v in row) + "\n" for i, row in enumerate(x)))
    out = as_json(project, "weights", "optimised", "--target", "p=2", "--target", "q=1",
                  "--target", "r=1")
    w = np.array([out["weights"][c] for c in "pqr"])
    y = (x / 10) @ w
    r = np.array([np.corrcoef(x[:, j], y)[0, 1] for j in range(3)])   # by numpy, not riskscore
    assert r / r.sum() == pytest.approx([0.5, 0.25, 0.25], abs=0.005)
    assert out["diagnostics"]["largest_gap"] < 0.005


def test_save_then_score_with_the_set_by_hand(project):
    path = _ahp_file(project / "ahp.csv", {"ann": _consistent([0.6, 0.3, 0.1])})
    run(project, "weights", "ahp", "--judgements", str(path), "--save", "panel")
    text = (project / "model.toml").read_text()
    assert "[weight_sets.panel]" in text and 'method = "ahp"' in text
    score = as_json(project, "score", "--weights", "panel")
    aland = next(r for r in score["results"] if r["entity"] == "Aland")
    assert aland["score"] == pytest.approx(100 * (0.6 * 0.1 + 0.3 * 0.2 + 0.1 * 0.9))
    assert score["model"]["weight_set"]["name"] == "panel"
    # the configured weights did not change
    plain = as_json(project, "score")
    aland = next(r for r in plain["results"] if r["entity"] == "Aland")
    assert aland["score"] == pytest.approx(100 * (2 * 0.1 + 0.2 + 0.9) / 4)
    # explain names the set
    assert "weight set: panel (ahp" in run(project, "explain", "Aland", "--weights",
                                            "panel").output
    # a second save under the same name is refused; the file is unchanged
    result = run(project, "weights", "equal", "--save", "panel", code=1)
    assert "exists already" in result.output
    assert (project / "model.toml").read_text() == text


def test_unknown_set_and_partial_set_are_errors(project):
    assert "is not a weight set" in run(project, "score", "--weights", "nope", code=1).output
    with open(project / "model.toml", "a") as f:
        f.write("\n[weight_sets.half]\nmethod = \"manual\"\n[weight_sets.half.weights]\np = 1\n")
    text = run(project, "score", code=1).output
    assert "weight_sets.half.weights" in text and "but not q, r" in text


def test_what_if_set_changes_one_value_and_is_marked(project):
    out = as_json(project, "score", "--set", "aland:p=10")
    aland = next(r for r in out["results"] if r["entity"] == "Aland")
    assert aland["score"] == pytest.approx(100 * (2 * 1.0 + 0.2 + 0.9) / 4)
    assert out["inputs"]["what_if"] == [{"entity": "Aland", "indicator": "p", "value": 10.0,
                                         "was": 1.0}]
    assert "what-if data (--set): Aland:p=10 (was 1)" in run(
        project, "score", "--set", "Aland:p=10").output
    assert "what-if" in run(project, "score", "--set", "Aland:p=10", "--format", "csv").output
    assert "what-if" in run(project, "explain", "Aland", "--set", "Aland:p=10").output


@pytest.mark.parametrize(("value", "message"), [
    ("Aland:p", "is not of the form ENTITY:INDICATOR=VALUE"),
    ("Aland:zz=1", "names 'zz', not an indicator"),
    ("Atlantis:p=1", "Atlantis: is not an entity"),
    ("Aland:p=x", "has the value 'x'"),
])
def test_bad_what_ifs(project, value, message):
    assert message in run(project, "score", "--set", value, code=1).output


def test_an_option_of_another_method_is_refused(project):
    result = run(project, "weights", "pca", "--judgements", "x.csv", code=2)
    assert "--judgements is for budget and ahp, not pca" in result.output


def test_node_must_be_a_node(project):
    assert "is not a node" in run(project, "weights", "equal", "--node", "p", code=1).output


def test_subprocess_json(project):
    done = subprocess.run([sys.executable, "-m", "riskscore", "weights", "critic", "--format",
                           "json"], cwd=project, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["method"] == "critic"


def test_audit_effective_weights_of_an_additive_node_match_the_analytic_value(project):
    # independent X_j ~ U(0, 10·s_j) under an arithmetic mean with weights w:
    # S_j = w_j² s_j² / Σ w_k² s_k² (the variance each explains, Paruolo et al. 2013)
    rng = np.random.default_rng(21)
    s = np.array([1.0, 1.0, 0.2])
    x = rng.uniform(0, 10, size=(1500, 3)) * s
    write(project / "data.csv", "entity,p,q,r\n" + "".join(
        f"E{i}," + ",".join(f"{v:.5f}" for v in row) + "\n" for i, row in enumerate(x)))
    w = np.array([0.5, 0.25, 0.25])
    analytic = w ** 2 * s ** 2 / (w ** 2 * s ** 2).sum()
    out = as_json(project, "audit")
    rows = {r["child"]: r for r in out["effective_weights"] if r["node"] == "risk"}
    # a sample estimate: its standard error is about 0.02 at n = 1500 (r² of r ≈ 0.45)
    assert [rows[c]["importance"] for c in "pqr"] == pytest.approx(analytic, abs=0.05)
    assert [rows[c]["nominal"] for c in "pqr"] == pytest.approx(w)
    assert [rows[c]["far"] for c in "pqr"] == [True, False, True]
    gaps = [f for f in out["findings"] if f["code"] == "weight-importance-gap"]
    assert sorted(f["indicator"] for f in gaps) == ["p", "r"]
    import re

    assert re.search(r"r under risk: nominal 25%, explains [0-3]% of the variance of risk",
                     " ".join(f["message"] for f in gaps))


def test_compare_to_a_weight_set_attributes_the_change_to_weights(project):
    write(project / "budget.csv", "expert,p,q,r\nann,20,20,60\n")
    run(project, "weights", "budget", "--judgements", str(project / "budget.csv"), "--save",
        "panel")
    out = as_json(project, "compare", "--to-weights", "panel")
    aland = next(r for r in out["results"] if r["entity"] == "Aland")
    before = 100 * (2 * 0.1 + 0.2 + 0.9) / 4
    after = 100 * (0.2 * 0.1 + 0.2 * 0.2 + 0.6 * 0.9)
    assert aland["change"] == pytest.approx(after - before)
    assert aland["attribution"] == {"method:weights": pytest.approx(after - before)}
    assert out["to"]["weight_set"] == "panel" and "weight_set" not in out["from"]


def test_compare_with_a_what_if_attributes_it_to_that_indicator(project):
    out = as_json(project, "compare", "--set", "Aland:r=0")
    aland = next(r for r in out["results"] if r["entity"] == "Aland")
    assert aland["change"] == pytest.approx(-100 * 0.9 / 4)
    assert aland["attribution"] == {"data:r": pytest.approx(-100 * 0.9 / 4)}
    assert out["to"]["what_if"][0]["was"] == 9.0 and "what_if" not in out["from"]
    text = run(project, "compare", "--set", "Aland:r=0").output
    # the note is wrapped to the terminal's width, where a long temporary path may break it
    assert "what-if data (--set): Aland:r=0 (was 9)" in " ".join(text.split())


def test_report_marks_the_what_if_and_names_the_set(project):
    write(project / "budget.csv", "expert,p,q,r\nann,20,20,60\n")
    run(project, "weights", "budget", "--judgements", str(project / "budget.csv"), "--save",
        "panel")
    out = project / "out" / "r.md"
    run(project, "report", "--samples", "0", "--weights", "panel", "--set", "Aland:p=3",
        "-o", str(out))
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(out.read_text())
    assert "<strong>What-if:</strong> this report replaces recorded values: Aland:p=3 (was 1)" \
        in html
    assert "<strong>Weights:</strong> the named weight set panel (budget" in html
    assert "Weights from the named set <code>panel</code> (budget" in html
    assert "Effective importance" in html


def test_workbook_about_sheet_names_the_set_and_the_what_if(project):
    import openpyxl

    write(project / "budget.csv", "expert,p,q,r\nann,20,20,60\n")
    run(project, "weights", "budget", "--judgements", str(project / "budget.csv"), "--save",
        "panel")
    target = project / "s.xlsx"
    run(project, "score", "--weights", "panel", "--set", "Aland:p=3", "--format", "xlsx",
        "-o", str(target))
    about = {row[0]: row[1] for row in openpyxl.load_workbook(target)["About"].iter_rows(
        values_only=True)}
    assert about["weight set"].startswith("panel (budget")
    assert "budget allocation" in about["weight set derivation"]
    assert about["what-if data"] == "Aland:p=3 (was 1)"


SETS_ONLY = """
[run]
samples = 400
[weights]
method = "sets"
[aggregation]
vary = false
[normalisation]
vary = false
[missing]
vary = false
[evidence]
vary = false
[sobol]
enabled = false
"""


def test_sensitivity_draws_the_weights_from_the_named_sets(project):
    with open(project / "model.toml", "a") as f:
        f.write("\n[weight_sets.r_only]\nmethod = \"manual\"\n[weight_sets.r_only.weights]\n"
                "p = 0\nq = 0\nr = 1\n")
    write(project / "sens.toml", SETS_ONLY)
    out = as_json(project, "sensitivity", "--settings", str(project / "sens.toml"))
    assert out["settings"]["weights"]["method"] == "sets"
    for row in out["entities"]:
        if row["entity"] == "Hyrkania":   # p missing: re-weighted over q and r
            continue
        p, q, r = ROWS[["Aland", "Borduria", "Carpania", "Dorvia", "Elbonia", "Freedonia",
                        "Genovia"].index(row["entity"])]
        configured, r_only = 100 * (2 * p + q + r) / 4, 100 * r
        # only two weightings can be drawn: every score is one of the two
        assert row["score_p05"] == pytest.approx(min(configured, r_only), abs=0.05)
        assert row["score_p95"] == pytest.approx(max(configured, r_only), abs=0.05)


def test_sensitivity_sets_without_sets_is_an_error(project):
    write(project / "sens.toml", SETS_ONLY)
    text = run(project, "sensitivity", "--settings", str(project / "sens.toml"), code=1).output
    assert "weights.method: is 'sets' but the model model.toml has no [weight_sets.NAME]" in text


def test_report_benefit_of_the_doubt_3x2_by_hand(project):
    write(project / "model.toml", "[index]\nid = \"risk\"\n[indicators.p]\ngoalposts = [0, 10]\n"
          "[indicators.q]\ngoalposts = [0, 10]\n")
    write(project / "data.csv", "entity,p,q\nA,10,5\nB,5,10\nC,4,4\n")
    out = project / "r.md"
    run(project, "report", "--samples", "0", "-o", str(out))
    text = out.read_text()
    # C: a + b/2 <= 1 and a/2 + b <= 1 bind at a = b = 2/3: 0.4·4/3 = 8/15 = 0.53
    assert "A and B reach 1 under some weighting" in text
    assert "- Even under its most favourable weights (p 50%, q 50%), C scores 0.53 of the " \
           "best score under them." in text


def test_csv_is_a_table_only(project):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run(project, "weights", "equal", "--format",
                                               "csv").output)))
    assert [r["child"] for r in rows] == ["p", "q", "r"]
    assert float(rows[0]["weight"]) == pytest.approx(1 / 3)
    assert float(rows[0]["in use"]) == pytest.approx(0.5)
    rows = list(csv.DictReader(io.StringIO(run(project, "weights", "bod", "--format",
                                               "csv").output)))
    assert len(rows) == 7 and set(rows[0]) == {"entity", "best-case score", "p", "q", "r"}


def test_report_leaves_benefit_of_the_doubt_out_beyond_its_limit(project, monkeypatch):
    from riskscore.outputs.report import markdown

    monkeypatch.setattr(markdown, "BOD_MAX_ENTITIES", 5)
    out = project / "r.md"
    run(project, "report", "--samples", "0", "-o", str(out))
    assert "Not computed for 8 entities (one linear programme each; the report does it for " \
           "at most 5): `riskscore weights bod` computes it." in out.read_text()


def test_trend_names_the_weight_set(project):
    write(project / "budget.csv", "expert,p,q,r\nann,20,20,60\n")
    run(project, "weights", "budget", "--judgements", str(project / "budget.csv"), "--save",
        "panel")
    text = run(project, "trend", "--from", "2019", "--to", "2020", "--weights", "panel").output
    assert "weight set panel (budget" in " ".join(text.split())
    out = as_json(project, "trend", "--from", "2019", "--to", "2020", "--weights", "panel")
    assert out["inputs"]["weight_set"]["name"] == "panel"
    aland = next(r for r in out["results"] if r["entity"] == "Aland")
    assert aland["scores"][0] == pytest.approx(100 * (0.2 * 0.1 + 0.2 * 0.2 + 0.6 * 0.9))
