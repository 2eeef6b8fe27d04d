"""Re-run the published-index examples on other releases and years (outside the test suite).

The examples under ``examples/`` reproduce one release each, and ``tests/examples/`` checks
that release. This script runs the *same* models (the examples' ``model.toml`` files) through
riskscore's library API on the other releases and years their publishers put out: each
release's table is converted on the fly into the example's input format (a wide CSV in a
temporary folder), scored with
``riskscore.assess``, and every published value is compared with the engine's at the
example's stated tolerance. Per index and release it reports how many published values are
reproduced, the worst difference, and the units that are not, with the reason where one is
known (a methodology change between releases, an input the table lacks).

Usage::

    python tools/check_releases.py                       # every check
    python tools/check_releases.py --check inform        # the INFORM releases only
    python tools/check_releases.py --check gdi/2019 --format json
    python tools/check_releases.py --source hdr-2021-22=HDR21-22_Composite_indices_complete_time_series.csv

The release files are not committed (a few megabytes); the tested releases are. They are read
from a local copy of the public repositories that keep them: by default
``$RISKSCORE_MIRROR/OWNER+NAME/repo`` (a git directory; ``RISKSCORE_MIRROR`` defaults to
``/work/.mirror``), at the commit named below. ``--source KEY=PATH`` points one source at a
downloaded file, a folder holding the repository's files, or a clone. ``--list-sources``
says where each one is published. A source that cannot be found is reported as not run,
with where to obtain it.

Exit status: 0 when every check ran and every value not reproduced has a known reason;
1 otherwise (a source is missing, or a difference has no known reason); 2 for usage errors.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HDI_MODEL = EXAMPLES / "hdi" / "model.toml"
DEFAULT_MIRROR = "/work/.mirror"
SHOWN = 12          # units listed per check in the text output (JSON lists all)


# ---- where the release files come from ------------------------------------------------------

@dataclass(frozen=True)
class Source:
    key: str            # the name --source uses
    repo: str           # the public GitHub repository that keeps the files (owner/name)
    commit: str         # the commit read
    title: str
    publisher: str      # where the publisher distributes the data
    licence: str


SOURCES = {s.key: s for s in (
    Source("viz-inform-risk", "OCHA-DAP/viz-inform-risk", "9fee4d899d335fbbc6dee379bb46f93227830ded",
           "INFORM Risk release tables 2016 (INFORM-2016.csv) and 2020 v0.4.0 "
           "(inform_gri_2020_v040.csv)",
           "European Commission JRC, INFORM Risk Index, https://drmkc.jrc.ec.europa.eu/inform-index",
           "repository MIT (LICENSE.txt); INFORM data: European Commission, reuse with "
           "attribution (Commission Decision 2011/833/EU)"),
    Source("hdr-2021-22", "Ben25Walker/Ben25Walker.github.io", "118facd167b21c1550477f591ea0c77af5cde250",
           "UNDP HDRO, HDR 2021/22 composite indices complete time series, 1990-2021 "
           "(HDR21-22_Composite_indices_complete_time_series.csv)",
           "https://hdr.undp.org/data-center/documentation-and-downloads",
           "UNDP HDR data: free reuse with attribution (https://hdr.undp.org/copyright-and-terms-use)"),
    Source("hdr-2023-24", "Ethanchu-bot/week4", "eda8b9588f319cc258c238e9edc8f6579bf3e024",
           "UNDP HDRO, HDR 2023/24 composite indices complete time series, 1990-2022 "
           "(HDR23-24_Composite_indices_complete_time_series.csv)",
           "https://hdr.undp.org/data-center/documentation-and-downloads",
           "UNDP HDR data: free reuse with attribution (https://hdr.undp.org/copyright-and-terms-use)"),
    Source("com2030-data", "AntoineLucic/COM2030-Data", "8b8b49e18518230aa90972ba626862501ff1d1bd",
           "ND-GAIN Country Index release files, 1995-2014 (resources/readiness, "
           "resources/vulnerability, resources/gain)",
           "University of Notre Dame Global Adaptation Initiative, https://gain.nd.edu/our-work/country-index/",
           "ND-GAIN data: free to use with attribution to ND-GAIN"),
)}
HDR_FILES = {"hdr-2021-22": "HDR21-22_Composite_indices_complete_time_series.csv",
             "hdr-2023-24": "HDR23-24_Composite_indices_complete_time_series.csv"}


class SourceMissing(Exception):
    """A release file that is not on this machine; the message says how to obtain it."""


def _git_dir(path: Path) -> Path | None:
    if (path / ".git").is_dir():
        return path / ".git"
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        return path
    return None


def _git_show(git: Path, commit: str, path: str) -> bytes:
    done = subprocess.run(["git", "--git-dir", str(git), "show", f"{commit}:{path}"],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise SourceMissing(f"{git} has no {path} at commit {commit[:10]} "
                            f"({done.stderr.decode(errors='replace').strip()})")
    return done.stdout


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class Reader:
    """Reads a source's files from --source overrides, else from the mirror of its repository."""

    def __init__(self, mirror: Path, overrides: dict[str, Path]):
        self.mirror = mirror
        self.overrides = overrides

    def text(self, key: str, path: str) -> str:
        source = SOURCES[key]
        how = (f"obtain it from {source.publisher} or from github.com/{source.repo} "
               f"(commit {source.commit[:10]}, {path}) and pass --source {key}=PATH "
               "(the file, a folder holding the repository's files, or a clone)")
        given = self.overrides.get(key)
        if given is not None:
            if given.is_file():
                return _decode(given.read_bytes())
            if given.is_dir():
                git = _git_dir(given)
                if git is not None:
                    return _decode(_git_show(git, source.commit, path))
                for candidate in (given / path, given / Path(path).name):
                    if candidate.is_file():
                        return _decode(candidate.read_bytes())
            raise SourceMissing(f"{key}: {path} not found under --source {given}; {how}")
        where = self.mirror / source.repo.replace("/", "+") / "repo"
        git = _git_dir(where)
        if git is None:
            raise SourceMissing(f"{key}: no copy of {source.repo} at {where}; {how}")
        try:
            return _decode(_git_show(git, source.commit, path))
        except SourceMissing as missing:
            raise SourceMissing(f"{key}: {missing}; {how}") from None


