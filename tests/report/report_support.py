"""Helpers for the report tests: a small project with hand-written profiles, and
functions that read a report the way a reader's renderer does (markdown-it-py).

A plain module, not a conftest.py: a second ``conftest`` module would shadow the
one in tests/ for the modules that import from it."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
ARTICLE = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"

# Four equal dimensions; Alpha leads on vendor share, Beta on debt, Gamma has too
# little data to be scored. By hand (0-1 units): Alpha = mean(0.9, 0.458, 0.167) = 0.508,
# Beta = mean(0.15, 0.458, 0.833, 0.5) = 0.485; with --weight debt=0.7 Beta leads.
MINI_MODEL = """
[index]
id = "risk"
label = "Mini surveillance risk"
scale = 100
min_coverage = 0.5
evidence_date = 2019-11-19
registry = "suppliers.toml"

[nodes.vendor]
label = "Vendor share"

[nodes.sanctions]
label = "Sanctioned suppliers"

[nodes.debt]
label = "Debt exposure"

[nodes.data]
label = "Data gaps"

[indicators.vendor_telecom_share]
short = "vendor share"
parent = "vendor"
unit = "%"
goalposts = [0, 100]
weight = 2

[indicators.prc_surveillance_vendors]
short = "Chinese surveillance suppliers"
parent = "vendor"
unit = "count"
goalposts = [0, 4]
derive = "supplier_count"
roles = ["surveillance"]
countries = ["CN"]

[indicators.prc_deal_value]
short = "largest deal"
parent = "vendor"
unit = "US$ million"
goalposts = [1, 1000]
transform = "log10"

[indicators.sanctioned_suppliers]
short = "sanctioned suppliers"
parent = "sanctions"
unit = "count"
goalposts = [0, 4]
derive = "listed_supplier_count"
roles = ["surveillance", "telecom"]

[indicators.sanction_severity]
short = "worst listing"
parent = "sanctions"
goalposts = [0, 3]
derive = "max_listing_severity"
roles = ["surveillance", "telecom"]

[indicators.debt_share_external]
short = "debt share"
parent = "debt"
unit = "%"
goalposts = [0, 60]
weight = 2

[indicators.debt_distress_flag]
short = "distress flag"
parent = "debt"
goalposts = [0, 1]

[indicators.localisation_gap]
short = "localisation gap"
parent = "data"
goalposts = [0, 2]

[indicators.biometric_storage_opacity]
short = "biometric opacity"
parent = "data"
goalposts = [0, 2]

[indicators.dpa_independence_gap]
short = "DPA gap"
parent = "data"
goalposts = [0, 2]
"""

ALPHA = r'''
entity = "Alpha"
as_of = 2019-11-19

[[suppliers]]
id = "huawei"
role = "telecom"

[[suppliers.evidence]]
kind = "article"
quote = "Huawei, the beleaguered 5G giant, is a key player in China’s smart cities program."

[values.vendor_telecom_share]
value = 90
lower = 90
upper = 100
judgement = "Coded 90 | the stated floor"

[[values.vendor_telecom_share.evidence]]
kind = "article"
quote = """In Tajikistan, Huawei accounts for over 90 percent of the country’s \
telecommunications infrastructure."""

[values.prc_deal_value]
missing = "no figure | none published"

[values.debt_share_external]
value = 10

[[values.debt_share_external.evidence]]
kind = "external"
source = "Ministry of Finance | Debt bulletin"
url = "https://example.org/alpha-debt"
date = 2019-01-01

[values.localisation_gap]
value = 2
judgement = "No localisation rule found *in force*"

[[values.localisation_gap.evidence]]
kind = "external"
source = "Law database"
url = "https://example.org/law"
date = 2018-05-01
quote = "No rule on $ transfers."
'''

BETA = r'''
entity = "Beta"
as_of = 2019-11-19

[[suppliers]]
id = "hikvision"
role = "surveillance"

[[suppliers.evidence]]
kind = "article"
quote = """So far, over 4,000 cameras (many of them supplied by Hikvision) blanket \
Nur-Sultan, the capital."""

[values.vendor_telecom_share]
value = 10

[[values.vendor_telecom_share.evidence]]
kind = "external"
source = "Operator survey"
url = "https://example.org/survey"
date = 2019-02-01

[values.debt_share_external]
value = 50

[[values.debt_share_external.evidence]]
kind = "external"
source = "Debt office"
url = "https://example.org/beta-debt"
date = 2019-03-01

[values.localisation_gap]
value = 0

[[values.localisation_gap.evidence]]
kind = "external"
source = "Law database (same page, other title)"
url = "https://example.org/law"
date = 2018-05-01

[values.biometric_storage_opacity]
value = 2

[[values.biometric_storage_opacity.evidence]]
kind = "article"
quote = """Huawei, which is reportedly working closely with the government to develop \
this system, has so far offered no information on where the data will be stored."""
'''

GAMMA = r'''
entity = "Gamma"
as_of = 2019-11-19

[values.localisation_gap]
value = 1

[[values.localisation_gap.evidence]]
kind = "external"
source = "Law database"
url = "https://example.org/law"
date = 2018-05-01
'''


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    return path


def make_mini(tmp_path: Path) -> Path:
    """A project dir: riskscore.toml (the default paths), config/model.toml (small model),
    the example's registry, article, 3 profiles."""
    project = tmp_path / "project"
    write(project / "riskscore.toml", 'name = "mini"\n')
    write(project / "config" / "model.toml", MINI_MODEL)
    shutil.copy(EXAMPLE / "config" / "suppliers.toml", project / "config" / "suppliers.toml")
    (project / "seeds" / "profiles").mkdir(parents=True)
    shutil.copy(ARTICLE, project / "seeds" / ARTICLE.name)
    for name, text in (("alpha", ALPHA), ("beta", BETA), ("gamma", GAMMA)):
        write(project / "seeds" / "profiles" / f"{name}.toml", text)
    return project


