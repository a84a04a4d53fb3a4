"""The catalogue of datasets: every processed table (its manifest sources, builder, schema and the reference files
its code reads) and every reference table the project writes itself. ``helpers.data.datasets`` builds and
loads them; ``helpers.catalogue()`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import paths

# Reference files (data/reference/) read by helpers.regions (every loader maps codes or names through it) and helpers.sic.
REGION_REGISTRY, SIC_REGISTRY = ("itl1_regions.csv", "itl2_regions.csv"), ("sic2007_sections.csv",)


@dataclass(frozen=True)
class Dataset:
    """A processed table: its raw sources, the function that builds it, its schema and the reference files
    (``data/reference/``) its code reads.

    ``builder`` and ``schema`` are "module:attribute" references, imported only when the dataset is
    built, so that checking that everything is up to date stays fast.
    """

    name: str
    description: str
    sources: tuple[str, ...]
    builder: str
    schema: str = "helpers.data.schema:TIDY_SCHEMA"
    geo: bool = False
    reference: tuple[str, ...] = REGION_REGISTRY

    @property
    def builder_module(self) -> str:
        return self.builder.split(":")[0]

    @property
    def code_modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.builder_module, self.schema.split(":")[0]]))

    @property
    def path(self) -> Path:
        return paths().processed / f"{self.name}.parquet"

    @property
    def provenance_path(self) -> Path:
        return paths().processed / f"{self.name}.provenance.json"


@dataclass(frozen=True)
class ReferenceTable:
    """A small table the project writes itself, ``data/reference/<file>``: no manifest sources and nothing to
    build; it is read as it is (``read_csv`` options), and its fingerprint is the hash of its bytes."""

    name: str
    description: str
    file: str
    read_csv: dict = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return paths().reference / self.file


DATASETS: dict[str, Dataset | ReferenceTable] = {
    d.name: d
    for d in [
        Dataset(
            "gva_by_industry",
            "ONS regional GVA (balanced) by industry, ITL1 and ITL2, current prices and chained volume (2019 money "
            "value), releases of Apr 2023 (1998-2021) and Apr 2024 (ITL2 current prices, 1998-2022); GBP million.",
            ("gva_itl1_cp_2023", "gva_itl1_cvm_2023", "gva_itl2_cp_2023", "gva_itl2_cvm_2023", "gva_itl2_cp_2024"),
            "helpers.data.loaders.gva:build_gva_by_industry",
        ),
        Dataset(
            "regional_accounts",
            "ONS GVA totals (GBP million, current prices), resident population (persons) and GVA per head (GBP) "
            "for UK, England, ITL1, ITL2 and ITL3: Apr 2024 release (1998-2022) and Apr 2023 per-head workbook.",
            ("gva_total_cp_2024", "population_2024", "gva_per_head_2023"),
            "helpers.data.loaders.gva:build_regional_accounts",
        ),
        Dataset(
            "labour_productivity",
            "ONS subregional labour productivity (June 2024): GVA per hour worked (2004-2022) and per filled job "
            "(2002-2022), GBP and indices, UK, ITL1, ITL2 and ITL3.",
            ("productivity_2024",),
            "helpers.data.loaders.productivity:build_labour_productivity",
        ),
        Dataset(
            "employment",
            "ONS BRES employment by ITL2 and SIC division (2015-2021, persons), BRES full-time employees by ITL2 and "
            "SIC section (2015-2022) and ONS JOBS05 workforce jobs by region and section (quarterly 1996-2021, thousands).",
            ("bres_employment_sic2_2023", "bres_ft_employees_sections_2024", "workforce_jobs_2021"),
            "helpers.data.loaders.employment:build_employment",
            reference=REGION_REGISTRY + SIC_REGISTRY,
        ),
        Dataset(
            "innovation",
            "Regional innovation indicators: Nesta/BEIS venture capital, Innovate UK funding, tech firms founded, "
            "high-tech employment (NUTS2, 2006-2020); SMC business R&D per 100,000 residents by ITL2 (SON 2025 and 2026).",
            (
                "nesta_venture_capital",
                "nesta_innovate_uk",
                "nesta_tech_firms_founded",
                "nesta_hightech_employment",
                "berd_itl2_son25",
                "berd_itl2_son26",
            ),
            "helpers.data.loaders.innovation:build_innovation",
        ),
        Dataset(
            "skills_and_adoption",
            "Social Mobility Commission State of the Nation 2026 inputs: postgraduate degrees and new-economy jobs "
            "(% of 25-64 year olds, UK 2014-2025 and ITL2 pooled) and gigabit-capable broadband (% of premises).",
            ("smc_postgraduate", "smc_new_economy_jobs", "smc_gigabit_broadband"),
            "helpers.data.loaders.innovation:build_skills_and_adoption",
        ),
        Dataset(
            "job_postings",
            "Indeed Hiring Lab job postings index by UK region (1 Feb 2020 = 100, seasonally adjusted, daily).",
            ("indeed_postings_regions",),
            "helpers.data.loaders.job_postings:build_job_postings",
        ),
        Dataset(
            "ai_organisations",
            "Nesta WAIfinder AI organisations (Sep 2023 refresh), one row per organisation with types, location "
            "and ITL3/ITL2/ITL1 area by a spatial join of its latitude/longitude with the ONS ITL3 boundaries "
            "(nearest area within 5 km for coastal points; itl_match says which), with its place's NUTS-based "
            "ITL1/ITL2 codes kept as check columns.",
            ("waifinder_orgs_2023", "geo_itl3"),
            "helpers.data.loaders.ai_firms:build_ai_organisations",
            schema="helpers.data.loaders.ai_firms:AI_ORGANISATIONS_SCHEMA",
            reference=REGION_REGISTRY + ("itl3_regions.csv",),
        ),
        Dataset(
            "ai_job_postings",
            "Indeed Hiring Lab AI tracker and UK postings index: % of UK postings mentioning AI (2019-2026) and "
            "generative AI (2019-2025), and the UK job postings index, total and new (1 Feb 2020 = 100, 2020-2026); daily.",
            ("indeed_ai_share", "indeed_genai_share", "indeed_postings_national"),
            "helpers.data.loaders.indeed:build_ai_postings",
        ),
        Dataset(
            "city_job_postings",
            "Indeed Hiring Lab job postings index for 58 UK cities (1 Feb 2020 = 100, seasonally adjusted, daily).",
            ("indeed_postings_cities",),
            "helpers.data.loaders.indeed:build_city_postings",
            schema="helpers.data.loaders.indeed:CITY_POSTINGS_SCHEMA",
            reference=(),
        ),
        Dataset(
            "digital_sector_employment",
            "ONS BRES employment in the DCMS digital sector (22 SIC 2007 classes, summed from subclasses) by ITL2 "
            "area, 2015-2021 (2021 provisional); persons.",
            ("bres_employment_sic5_2023",),
            "helpers.data.loaders.digital_sector:build_digital_sector_employment",
        ),
        Dataset(
            "boundaries_itl1",
            "ONS ITL1 (January 2021) boundaries, generalised, WGS84; geometry made valid.",
            ("geo_itl1",),
            "helpers.data.loaders.geo:build_itl1_boundaries",
            schema="helpers.data.loaders.geo:BOUNDARY_SCHEMA",
            geo=True,
        ),
        Dataset(
            "boundaries_itl2",
            "ONS ITL2 (January 2021) boundaries, generalised, WGS84; geometry made valid (TLJ3 self-intersects).",
            ("geo_itl2",),
            "helpers.data.loaders.geo:build_itl2_boundaries",
            schema="helpers.data.loaders.geo:BOUNDARY_SCHEMA",
            geo=True,
        ),
        Dataset(
            "boundaries_itl3",
            "ONS ITL3 (January 2021) boundaries, generalised, WGS84; geometry made valid (TLJ36 self-intersects).",
            ("geo_itl3",),
            "helpers.data.loaders.geo:build_itl3_boundaries",
            schema="helpers.data.loaders.geo:BOUNDARY_SCHEMA",
            geo=True,
            reference=REGION_REGISTRY + ("itl3_regions.csv",),
        ),
        Dataset(
            "lad_lookup",
            "ONS lookup of local authority districts (December 2020) to LAU1, ITL3, ITL2 and ITL1 (January 2021): "
            "lad_code, lad_name, lau1_code, lau1_name, itl3_code, itl2_code, itl1_code; one row per LAU1 area (three "
            "Scottish councils span several ITL3 areas).",
            ("geo_lad_lookup",),
            "helpers.data.loaders.geo:build_lad_lookup",
            schema="helpers.data.loaders.geo:LAD_LOOKUP_SCHEMA",
            reference=REGION_REGISTRY + ("itl3_regions.csv",),
        ),
        ReferenceTable(
            "claims",
            "The checkable claims in the source articles and the policy paper (claim_id, claim, quote, document, "
            "claimant, claim_type, regions), written by the project from the texts in ../shared/seeds/.",
            "claims.csv",
            read_csv={"dtype": str, "keep_default_na": False},
        ),
        ReferenceTable(
            "ai_growth_zones",
            "The 5 AI Growth Zones (DSIT, AI Opportunities Action Plan: One Year On, 29 Jan 2026): place, ITL1 region, "
            "announced investment and jobs, targeted funding per zone (GBP), status and basis.",
            "ai_growth_zones.csv",
            read_csv={"dtype": {"targeted_funding_gbp": int}, "keep_default_na": False},
        ),
    ]
}