# ---- results --------------------------------------------------------------------------------

@dataclass
class Comparison:
    unit: str
    measure: str                 # the published column compared
    ours: float | None
    published: float
    ok: bool
    reason: str | None = None    # why it is not reproduced, where known
    allowed: str | None = None   # the range the published value had to fall in, where not simple

    @property
    def difference(self) -> float | None:
        return None if self.ours is None or math.isnan(self.ours) else abs(self.ours - self.published)


@dataclass
class Check:
    name: str                    # e.g. "inform/2016": what --check selects
    index: str
    release: str
    source: str                  # where the release table was read
    tolerance: str
    tested: bool = False         # the release tests/examples/ checks
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_run: str | None = None   # why it could not run (a source is missing)

    def summary(self) -> dict:
        failed = [c for c in self.comparisons if not c.ok]
        diffs = [(c.difference, c) for c in self.comparisons if c.difference is not None]
        worst = max(diffs, key=lambda d: d[0], default=None)
        return {
            "compared": len(self.comparisons),
            "reproduced": len(self.comparisons) - len(failed),
            "units": len({c.unit for c in self.comparisons}),
            "worst_difference": None if worst is None else worst[0],
            "worst_at": None if worst is None else f"{worst[1].unit} {worst[1].measure}",
            "not_reproduced_by_reason": dict(Counter(c.reason or "unexplained" for c in failed)),
            "unexplained": sum(1 for c in failed if not c.reason),
        }


# ---- running a model on a converted table ---------------------------------------------------

def write_table(folder: Path, name: str, columns: list[str], rows: dict[str, dict[str, str]]) -> Path:
    """A wide CSV in the examples' input format: ``entity`` then one column per input."""
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["entity", *columns])
        for entity, values in rows.items():
            writer.writerow([entity, *(values.get(c, "") for c in columns)])
    return path


