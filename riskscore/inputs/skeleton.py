"""The files of a blank project (``riskscore init --blank``).

Two layouts, each a starting point to overwrite that scores and validates as it stands:

- ``DATA_FILES`` (the default): a data-table project -- a model with two dimensions,
  a small CSV table with an id, a label, a group and a kept column beside the
  indicators, and the ``[columns]`` table that declares them.
- ``FILES`` (``--profiles``): the evidence-profile layout -- a one-dimension model
  with one indicator, two profiles (one value quoted from the article, one from an
  outside source) and the article they quote.
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

DATA_PROJECT = """\
# riskscore project file: the files this index is made of, relative to this file.
# Every riskscore command run in this folder or below finds it.
name = "My composite index"
model = "config/model.toml"
data = "data/table.csv"           # a wide table: one row per entity (.csv or .xlsx)
report = "reports/report.md"      # where riskscore report writes
"""

DATA_MODEL = """\
# The model: a hierarchy of nodes over indicators. A weight is a share of its parent;
# siblings' weights are normalised to sum to 1. Unknown keys are errors.

[index]
id = "index"
label = "My composite index"
scale = 100                 # scores run 0-100, higher = more of what the index measures
missing = "reweight"        # a missing value's weight goes to its available siblings
normalisation = "minmax"    # rescale each indicator over the entities (no goalposts needed);
                            # "goalposts" instead needs goalposts = [lower, upper] per indicator

# The table's other columns, by role: every column is an indicator or named here.
[columns]
id = "iso3"                 # the entity id column
label = "name"              # shown instead of the id in tables, reports and the page
groups = ["region"]         # text groups (summaries, group imputation)
keep = ["population"]       # carried to the outputs; usable as a denominator
ignore = ["comment"]        # read past

[nodes.capacity]
label = "Capacity"
weight = 1

[nodes.exposure]
label = "Exposure"
weight = 1

[indicators.spending]
parent = "capacity"
label = "Public spending on the programme"
short = "spending"          # the name in running text (label is used when absent)
unit = "US$ per person"
direction = "lower_is_riskier"
domain = "nonnegative"

[indicators.incidents]
parent = "exposure"
label = "Reported incidents per 100,000 people"
denominator = "population"  # divided by the kept population column ...
per = 100000                # ... and multiplied by 100,000
domain = "nonnegative"

[indicators.law]
parent = "exposure"
label = "Protective law in force"
codes = { yes = 0, partial = 0.5, no = 1 }   # coded text in the table -> numbers
domain = [0, 1]
"""

DATA_TABLE = """\
iso3,name,region,population,spending,incidents,law,comment
NRL,Northland,North,5200000,410,130,yes,
STL,Southland,South,870000,95,64,no,figures provisional
ESL,Eastland,East,12400000,230,905,partial,
WSL,Westland,West,2300000,,51,yes,spending not published
MDL,Midland,North,640000,150,40,no,
"""

DATA_README = """\
# A riskscore project

riskscore builds a composite index from a table: it normalises each indicator,
aggregates them up a hierarchy of weighted nodes, ranks the entities, and explains
every score (contributions, drivers, missing data), how robust each rank is, and
where each number came from.

This folder is a riskscore project: `riskscore.toml` names its files, and every
`riskscore` command run here or in a folder below finds them (or pass `--project DIR`).

| file | what |
|---|---|
| `riskscore.toml` | the project file: the model, the data table, where the report goes |
| `config/model.toml` | the model: nodes, indicators, weights, and the table's `[columns]` roles |
| `data/table.csv` | the data: one row per entity, one column per indicator, other columns by role |

Try:

```bash
riskscore validate              # every problem in the model and table, at once
riskscore score                 # the ranked table
riskscore explain Northland     # why one entity scores what it does
riskscore audit                 # statistical checks of the indicators
riskscore report                # a Markdown report with figures
```

Then replace the table with your own: keep the header's id column, name each
indicator in `config/model.toml`, and give every other column a role in `[columns]`
(`label`, `groups`, `keep` or `ignore`). Coded text such as `yes`/`no` becomes a
number through `codes = { yes = 1, no = 0 }` on the indicator.
"""

DATA_FILES = {
    "riskscore.toml": DATA_PROJECT,
    "README.md": DATA_README,
    "config/model.toml": DATA_MODEL,
    "data/table.csv": DATA_TABLE,
}

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
