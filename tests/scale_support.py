"""A synthetic index of real countries for the report and page at scale.

``benchmarks/synthetic.py`` writes the index (model.toml, data.csv); here its entity ids
become ISO3 codes of countries on the shipped map, the model gets score classes and, when
asked, a region column as its groups. Uniform values on 40 indicators give scores near the
middle, as a real composite index's do.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_synthetic  # noqa: E402

CLASSES = '\n[[classes]]\nlabel = "low"\nfrom = 0\n\n[[classes]]\nlabel = "medium"\nfrom = 45\n' \
          '\n[[classes]]\nlabel = "high"\nfrom = 55\n'
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def country_codes(count: int) -> list[str]:
    """The first ``count`` ISO3 codes of the shipped map, in alphabetical order."""
    from riskscore.outputs.worldmap import countries

    codes = sorted(c for c in countries() if c not in ("ATA", "CYN", "SOL", "XKX"))
    assert count <= len(codes)
    return codes[:count]


def write_countries(folder: Path, count: int = 150, indicators: int = 40, *,
                    groups: bool = False, extra: tuple[str, ...] = (),
                    countries: bool = True) -> tuple[Path, Path]:
    """A synthetic index of ``count`` countries (ISO3 ids; with ``countries`` False, the
    synthetic ids E00000...) plus the ``extra`` entity names, with classes and optionally a
    ``region`` group (the k-th row's region is ``REGIONS[k % 5]``)."""
    folder.mkdir(parents=True, exist_ok=True)
    model, data = write_synthetic(folder, count + len(extra), indicators, 3)
    lines = data.read_text(encoding="utf-8").splitlines()
    names = (country_codes(count) if countries else [f"E{k:05d}" for k in range(count)]) \
        + list(extra)
    header, rows = lines[0], lines[1:]
    if groups:
        header += ",region"
    out = [header]
    for k, (name, row) in enumerate(zip(names, rows, strict=True)):
        cells = row.split(",")
        cells[0] = name
        if groups:
            cells.append(REGIONS[k % len(REGIONS)])
        out.append(",".join(cells))
    data.write_text("\n".join(out) + "\n", encoding="utf-8")
    text = model.read_text(encoding="utf-8")
    if groups:
        text = text.replace('min_coverage = 0.3\n', 'min_coverage = 0.3\ngroups = ["region"]\n', 1)
    model.write_text(text.rstrip("\n") + "\n" + CLASSES, encoding="utf-8")
    return model, data
