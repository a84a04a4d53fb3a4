"""What a region profile says (``notebooks/region_profile.ipynb``): the Main points, the ICT and finance growth table
for readers with its title and deflator note, the titles of its other outputs and the headline figures recorded in
``reports/metrics.csv``, all built from the profile's tables (``tables``, ``growth``, ``areas``) and written by the
profiles' wording file (``wording.md.j2``). Profiles state figures, not findings: their metrics, each with its
description and sources from the table that produced it.
"""

from __future__ import annotations

import pandas as pd

from helpers import regions, sic
from helpers.data import indicators
from helpers.data.indicators import with_sources
from helpers.findings import wording
from helpers.findings.model import Metric, declarations
from helpers.questions.profiles import growth as profile_growth
from helpers.questions.profiles import tables
from helpers.safe_text import markdown_text

QUESTION = "profiles"
RULES = declarations(QUESTION)["rules"]


def words(macro: str, **fields) -> str:
    """A passage of the profiles' wording (Markdown)."""
    return wording.render(QUESTION, macro, **fields)


def line(macro: str, **fields) -> str:
    """One line of the profiles' wording (titles, notes)."""
    return wording.line(QUESTION, macro, **fields)


def page_heading(code: str) -> str:
    """The profile's own first heading (Markdown), naming its area: "# Leeds (TLE42): profile"."""
    tables.level_of(code)  # a valid ITL1, ITL2 or ITL3 code
    return line("page_heading", name=regions.region_name(code), code=code)


def window(code: str, start_year: int | None = None, end_year: int | None = None) -> tuple[int, int]:
    """The profile's window: the years given, or the span of the chained-volume data at the area's level."""
    tables.level_of(code)
    return profile_growth.window(code, start_year, end_year)


def growth(code: str, start_year: int, end_year: int) -> pd.DataFrame:
    """ICT and finance growth of the area and the UK total on both price bases, for readers (``growth.growth_table``):
    ``attrs``: ``title`` (the ICT comparison in words), ``note`` (the deflator and telecoms' weight), ``comparison``
    and ``telecoms``."""
    table = profile_growth.growth_table(code, start_year, end_year)
    cmp, telecoms = profile_growth.comparison(table), table.attrs["telecoms"]
    name = tables.area_label(code)
    shown = table.assign(sector=table.sector.map(sic.section_name),
                         area=[name if a == code else tables.line("uk_total") for a in table.area])
    shown.attrs = dict(table.attrs)
    shown.attrs["labels"] = {"sector": "Industry", "area": "Area", **{
        f"{basis}_cagr_pct": line("growth_column", basis=basis, window=cmp[basis]["window"], release=cmp[basis]["release"])
        for basis in profile_growth.BASES}}
    shown.attrs.update(title=line("growth_title", name=name, cmp=cmp), comparison=cmp,
                       note=line("deflator_note", name=name, t=telecoms, band=RULES["share_band"]))
    return with_sources(shown, table.attrs["source_ids"])


def main_points(code: str, start_year: int, end_year: int) -> str:
    """The 'Main points' bullets (Markdown), every number from the profile's tables."""
    head = tables.headline(code)
    relative = indicators.productivity("per_hour", tables.level_of(code), "relative")[code].dropna()
    table = growth(code, start_year, end_year)
    ranks = tables.ecosystem_ranks(code)
    named = tables.policies(code)["claims"]
    return words("main_points", code=code, name=tables.area_label(code), head=head, relative=relative,
                 cmp=table.attrs["comparison"], t=table.attrs["telecoms"], band=RULES["share_band"],
                 count=int(tables.ai_counts(tables.level_of(code))[code]), small=tables.SMALL_COUNT, ranks=ranks.to_dict("records"),
                 itl1=regions.parent_itl1(code), level=tables.level_of(code)) + claims_point(regions.parent_itl1(code),
                                                                                           named.to_dict("records"))


def similar_areas(code: str, similar: pd.DataFrame) -> str:
    """The profile's similar areas (Markdown): the areas of ``similar`` (``compare.similar_areas(code)``, nearest
    first, handed in by the notebook: a question does not import another's tables), each linked to its profile page,
    the method in one sentence, and the one command that compares the area with them."""
    method = similar.attrs["method"]
    return words("similar_areas", name=tables.area_label(code), level=tables.level_of(code),
                 areas=[{"code": c, "name": regions.region_name(c)} for c in similar.index],
                 indicators=method["indicators"], missing=method["missing"], count=method["areas"],
                 command=compare_command([code, *similar.index]))


def compare_command(codes: list[str]) -> str:
    """The command that compares ``codes`` side by side (the compare_areas report)."""
    return line("compare_command", codes=codes)


def claims_point(itl1: str, named: list[dict]) -> str:
    """The Main point on the claims that name the region (none: empty), each claim's words escaped for Markdown
    (they come from a file)."""
    rows = [{**row, "claim": markdown_text(row["claim"])} for row in named]
    return ("\n" + words("claims_point", itl1=itl1, claims=rows)) if rows else ""


def metrics(code: str, start_year: int, end_year: int) -> list[Metric]:
    """The profile's headline figures: productivity, GVA per head, ICT share and AI organisations per 100,000 of
    the area (and the UK total's AI rate); the ICT growth of the area and of the UK total on each price basis; and
    telecoms' share of the area's ICT where the release publishes it."""
    head, name = tables.headline(code), tables.area_label(code)
    years, sources = head.attrs["years"], head.attrs["column_sources"]
    out = [Metric(f"{code}_{key}", head.at[code, column], unit, line("metric", what=column, name=name, year=years[column]),
                  tuple(sources[column]))
           for key, column, unit in (("gva_per_hour", "gva_per_hour_uk100", "UK = 100"), ("gva_per_head", "gva_per_head", "GBP"),
                                     ("ict_share", "ict_share_pct", "% of GVA"),
                                     ("ai_orgs_per_100k", "ai_orgs_per_100k", "per 100,000 people"))]
    out.append(Metric("uk_total_ai_orgs_per_100k", head.at[regions.UK_CODE, "ai_orgs_per_100k"], "per 100,000 people",
                      line("metric", what="ai_orgs_uk", year=years["ai_orgs_per_100k"]), tuple(sources["ai_orgs_per_100k"])))
    table = growth(code, start_year, end_year)
    cmp, basis_sources = table.attrs["comparison"], table.attrs["basis_sources"]
    for prefix, who, side in ((code, name, "area"), ("uk_total", tables.line("uk_total"), "uk")):
        for basis, suffix in (("chained_volume", ""), ("current_prices_same_window", "_{}_{}"), ("current_prices", "")):
            c = cmp[basis]
            metric_basis = "current_prices" if basis != "chained_volume" else basis
            out.append(Metric(f"{prefix}_ict_cagr_{metric_basis}{suffix.format(*c['window'])}", c[side], "% a year",
                              line("metric", what="ict_cagr", name=who, basis=basis, window=c["window"],
                                   release=c["release"]), tuple(basis_sources[basis])))
    telecoms = table.attrs["telecoms"]
    if telecoms["available"]:
        out.append(Metric(f"{code}_telecoms_share_of_ict", telecoms["cp_share_area"], "% of ICT GVA",
                          line("metric", what="telecoms", name=name, year=telecoms["year"],
                               release=cmp["current_prices"]["release"]), tuple(basis_sources["current_prices"])))
    return [m for m in out if m.value == m.value]