def mini_args(project: Path) -> list[str]:
    return ["--config", str(project / "config" / "model.toml"),
            "--profiles", str(project / "seeds" / "profiles")]


def parse(markdown: str):
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(markdown)


def inline_text(token) -> str:
    """The text a reader sees for an inline token (escapes resolved, link targets dropped)."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)


def headings(tokens) -> list[tuple[int, str]]:
    return [(int(tok.tag[1]), inline_text(tokens[i + 1]))
            for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def tables(tokens) -> list[dict]:
    """Every table: {'heading': nearest heading above, 'header': [...], 'rows': [[...], ...]}."""
    found, heading, current, row, in_head = [], None, None, None, False
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            heading = inline_text(tokens[i + 1])
        elif tok.type == "table_open":
            current = {"heading": heading, "header": [], "rows": []}
        elif tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append(inline_text(tokens[i + 1]))
        elif tok.type == "tr_close":
            if in_head:
                current["header"] = row
            else:
                current["rows"].append(row)
        elif tok.type == "table_close":
            found.append(current)
    return found


def table_under(tokens, heading: str) -> dict:
    matches = [t for t in tables(tokens) if t["heading"] == heading]
    assert matches, f"no table under the heading {heading!r}"
    return matches[0]


def images(tokens) -> list[tuple[str, str]]:
    """(src, alt) of every image."""
    out = []
    for tok in tokens:
        for child in tok.children or []:
            if child.type == "image":
                out.append((child.attrGet("src"), child.content))
    return out


def paragraphs_and_items(tokens) -> list[str]:
    """The text of every inline token outside tables (paragraphs, list items)."""
    out, depth = [], 0
    for tok in tokens:
        if tok.type == "table_open":
            depth += 1
        elif tok.type == "table_close":
            depth -= 1
        elif tok.type == "inline" and depth == 0:
            out.append(inline_text(tok))
    return out


ARTICLE_QUOTE = re.compile(r"^article \[1\]: “(?P<quote>.*)”(?: — .*)?$")


SOURCE_ITEM = re.compile(r"^\[(?P<number>\d+)\] (?P<title>.*?)(?:, (?P<date>[^,]*?))?\. "
                         r"Cited for (?P<cited>.*)\.$")


def source_items(tokens) -> list[dict]:
    """The numbered Sources list as dicts: number, title, date, cited (as a reader sees them)."""
    out = []
    for item in paragraphs_and_items(tokens):
        match = SOURCE_ITEM.match(item)
        if match:
            out.append({**match.groupdict(), "number": int(match["number"])})
    return out