def assess(model: Path, table: Path):
    import riskscore

    return riskscore.assess(model, data=table)


def number(text: str | None) -> float | None:
    """A published cell as a number; blank, 'x', '..' and spreadsheet errors are missing."""
    text = (text or "").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def decimals_equal(ours: float, published: float, places: int) -> bool:
    """The engine's value rounds to the published one at ``places`` decimals (as the tests do)."""
    return f"{ours + 0.0:.{places}f}" == f"{published:.{places}f}"


# ---- INFORM ---------------------------------------------------------------------------------

INFORM_RELEASES = {          # release -> (source key or None for the committed table, path, note)
    "Mid-2018 v0.3.4": (None, "examples/inform/INFORM_Mid2018_v034.csv"),
    "2016": ("viz-inform-risk", "INFORM-2016.csv"),
    "2020 v0.4.0": ("viz-inform-risk", "inform_gri_2020_v040.csv"),
}
EPIDEMIC = ("INFORM 2020 added an Epidemic hazard under Natural (a sixth hazard; the model keeps the "
            "Mid-2018 five): reproduced once a diagnostic copy of the model adds it")
EPIDEMIC_TOML = """
# diagnostic only (tools/check_releases.py): INFORM 2020's sixth natural hazard
[indicators.epidemic]
parent = "natural"
label = "Epidemic"
goalposts = [0, 10]
"""


def inform_runs(model_path: Path, release_rows: list[dict], folder: Path, tag: str) -> tuple:
    """The model on the published components, and on them -0.05 and +0.05 (clipped to 0-10)."""
    from riskscore import load_model

    model = load_model(model_path)
    by_label = {ind.label: ind_id for ind_id, ind in model.indicators.items()}
    runs = []
    for delta, name in ((0.0, "central"), (-0.05, "low"), (0.05, "high")):
        rows = {}
        for r in release_rows:
            values = {}
            for label, ind_id in by_label.items():
                v = number(r[label])
                values[ind_id] = "" if v is None else repr(min(10.0, max(0.0, v + delta)))
            rows[r["ISO3"].strip()] = values
        runs.append(assess(model_path, write_table(folder, f"inform-{tag}-{name}",
                                                   list(model.indicators), rows)))
    return model, runs


def within_rounding(runs: tuple, e: int, node: str, published: float) -> tuple[bool, float, float]:
    ours, lo, hi = (res.node_score(e, node) for res in runs)
    return (not math.isnan(ours)) and lo - 0.05 - 1e-9 <= published <= hi + 0.05 + 1e-9, lo, hi


def inform_check(release: str, reader: Reader, folder: Path) -> Check:
    key, path = INFORM_RELEASES[release]
    model_path = EXAMPLES / "inform" / "model.toml"
    check = Check(f"inform/{release.split()[0].lower()}", "INFORM Risk", release,
                  path if key is None else f"{SOURCES[key].repo}@{SOURCES[key].commit[:7]}:{path}",
                  "within the rounding of the inputs: each published value (one decimal) lies "
                  "within 0.05 of the model run on the published components -0.05 and +0.05",
                  tested=key is None)
    try:
        text = (ROOT / path).read_text(encoding="utf-8") if key is None else reader.text(key, path)
    except SourceMissing as missing:
        check.not_run = str(missing)
        return check
    release_rows = [r for r in csv.DictReader(io.StringIO(text)) if (r.get("ISO3") or "").strip()]
    header = list(release_rows[0])
    from riskscore import load_model

    absent = [ind.label for ind in load_model(model_path).indicators.values()
              if ind.label not in header]
    if absent:
        check.not_run = f"the release has no column {', '.join(absent)}"
        return check
    model, runs = inform_runs(model_path, release_rows, folder, "model")
    diagnostic = None
    if "Epidemic" in header:
        check.notes.append("the release's Epidemic hazard has no place in the model and is not "
                           "an input; values of Natural, HAZARD & EXPOSURE and INFORM RISK that "
                           "differ are re-run on a diagnostic copy of the model with Epidemic as "
                           "a sixth Natural hazard, only to name the reason")
        variant = folder / "inform-with-epidemic.toml"
        variant.write_text(model_path.read_text(encoding="utf-8") + EPIDEMIC_TOML, encoding="utf-8")
        diagnostic = inform_runs(variant, release_rows, folder, "epidemic")[1]
    nodes = {node.label: node_id for node_id, node in model.nodes.items()}
    measures = [label for label in header if label in nodes]
    for e, iso in enumerate(runs[0].entities):
        row = next(r for r in release_rows if r["ISO3"].strip() == iso)
        for label in measures:
            published = number(row[label])
            if published is None:
                continue
            ok, lo, hi = within_rounding(runs, e, nodes[label], published)
            reason = None
            if not ok and diagnostic is not None and \
                    within_rounding(diagnostic, e, nodes[label], published)[0]:
                reason = EPIDEMIC
            check.comparisons.append(Comparison(iso, label, runs[0].node_score(e, nodes[label]),
                                                published, ok, reason,
                                                f"{lo - 0.05:.3f}..{hi + 0.05:.3f}"))
    return check


