"""The files of a blank project (``riskscore init --blank``): one worked example indicator.

Everything here is a starting point to overwrite: a one-dimension model with one
indicator, two profiles (one value quoted from the article, one from an outside
source) and the article they quote. It scores and validates as it stands.
"""

from __future__ import annotations

PROJECT = """\
# riskscore project file: the files this index is made of, relative to this file.
# Every riskscore command run in this folder or below finds it.
name = "My risk index"
model = "config/model.toml"
profiles = "seeds/profiles"
article = "seeds/article.txt"
sensitivity = "config/sensitivity.toml"   # optional: built-in defaults if absent
gazetteer = "config/gazetteer.toml"
hints = "config/hints.toml"
registry = "config/suppliers.toml"
report = "reports/risk-report.md"
"""

MODEL = """\
# The model: a hierarchy of nodes over indicators. A weight is a share of its parent;
# siblings' weights are normalised to sum to 1. Unknown keys are errors.

[index]
id = "risk"
label = "My risk index"
scale = 100                 # scores run 0-100, higher = more risk
missing = "reweight"        # a missing value's weight goes to its available siblings
min_coverage = 0.5          # below this share of observed weight, a node is missing
evidence_date = 2024-01-01  # the default as-of date for dated facts

[nodes.exposure]
label = "Exposure"
weight = 1

# A worked example indicator: copy this table for each indicator of your index.
[indicators.example_share]
short = "example share"          # used in driver text
parent = "exposure"              # the node it belongs to
label = "Share of the network supplied by a single foreign vendor"
unit = "%"
direction = "higher_is_riskier"  # or "lower_is_riskier"
goalposts = [0, 100]             # raw values at 0 and 100 risk; values outside are clipped
weight = 1
"""

PROFILE_A = """\
# One profile per country. Every value carries its evidence; no evidence, no number.
entity = "Exampleland"
iso3 = "EXL"
as_of = 2024-01-01

[values.example_share]
value = 60
judgement = "The article gives a share of subscribers, used as a proxy for equipment."

[[values.example_share.evidence]]
kind = "article"                 # a verbatim quote from seeds/article.txt
quote = "about 60 percent of Exampleland's mobile subscribers"
"""

PROFILE_B = """\
entity = "Otherland"
iso3 = "OTL"
as_of = 2024-01-01

[values.example_share]
value = 25
lower = 20                       # a range the sources allow
upper = 30

[[values.example_share.evidence]]
kind = "external"
source = "Example statistics office, network survey"
url = "https://example.org/network-survey"
date = 2023-06-30
"""

ARTICLE = """\
An example article. A single foreign vendor now serves about 60 percent of Exampleland's
mobile subscribers, according to the regulator. Replace this file with the document your
profiles quote.
"""

REGISTRY = """\
# The dated supplier registry (used by derived indicators and by riskscore extract).
[instruments.example_list]
label = "An example restriction list"
severity = 1

[suppliers.example_vendor]
name = "Example Vendor Ltd."
aliases = ["Example Vendor"]
country = "US"
"""

GAZETTEER = """\
# Places and other names that point to a country (ISO 3166-1 alpha-3), for riskscore extract.
[places]
"""

HINTS = """\
# Which indicators a sentence may bear on, for riskscore extract.
[indicators.example_share]
keywords = ["vendor*", "subscriber*", "network*"]
figure_units = ["%"]
"""

README = """\
# A riskscore project

This folder is a riskscore project: `riskscore.toml` names its files, and every `riskscore`
command run here or in a folder below finds them (or pass `--project DIR` from anywhere).

It starts blank, with one worked example indicator (`example_share`) and two profiles:

| file | what |
|---|---|
| `riskscore.toml` | the project file: paths to everything below |
| `config/model.toml` | the model: nodes, indicators, goalposts and weights |
| `seeds/profiles/*.toml` | one profile per country: values with their evidence |
| `seeds/article.txt` | the article that quotes are checked against |
| `config/suppliers.toml`, `config/gazetteer.toml`, `config/hints.toml` | for `riskscore extract` |

Try `riskscore list indicators`, `riskscore score`, `riskscore explain Exampleland`. Then
replace the example with your own indicators and profiles, and run `riskscore validate`.
"""

FILES = {
    "riskscore.toml": PROJECT,
    "README.md": README,
    "config/model.toml": MODEL,
    "config/suppliers.toml": REGISTRY,
    "config/gazetteer.toml": GAZETTEER,
    "config/hints.toml": HINTS,
    "seeds/article.txt": ARTICLE,
    "seeds/profiles/exampleland.toml": PROFILE_A,
    "seeds/profiles/otherland.toml": PROFILE_B,
}
