"""Time: dated observations, --as-of / --known-at, max_age, panels, several documents.

Expected scores are computed by hand from the tiny model in ``support.TINY_MODEL``:
score = 100 * (0.75 * mean(x / 10, 1 - y / 100) + 0.25 * z), the mean taken over
the available ones of x and y (missing values are re-weighted).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.engine.pipeline import assess
from riskscore.errors import ConfigError, DataError, EvidenceError
from riskscore.inputs.registry import load_registry
from riskscore.model.timeline import MaxAge, add_months, date_range, parse_period
from support import TINY_MODEL, write

D = dt.date


@pytest.mark.parametrize(("text", "date"), [
    ("2019", D(2019, 12, 31)), ("2019-06", D(2019, 6, 30)), ("2020-02", D(2020, 2, 29)),
    ("2019-11-19", D(2019, 11, 19)), (" 2016 ", D(2016, 12, 31)),
])
def test_a_year_or_month_means_its_last_day(text, date):
    assert parse_period(text) == date


@pytest.mark.parametrize("text", ["19", "2019-13", "2019-02-30", "2019/01/01", "2019-1", ""])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_ages_and_date_steps():
    assert MaxAge.parse("3y").oldest(D(2020, 2, 29)) == D(2017, 2, 28)
    assert MaxAge.parse("18m").oldest(D(2020, 6, 30)) == D(2018, 12, 30)
    assert MaxAge.parse(90).oldest(D(2020, 3, 31)) == D(2020, 1, 1)
    assert str(MaxAge.parse("1y")) == "1 year"
    with pytest.raises(ValueError):
        MaxAge.parse("three years")
    assert add_months(D(2019, 1, 31), 1) == D(2019, 2, 28)
    assert date_range(D(2016, 12, 31), D(2019, 12, 31)) == [
        D(2016, 12, 31), D(2017, 12, 31), D(2018, 12, 31), D(2019, 12, 31)]
    assert date_range(D(2019, 12, 31), D(2020, 6, 30), "quarter") == [
        D(2019, 12, 31), D(2020, 3, 31), D(2020, 6, 30)]
    assert date_range(D(2020, 1, 31), D(2020, 3, 15), "month") == [D(2020, 1, 31), D(2020, 2, 29)]


# ---- panels -------------------------------------------------------------------

PANEL = """\
entity,date,x,y,z
A,2016,2,50,1
A,2017,,20,
A,2018-06,6,,0
B,2017-12-31,5,,0.5
"""


@pytest.fixture
def panel(tmp_path):
    return (write(tmp_path / "model.toml", TINY_MODEL), write(tmp_path / "panel.csv", PANEL))


def scores(result) -> dict[str, float]:
    return {e: round(float(s), 9) for e, s in zip(result.entities, result.scores, strict=True)}


def test_panel_carries_the_latest_earlier_value_forward(panel):
    model, data = panel
    # 2017: A has x=2 (2016, carried), y=20, z=1 (2016, carried): 100*(.75*(.2+.8)/2+.25) = 62.5
    #       B has x=5, y none, z=0.5: 100*(.75*.5+.25*.5) = 50
    assert scores(assess(model, data=data, as_of=D(2017, 12, 31))) == {"A": 62.5, "B": 50.0}
    # mid-2019: A has x=6, y=20 (2017), z=0 (2018-06): 100*(.75*(.6+.8)/2) = 52.5
    assert scores(assess(model, data=data, as_of=D(2019, 6, 30)))["A"] == 52.5
    # before any row: nothing to score
    early = assess(model, data=data, as_of=D(2015, 12, 31))
    obs = early.observations[("A", "x")]
    assert obs.is_missing and "earliest describes 2016-12-31" in obs.missing_reason


def test_panel_default_as_of_is_its_latest_date(panel):
    model, data = panel
    result = assess(model, data=data)
    assert result.as_of == D(2018, 6, 30)
    assert scores(result)["A"] == 52.5  # x=6, y=20 (2017), z=0


def test_max_age_makes_older_observations_missing(panel, tmp_path):
    _, data = panel
    aged = write(tmp_path / "aged.toml", TINY_MODEL.replace(
        'direction = "lower_is_riskier"', 'direction = "lower_is_riskier"\nmax_age = "1y"'))
    result = assess(aged, data=data, as_of=D(2019, 6, 30))
    # y (2017-12-31) is older than a year on 2019-06-30: A = 100*(.75*.6) = 45
    assert scores(result)["A"] == 45.0
    reason = result.observations[("A", "y")].missing_reason
    assert "older than max_age 1 year on 2019-06-30" in reason and "was 20" in reason
    # model-wide max_age applies to every indicator without its own
    wide = write(tmp_path / "wide.toml", TINY_MODEL.replace('scale = 100', 'scale = 100\nmax_age = 365'))
    late = assess(wide, data=data, as_of=D(2019, 12, 31))
    assert all(late.observations[("A", i)].is_missing for i in "xyz")


def test_bad_max_age_names_the_key(tmp_path):
    bad = write(tmp_path / "m.toml", TINY_MODEL.replace('scale = 100', 'scale = 100\nmax_age = "old"'))
    with pytest.raises(ConfigError, match=r"index\.max_age: is the text 'old'"):
        assess(bad, data=write(tmp_path / "p.csv", PANEL))


@pytest.mark.parametrize(("csv_text", "key", "problem"), [
    ("entity,date,x,y,z\nA,2016,1,1,1\nA,2016-12-31,1,1,1\n", "line 3, column entity",
     "repeats 'A' for date 2016-12-31 (first at line 2, column entity)"),
    ("entity,date,x,y,z\nA,16,1,1,1\n", "line 2, column date", "is '16'"),
    ("entity,date,x,y,z\nA,,1,1,1\n", "line 2, column date", "is empty"),
    ("entity,published,x,y,z\nA,2016,1,1,1\n", "header", "no 'date' column"),
])
def test_panel_errors_name_row_and_column(tmp_path, csv_text, key, problem):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "p.csv", csv_text)
    with pytest.raises(DataError) as info:
        assess(model, data=data)
    assert info.value.key == key and problem in info.value.problem


# ---- profiles with dated observations, --known-at --------------------------------

PROFILE = """
entity = "A"