# ---- HDI and GDI (the HDR composite-indices time series) -------------------------------------

HDR_YEARS = {   # (index, year) -> source of the time series
    ("hdi", 1990): "hdr-2021-22", ("hdi", 2000): "hdr-2021-22", ("hdi", 2010): "hdr-2021-22",
    ("hdi", 2015): "hdr-2021-22", ("hdi", 2019): "hdr-2021-22", ("hdi", 2021): "hdr-2021-22",
    ("hdi", 2022): "hdr-2023-24",
    ("gdi", 2000): "hdr-2021-22", ("gdi", 2010): "hdr-2021-22", ("gdi", 2015): "hdr-2021-22",
    ("gdi", 2019): "hdr-2021-22", ("gdi", 2022): "hdr-2023-24",
}
COUNTRY = re.compile(r"[A-Z]{3}")      # the series' regional and world aggregates are ZZA.VHHD ...


def hdr_rows(text: str) -> list[dict]:
    return [r for r in csv.DictReader(io.StringIO(text)) if COUNTRY.fullmatch(r["iso3"].strip())]


def hdr_check(index: str, year: int, reader: Reader, folder: Path) -> Check:
    """HDI or GDI of one year from one edition of the time series (or the committed GDI 2021)."""
    from riskscore import load_model

    committed = index == "gdi" and year == 2021
    key = None if committed else HDR_YEARS[(index, year)]
    model_path = HDI_MODEL if index == "hdi" else EXAMPLES / "gdi" / "model.toml"
    edition = {"hdr-2021-22": "HDR 2021/22", "hdr-2023-24": "HDR 2023/24", None: "HDR 2021/22"}[key]
    where = ("examples/gdi/inputs-2021.csv, published-2021.csv" if committed
             else f"{SOURCES[key].repo}@{SOURCES[key].commit[:7]}:{HDR_FILES[key]}")
    tolerance = ("equal at the published three decimals" if index == "hdi" else
                 "GDI equal at the published three decimals; female and male HDI within 1e-8")
    check = Check(f"{index}/{year}", index.upper(), f"{year} ({edition})", where, tolerance,
                  tested=committed)
    model = load_model(model_path)
    inputs = list(model.indicators)
    if committed:
        rows = {}
        with (EXAMPLES / "gdi" / "inputs-2021.csv").open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows[r["entity"]] = {c: r[c] for c in inputs}
        with (EXAMPLES / "gdi" / "published-2021.csv").open(encoding="utf-8", newline="") as f:
            published = {r["iso3"]: {"gdi": r["gdi"], "hdi_f": r["hdi_f"], "hdi_m": r["hdi_m"]}
                         for r in csv.DictReader(f)}
    else:
        try:
            series = hdr_rows(reader.text(key, HDR_FILES[key]))
        except SourceMissing as missing:
            check.not_run = str(missing)
            return check
        wanted = [f"{c}_{year}" for c in inputs]
        absent = [c for c in wanted if c not in series[0]]
        if absent:
            check.not_run = f"the time series has no column {', '.join(absent)}"
            return check
        rows = {r["iso3"]: {c: r[f"{c}_{year}"].strip() for c in inputs} for r in series}
        measures = ["hdi"] if index == "hdi" else ["gdi", "hdi_f", "hdi_m"]
        published = {r["iso3"]: {m: r.get(f"{m}_{year}", "") for m in measures} for r in series}
    result = assess(model_path, write_table(folder, f"{index}-{year}", inputs, rows))
    for e, iso in enumerate(result.entities):
        lacking = [c for c in inputs if number(rows[iso][c]) is None]
        reason = (f"the table lacks {', '.join(lacking)} for {year} (UNDP used another source)"
                  if lacking else None)
        for measure, text in published[iso].items():
            value = number(text)
            if value is None:
                continue
            if measure in ("hdi", "gdi"):
                ours = float(result.scores[e])
                ok = not math.isnan(ours) and decimals_equal(ours, value, 3)
            else:
                ours = result.node_score(e, {"hdi_f": "hdi_female", "hdi_m": "hdi_male"}[measure])
                ok = not math.isnan(ours) and abs(ours - value) <= 1e-8
            check.comparisons.append(Comparison(iso, measure, ours, value, ok, None if ok else reason))
    return check


# ---- ND-GAIN (the release's per-year files) --------------------------------------------------

NDGAIN_YEARS = tuple(range(1995, 2015))
NDGAIN_PUBLISHED = {"gain": "resources/gain/gain.csv",
                    "readiness": "resources/readiness/readiness.csv",
                    "vulnerability": "resources/vulnerability/vulnerability.csv"}


def ndgain_files(reader: Reader, model) -> dict[str, dict[str, dict[str, str]]]:
    """Each component's and published score's file: ISO3 -> year -> cell."""
    paths = {ind_id: f"resources/{ind.parent}/{ind_id}.csv" for ind_id, ind in model.indicators.items()}
    paths.update(NDGAIN_PUBLISHED)
    files = {}
    for name, path in paths.items():
        rows = csv.DictReader(io.StringIO(reader.text("com2030-data", path)))
        files[name] = {r["ISO3"].strip(): {k.strip(): (v or "").strip() for k, v in r.items()}
                       for r in rows if (r.get("ISO3") or "").strip()}
    return files


def ndgain_checks(years: list[int], reader: Reader, folder: Path) -> list[Check]:
    from riskscore import load_model

    model_path = EXAMPLES / "nd-gain" / "model.toml"
    model = load_model(model_path)
    source = SOURCES["com2030-data"]
    tolerance = "ND-GAIN within 1e-8, readiness and vulnerability within 1e-9 (as the example's test)"
    checks = [Check(f"nd-gain/{y}", "ND-GAIN", str(y), f"{source.repo}@{source.commit[:7]}:resources/",
                    tolerance, tested=(y == 2014)) for y in years]
    try:
        files = ndgain_files(reader, model)
    except SourceMissing as missing:
        for check in checks:
            check.not_run = str(missing)
        return checks
    inputs = list(model.indicators)
    units = sorted(files["gain"])
    for year, check in zip(years, checks, strict=True):
        col = str(year)
        rows = {iso: {c: files[c].get(iso, {}).get(col, "") for c in inputs} for iso in units}
        result = assess(model_path, write_table(folder, f"nd-gain-{year}", inputs, rows))
        for e, iso in enumerate(result.entities):
            for measure in NDGAIN_PUBLISHED:
                value = number(files[measure].get(iso, {}).get(col))
                if value is None:
                    continue
                if measure == "gain":
                    ours, ok_within = float(result.scores[e]), 1e-8
                else:
                    ours, ok_within = result.node_score(e, measure) / 100, 1e-9
                ok = not math.isnan(ours) and abs(ours - value) <= ok_within
                lacking = [c for c in inputs if number(rows[iso][c]) is None]
                reason = None if ok or not lacking else f"the release lacks {', '.join(lacking)}"
                check.comparisons.append(Comparison(iso, measure, ours, value, ok, reason))
    return checks