[[values.x.observations]]
value = 3
as_of = 2018-12-31
[[values.x.observations.evidence]]
kind = "external"
source = "Yearbook 2019"
url = "https://example.org/2019"
date = 2019-03-01

[[values.x.observations]]
value = 5
as_of = 2019-06-30
[[values.x.observations.evidence]]
kind = "external"
source = "Yearbook 2020"
url = "https://example.org/2020"
date = 2020-01-15

[[values.x.observations]]
value = 4
as_of = 2018-12-31
published = 2020-06-01
[[values.x.observations.evidence]]
kind = "external"
source = "Yearbook 2020, revised"
url = "https://example.org/r"
date = 2020-06-01

[values.y]
value = 50
as_of = 2018-01-01
evidence = [{ kind = "article", quote = "Fifty percent." }]

[values.z]
value = 1
evidence = [{ kind = "external", source = "Registry", url = "https://example.org/z", date = 2017-01-01 }]
"""


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "model.toml", TINY_MODEL)
    write(tmp_path / "article.txt", "Headline.\n\nFifty percent. More later.\n")
    write(tmp_path / "article.toml", 'date = 2019-02-01\ntitle = "The seed article"\n')
    write(tmp_path / "profiles" / "a.toml", PROFILE)
    return tmp_path


def x_of(project, *args) -> float:
    runner = CliRunner()
    result = runner.invoke(cli, ["explain", "A", "--config", str(project / "model.toml"),
                                 "--profiles", str(project / "profiles"), "--format", "json",
                                 *args])
    assert result.exit_code == 0, result.output
    detail = json.loads(result.output)
    return detail, next(r for r in detail["rows"] if r["indicator"] == "x")


def test_as_of_picks_the_latest_observation_on_or_before_the_date(project):
    detail, row = x_of(project, "--as-of", "2019-12-31")
    assert row["value"] == "5" and row["as_of"] == "2019-06-30" and row["published"] == "2020-01-15"
    assert "latest of 3 observation(s) dated on or before 2019-12-31" in row["chosen"]
    # 2019-01: only the 2018 observations describe an earlier date; the revision
    # (published later for the same date) wins over the first release
    _, row = x_of(project, "--as-of", "2019-01")
    assert row["value"] == "4" and row["published"] == "2020-06-01"
    assert "1 later observation(s) ignored (from 2019-06-30)" in row["chosen"]


def test_known_at_excludes_later_publications(project):
    _, row = x_of(project, "--as-of", "2019-12-31", "--known-at", "2019-12-31")
    # the 2019-06-30 figure and the revision were published in 2020: the first release counts
    assert row["value"] == "3" and row["published"] == "2019-03-01"
    assert "2 observation(s) published after the known-at date 2019-12-31 left out" in row["chosen"]
    detail, _ = x_of(project, "--as-of", "2019-12-31", "--known-at", "2019-01-15")
    rows = {r["indicator"]: r for r in detail["rows"]}
    # nothing on x was published yet; the article (2019-02-01) neither: only z is known
    assert rows["x"]["status"] == "missing" and rows["y"]["status"] == "missing"
    assert detail["score"] == 100.0  # z = 1 alone: 100 * 1
    assert detail["known_at"] == "2019-01-15"


def test_score_json_records_known_at(project):
    result = CliRunner().invoke(cli, ["score", "--config", str(project / "model.toml"),
                                      "--profiles", str(project / "profiles"), "--format", "json",
                                      "--as-of", "2019", "--known-at", "2019-06-30"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["inputs"]["as_of"] == "2019-12-31"
    assert payload["inputs"]["known_at"] == "2019-06-30"
    # x=3 (first release), y=50, z=1: 100*(.75*(.3+.5)/2+.25) = 55
    assert payload["results"][0]["score"] == pytest.approx(55.0, abs=1e-12)


def test_observations_need_a_reference_date(project):
    write(project / "profiles" / "a.toml", PROFILE.replace("as_of = 2019-06-30\n", ""))
    with pytest.raises(DataError, match=r"values\.x\.observations\[1\]\.as_of: is missing"):
        assess(project / "model.toml", profiles=project / "profiles")


# ---- the registry under --known-at -------------------------------------------------

REGISTRY = """
[instruments.list]
label = "List"
severity = 2