# ---- COINr's ASEM example (one published data set) ------------------------------------------

def coinr_check() -> Check:
    example = EXAMPLES / "coinr-asem"
    check = Check("coinr-asem/example", "COINr ASEM", "ASEM example (COINr data/ASEM_COIN.rda)",
                  "examples/coinr-asem/asem-published-aggregates.csv",
                  "equal at 2 decimals (the issue's tolerance)", tested=True)
    check.notes.append("COINr publishes one ASEM data set only (its example COIN): there is no "
                       "other release or year to check")
    result = assess(example / "model.toml", example / "asem-input.csv")
    with (example / "asem-published-aggregates.csv").open(encoding="utf-8", newline="") as f:
        published = {r["UnitCode"]: r for r in csv.DictReader(f)}
    for e, unit in enumerate(result.entities):
        for code, text in published[unit].items():
            value = number(text)
            if code in ("UnitCode", "UnitName") or value is None:
                continue
            ours = float(result.scores[e]) if code == result.model.root else result.node_score(e, code)
            check.comparisons.append(Comparison(unit, code, ours, value,
                                                decimals_equal(ours, value, 2)))
    return check


# ---- the command line -----------------------------------------------------------------------

def all_check_names() -> list[str]:
    names = [f"inform/{r.split()[0].lower()}" for r in INFORM_RELEASES]
    names += [f"{i}/{y}" for i, y in sorted(HDR_YEARS)] + ["gdi/2021"]
    names += [f"nd-gain/{y}" for y in NDGAIN_YEARS] + ["coinr-asem/example"]
    return names


def selected(names: list[str], wanted: list[str]) -> list[str]:
    if not wanted:
        return names
    return [n for n in names if any(n == w or n.startswith(w.rstrip("/") + "/") for w in wanted)]


def run_checks(names: list[str], reader: Reader) -> list[Check]:
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="check-releases-") as tmp:
        folder = Path(tmp)
        for release in INFORM_RELEASES:
            if f"inform/{release.split()[0].lower()}" in names:
                checks.append(inform_check(release, reader, folder))
        hdr = sorted({(n.split("/")[0], int(n.split("/")[1])) for n in names
                      if n.split("/")[0] in ("hdi", "gdi")})
        checks += [hdr_check(i, y, reader, folder) for i, y in hdr]
        years = [y for y in NDGAIN_YEARS if f"nd-gain/{y}" in names]
        if years:
            checks += ndgain_checks(years, reader, folder)
        if "coinr-asem/example" in names:
            checks.append(coinr_check())
    return checks


def fmt_diff(value: float | None) -> str:
    if value is None:
        return "-"
    return "0" if value == 0 else f"{value:.2g}"


def table_rows(checks: list[Check]) -> list[list[str]]:
    rows = []
    for c in checks:
        s = c.summary()
        release = c.release + (" (tested)" if c.tested else "")
        if c.not_run:
            rows.append([c.index, release, "not run", "-", "-", "source missing (see below)"])
            continue
        failed = ", ".join(f"{n} {'unexplained' if r == 'unexplained' else 'known: ' + r.split(' (')[0]}"
                           for r, n in s["not_reproduced_by_reason"].items())
        worst = fmt_diff(s["worst_difference"]) + (f" ({s['worst_at']})" if s["worst_at"] else "")
        rows.append([c.index, release, f"{s['units']} units, {s['compared']} values",
                     f"{s['reproduced']}/{s['compared']}", worst, failed or "-"])
    return rows


HEADER = ["index", "release / year", "compared", "reproduced", "worst difference", "not reproduced"]


def render(checks: list[Check], style: str) -> str:
    rows = table_rows(checks)
    out = []
    if style == "markdown":
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "---|" * len(HEADER))
        out += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(x) for x in col) for col in zip(HEADER, *rows, strict=True)]
        for r in [HEADER, ["-" * w for w in widths], *rows]:
            out.append("  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip())
    out.append("")
    for c in checks:
        lines = [f"{c.index} {c.release}: source {c.source}; tolerance: {c.tolerance}."]
        lines += [f"  note: {n}" for n in c.notes]
        if c.not_run:
            lines.append(f"  NOT RUN: {c.not_run}")
        failed = [x for x in c.comparisons if not x.ok]
        by_measure = Counter(x.measure for x in failed)
        if failed:
            lines.append("  not reproduced per measure: "
                         + ", ".join(f"{m} {n}" for m, n in sorted(by_measure.items())))
        unexplained = [x for x in failed if not x.reason]
        shown = unexplained[:SHOWN]
        for reason in dict.fromkeys(x.reason for x in failed if x.reason):
            shown += [x for x in failed if x.reason == reason][:3]
        for x in shown:
            ours = "missing" if x.difference is None else f"{x.ours:.6g}"
            allowed = f" (allowed {x.allowed})" if x.allowed else ""
            lines.append(f"  - {x.unit} {x.measure}: ours {ours}, published {x.published:g}{allowed}"
                         f" — {x.reason or 'unexplained'}")
        if len(failed) > len(shown):
            lines.append(f"  … and {len(failed) - len(shown)} more (--format json lists all)")
        if len(lines) > 1:
            out += [("- " if style == "markdown" else "") + lines[0], *lines[1:]]
    return "\n".join(out).rstrip() + "\n"


def to_json(checks: list[Check]) -> str:
    payload = []
    for c in checks:
        item = asdict(c)
        item["comparisons"] = [{**asdict(x), "ours": None if x.difference is None else x.ours}
                               for x in c.comparisons]     # NaN (no score) is null in JSON
        item["summary"] = c.summary()
        payload.append(item)
    return json.dumps({"checks": payload}, indent=2, allow_nan=False,
                      default=lambda v: None) + "\n"


def parse_sources(values: list[str], parser: argparse.ArgumentParser) -> dict[str, Path]:
    overrides = {}
    for value in values:
        key, sep, path = value.partition("=")
        if not sep or key not in SOURCES:
            parser.error(f"--source {value!r}: expected KEY=PATH with KEY one of {', '.join(SOURCES)}")
        overrides[key] = Path(path)
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check_releases.py",
        description="Re-run the published-index examples on other releases and years.")
    parser.add_argument("--check", action="append", default=[], metavar="NAME",
                        help="run only these checks (repeatable): an index (inform, hdi, gdi, "
                             "nd-gain, coinr-asem) or index/year, e.g. hdi/2019, inform/2020")
    parser.add_argument("--source", action="append", default=[], metavar="KEY=PATH",
                        help="read a source from PATH: the file, a folder of the repository's "
                             "files, or a clone (keys: " + ", ".join(SOURCES) + ")")
    parser.add_argument("--mirror", type=Path,
                        default=Path(os.environ.get("RISKSCORE_MIRROR", DEFAULT_MIRROR)),
                        help="folder of repository copies OWNER+NAME/repo (default "
                             "$RISKSCORE_MIRROR or /work/.mirror)")
    parser.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    parser.add_argument("--list-sources", action="store_true",
                        help="say where each release file is published, and stop")
    args = parser.parse_args(argv)
    if args.list_sources:
        for s in SOURCES.values():
            print(f"{s.key}: {s.title}\n  published by {s.publisher}\n  kept in "
                  f"github.com/{s.repo} at {s.commit}\n  licence: {s.licence}")
        return 0
    overrides = parse_sources(args.source, parser)
    names = selected(all_check_names(), args.check)
    if not names:
        parser.error(f"--check {' '.join(args.check)}: no such check; the checks are "
                     + ", ".join(all_check_names()))
    checks = run_checks(names, Reader(args.mirror, overrides))
    sys.stdout.write(to_json(checks) if args.format == "json" else render(checks, args.format))
    missing = [c for c in checks if c.not_run]
    for c in missing:
        print(f"check_releases.py: {c.name} not run: {c.not_run}", file=sys.stderr)
    unexplained = sum(c.summary()["unexplained"] for c in checks)
    return 1 if missing or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