[suppliers.acme]
name = "Acme"
country = "CN"

[[suppliers.acme.listings]]
instrument = "list"
start = 2019-05-01
published = 2019-05-20
end = 2020-01-01
end_published = 2020-03-01
source = "Listed in May, announced late; removal announced after it took effect"

[[suppliers.acme.listings]]
instrument = "list"
start = 2021-01-01
source = "No announcement date given: the start is assumed"
"""


def test_listings_follow_the_same_two_dates(tmp_path):
    acme = load_registry(write(tmp_path / "reg.toml", REGISTRY)).suppliers["acme"]
    first, second = acme.listings
    assert first.in_force(D(2019, 5, 10))                              # as known today
    assert not first.in_force(D(2019, 5, 10), known_at=D(2019, 5, 10))  # not yet announced
    assert first.in_force(D(2019, 5, 10), known_at=D(2019, 5, 20))
    assert not first.in_force(D(2020, 2, 1))                           # ended 2020-01-01
    assert first.in_force(D(2020, 2, 1), known_at=D(2020, 2, 1))       # end not yet announced
    assert not first.in_force(D(2020, 2, 1), known_at=D(2020, 3, 1))
    assert second.published_assumed and second.announced == D(2021, 1, 1)


# ---- several documents --------------------------------------------------------------

def test_quotes_name_their_document(project):
    docs = project / "documents"
    write(docs / "wire-2020.txt", "By 2020 the share rose to sixty percent, officials said.\n")
    write(docs / "wire-2020.toml", 'date = 2020-04-02\ntitle = "Share rises"\noutlet = "Wire"\n'
          'url = "https://example.org/wire"\n')
    profile = PROFILE.replace('''[values.y]
value = 50
as_of = 2018-01-01
evidence = [{ kind = "article", quote = "Fifty percent." }]''', '''[[values.y.observations]]
value = 50
as_of = 2018-01-01
evidence = [{ kind = "article", quote = "Fifty percent." }]

[[values.y.observations]]
value = 60
as_of = 2020-03-31
evidence = [{ kind = "article", document = "wire-2020", quote = "the share rose to sixty percent" }]''')
    write(project / "profiles" / "a.toml", profile)
    late = assess(project / "model.toml", profiles=project / "profiles", as_of=D(2020, 12, 31))
    obs = late.observations[("A", "y")]
    assert obs.value == 60 and obs.published == D(2020, 4, 2)  # the document's date
    assert obs.evidence[0].cite() == "“the share rose to sixty percent” (document wire-2020, 2020-04-02)"
    known = assess(project / "model.toml", profiles=project / "profiles", as_of=D(2020, 12, 31),
                   known_at=D(2020, 4, 1))
    assert known.observations[("A", "y")].value == 50  # the wire story was not out yet
    assert {d["id"] for d in late.inputs_block()["documents"]} == {"article", "wire-2020"}
    # a quote checked against the wrong document fails, naming it
    write(project / "profiles" / "a.toml", profile.replace('document = "wire-2020", quote = "the share',
                                                           'quote = "the share'))
    with pytest.raises(EvidenceError, match="is not in the article article.txt"):
        assess(project / "model.toml", profiles=project / "profiles")
    write(project / "profiles" / "a.toml", profile.replace('"wire-2020"', '"wire-2021"'))
    with pytest.raises(DataError, match=r"document: is 'wire-2021', not a document"):
        assess(project / "model.toml", profiles=project / "profiles")


def test_a_document_needs_its_sidecar(project):
    write(project / "documents" / "note.txt", "Text.\n")
    with pytest.raises(DataError, match=r"note\.toml: file not found"):
        assess(project / "model.toml", profiles=project / "profiles")


def test_the_audit_flags_a_value_counted_across_a_long_gap(panel):
    from riskscore.analyses.audit import audit

    model, data = panel
    # On 2020-12-31 A's y still comes from 2017-12-31 (3 years), x and z from 2018-06-30
    # (2.5 years): all older than two years; B's x and z (2017-12-31) too.
    found = [(f.entity, f.indicator) for f in audit(model, data=data, as_of=D(2020, 12, 31)).findings
             if f.code == "long-gap"]
    assert sorted(found) == [("A", "x"), ("A", "y"), ("A", "z"), ("B", "x"), ("B", "z")]
    # On 2019-06-30 the oldest value counted (2017-12-31) is 1.5 years old: nothing to flag
    found = [(f.entity, f.indicator) for f in audit(model, data=data, as_of=D(2019, 6, 30)).findings
             if f.code == "long-gap"]
    assert found == []


def test_extract_draft_names_the_document_and_the_draft_validates(tmp_path):
    from support import EXAMPLE  # the frozen copy: tests never read the editable example

    config = EXAMPLE / "config"
    docs = tmp_path / "documents"
    write(docs / "wire-2020.txt", "BISHKEK (Wire) - Huawei now supplies 85 percent of "
          "Kyrgyzstan's mobile base stations, the ministry said.\n")
    write(docs / "wire-2020.toml", 'date = 2020-04-02\ntitle = "Base stations"\n')
    result = CliRunner().invoke(cli, [
        "extract", str(docs / "wire-2020.txt"), "--draft", "Kyrgyzstan", "--as-of", "2020-03-31",
        "--gazetteer", str(config / "gazetteer.toml"), "--registry", str(config / "suppliers.toml"),
        "--hints", str(config / "hints.toml"), "--model", str(config / "model.toml")])
    assert result.exit_code == 0, result.output
    draft = result.stdout
    assert 'document = "wire-2020"' in draft
    # the draft is a valid profile of a project whose only text is that document
    write(tmp_path / "profiles" / "kyrgyzstan.toml", draft)
    scored = assess(config / "model.toml", profiles=tmp_path / "profiles", as_of=D(2020, 12, 31))
    mention = scored.inputs.profiles[0].suppliers[0]
    assert mention.supplier == "huawei" and mention.published == D(2020, 4, 2)
    assert mention.evidence[0].document == "wire-2020"


def test_a_value_left_out_by_article_only_sources_shows_its_latest_date(project):
    # x has three external-only observations (2018-12-31, 2019-06-30, 2018-12-31 revised):
    # under --sources article it is left out, dated by the latest of them, not the first.
    detail, row = x_of(project, "--sources", "article", "--as-of", "2019-12-31")
    assert row["status"] == "missing" and row["value"] == "missing"
    assert row["contribution"] is None                        # shown missing, not as 0
    assert row["as_of"] == "2019-06-30"
    assert "left out: backed by external sources only" in row["evidence"]
