"""The mid-term scorecard: one row per indicator of the catalogue (data/raw/indicators.csv),
with its baseline, latest value, change, trend and a verdict given by a documented rule.

Where an indicator's data lives is written in the catalogue as a *locator*, an address of
contrat_ville.evaluation.locate (the one row-addressing language, shared with the audit):

    table[column=value|value;column=value].value_column:high_column@year_column

e.g. `annual_series[series_id=plie_participants;territory_id=200069110].value@year`. The
value column defaults to `value`, the high column (ranges) to none, the year column to
`year`; `@-` marks a table without a year. Rows of every edition up to the run's are read
(`values_at`). Adding an indicator is adding a catalogue row.

Each indicator is an *activity* volume (what the contract's actions did: participants,
hours, money; no desired direction), an *outcome* (a situation the contract wants to move)
or a *context* figure. For every indicator the scorecard gives three separate things:
the observation (`observation`: no value, undated, one level, or a change between two
comparable values or more, with its values, years and size), the statistical qualification
(`trend_status`: trend established or not, with its 95 % interval, from three points), and
the verdict, given by a documented rule (`verdict`) in this order, the first matching rule wins:

R1  activity volume, or context without desired direction   -> not_applicable
R2  no published value                                   -> not_assessable
R3  no value carries a year                              -> not_assessable
R4  one dated value (one vintage)                        -> not_assessable
R5  definition or perimeter changed between the values   -> not_assessable
R6  values are ranges or bounds                          -> not_assessable
R7  exhaustive count (or a commune census five years apart), two points or more: the observed
    change per year, first to last value, against the margin -> stable within it, otherwise
    improvement / deterioration by the desired direction
R8  estimate with only two points, or approximate values -> not_assessable
R9  estimate, 95 % CI of the annual change excludes 0    -> improvement / deterioration
R10 estimate, 95 % CI inside [-margin, +margin] % a year -> stable
R11 otherwise: no trend could be fitted, or its CI is too wide -> not_assessable

Verdicts, motifs and caveats are ids; their French wording, and that of the values, is
contrat_ville.presentation.scorecard_text (labels in presentation/vocabulary.yaml).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from contrat_ville.evaluation import locate, trends

# verdict ids (French labels: presentation/vocabulary.yaml, section `verdicts`)
IMPROVEMENT, STABLE, DETERIORATION, NOT_ASSESSABLE = "improvement", "stable", "deterioration", "not_assessable"
DEFAULT_MARGIN_PCT = 2.0  # "stable": the whole 95 % CI of the annual change within ±2 % a year
SMALL_COUNT = 100  # below this, a count moves by several % from a handful of people

NOT_APPLICABLE = "not_applicable"
VERDICTS = (IMPROVEMENT, STABLE, DETERIORATION, NOT_ASSESSABLE, NOT_APPLICABLE)
CLASSES = ("activity", "outcome", "context")
PILLARS = ("cohesion_sociale", "cadre_de_vie_renouvellement_urbain", "emploi_developpement_economique", "transversal")
DIRECTIONS = ("up", "down", "none")
CAVEAT_CODES = (
    "small_numbers",
    "vintage_not_stated",
    "insee_sub_commune",
    "definition_changed",
    "capacity_driven",
    "cumulative_only",
    "average_only",
    "published_change_only",
    "economic_context",
    "undated_external",
    "range",
    "approximate",
    "undated",
    "stock_date_unknown",
    "planned_amount",
    "census_five_years",
    "text_table_conflict",
)


def _year_column(address: locate.Address) -> str | None:
    """The column giving the year of a located value: `year` unless the locator says (`@-`: none)."""
    return None if address.year_column == locate.NO_YEAR else (address.year_column or "year")


def locator_tables(catalogue: pd.DataFrame) -> list[str]:
    """Raw tables the catalogue points to (its data, reference and change locators)."""
    columns = ("data", "reference", "published_change")
    return locate.tables_of(text for column in columns for text in catalogue[column].dropna())


# A value's raw row, `source_ref`: `<table>.csv key=value ... report_line=<n>`; a compared value
# adds its reference's after REFERENCE_SEPARATOR, a published change its row after CHANGE_SEPARATOR.
# Ids only: presentation.scorecard_text.source_words writes them in French for the published CSVs.
REFERENCE_SEPARATOR = " ; reference: "
CHANGE_SEPARATOR = " | change: "


def _source_ref(table: str, row: pd.Series, year_column: str | None = None) -> str:
    parts = [f"{table}.csv"]
    for key in ("figure_id", "series_id", "indicator_id", "territory_id"):
        if key in row and not pd.isna(row[key]):
            parts.append(f"{key}={row[key]}")
            if key == "figure_id":
                break
    if year_column and year_column in row and not pd.isna(row[year_column]):
        parts.append(f"{year_column}={int(row[year_column])}")
    if "report_line" in row and not pd.isna(row["report_line"]):
        parts.append(f"report_line={int(row['report_line'])}")
    return " ".join(parts)


def values_at(
    tables: dict[str, pd.DataFrame], locator: str | locate.Address, edition: int | None = None, aggregate: str = ""
) -> pd.DataFrame:
    """The located values: year (NA if undated), value_low, value_high, qualifier, edition, source_ref.

    Rows of later editions than `edition` are ignored; a dated value restated by a later
    edition replaces the earlier one. With aggregate='sum' the rows of one year are summed
    (all members must be present and published, otherwise the sum is missing)."""
    locator = locate.parse(locator) if isinstance(locator, str) else locator
    if locator.table not in tables:
        raise KeyError(f"table {locator.table!r} is not loaded (declare it as an input of the notebook)")
    key = locate.primary_key(tables, locator.table)
    rows = locate.select(tables[locator.table], locator, key, edition, up_to_edition=True)
    year_column = _year_column(locator)
    published = rows["value_status"].eq("published") if "value_status" in rows else pd.Series(True, index=rows.index)
    low = rows[locator.column].astype("Float64").where(published)
    high = rows[locator.high_column].astype("Float64").where(published) if locator.high_column else low
    out = pd.DataFrame(
        {
            "year": rows[year_column].astype("Int64") if year_column else pd.array([pd.NA] * len(rows), dtype="Int64"),
            "value_low": low,
            "value_high": high,
            "qualifier": rows["qualifier"].astype("string") if "qualifier" in rows else "exact",
            "edition": rows["edition"].astype("Int64")
            if "edition" in rows
            else pd.array([pd.NA] * len(rows), dtype="Int64"),
            "source_ref": [_source_ref(locator.table, r, year_column) for _, r in rows.iterrows()],
        }
    ).reset_index(drop=True)
    spread = (out["value_low"] != out["value_high"]).fillna(False) | (
        out["value_low"].notna() & out["value_high"].isna()
    )
    out["qualifier"] = out["qualifier"].where(~(spread & (out["qualifier"] == "exact")), "range")
    if aggregate == "sum" and len(out):
        members = max(len(values) for _, values in locator.filters) if locator.filters else 1
        groups = []
        for (year, ed), group in out.groupby(["year", "edition"], dropna=False, sort=True):
            complete = len(group) == members and group["value_low"].notna().all()
            groups.append(
                {
                    "year": year,
                    "value_low": group["value_low"].sum() if complete else pd.NA,
                    "value_high": group["value_high"].sum() if complete else pd.NA,
                    "qualifier": "exact" if (group["qualifier"] == "exact").all() else "environ",
                    "edition": ed,
                    "source_ref": " + ".join(group["source_ref"]),
                }
            )
        out = pd.DataFrame(groups, columns=out.columns)
        out[["value_low", "value_high"]] = out[["value_low", "value_high"]].astype("Float64")
    dated = out[out["year"].notna()].sort_values(["year", "edition"]).drop_duplicates("year", keep="last")
    undated = out[out["year"].isna()]
    return pd.concat([dated, undated]).reset_index(drop=True)


def compare(subject: pd.DataFrame, reference: pd.DataFrame, how: str) -> pd.DataFrame:
    """Gap (subject − reference) or ratio (subject / reference), matched on the year (undated
    values are matched on the edition)."""
    if how not in ("gap", "ratio"):
        raise ValueError(f"comparison must be 'gap' or 'ratio', not {how!r}")
    key = lambda frame: frame["year"].astype("string").fillna("ed" + frame["edition"].astype("string").fillna(""))  # noqa: E731
    ref = reference.assign(_key=key(reference)).set_index("_key")
    rows = []
    for _, s in subject.assign(_key=key(subject)).iterrows():
        if s["_key"] not in ref.index:
            continue
        r = ref.loc[s["_key"]]
        result = trends.compare_ranges(s["value_low"], s["value_high"], r["value_low"], r["value_high"])
        low, high = (
            (result["gap_low"], result["gap_high"]) if how == "gap" else (result["ratio_low"], result["ratio_high"])
        )
        exact = s["qualifier"] == "exact" and r["qualifier"] == "exact"
        rows.append(
            {
                "year": s["year"],
                "value_low": low,
                "value_high": high,
                "qualifier": "exact" if exact else "range",
                "edition": s["edition"],
                "source_ref": f"{s['source_ref']}{REFERENCE_SEPARATOR}{r['source_ref']}",
            }
        )
    out = pd.DataFrame(rows, columns=subject.columns)
    out[["value_low", "value_high"]] = out[["value_low", "value_high"]].astype("Float64")
    return out


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Evidence:
    """What the verdict rule looks at, for one indicator."""

    n_values: int  # published values, dated or not
    n_dated: int  # distinct dated points (a published change counts its start year)
    comparable: bool = True  # same definition and perimeter at every point
    exact: bool = True  # every value is an exact point value (no range, bound, approximation)
    ci_low: float | None = None  # 95 % CI of the annual change, % per year (trend of >= 3 points)
    ci_high: float | None = None
    bounded: bool = False  # some value is a range or a bound: the direction of a change is uncertain
    exhaustive: bool = False  # a full count or register (or a commune census five years apart)
    observed_annual_pct: float | None = None  # observed change first -> last value, % per year


@dataclass(frozen=True)
class Verdict:
    verdict: str
    rule: str
    motif: str  # a code of MOTIFS; the French wording is contrat_ville.presentation.scorecard_text


# Motif codes: what the rule saw (French text in contrat_ville.presentation.scorecard_text.MOTIFS)
MOTIFS = (
    "no_direction",
    "no_value",
    "undated",
    "single_point",
    "definition_changed",
    "bounded",
    "observed_beyond_margin",
    "observed_within_margin",
    "estimate_two_points",
    "estimate_approximate",
    "trend_established",
    "stability_established",
    "interval_too_wide",
    "no_fit",
)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def verdict(
    evidence: Evidence, direction: str, margin_pct: float = DEFAULT_MARGIN_PCT, indicator_class: str = "outcome"
) -> Verdict:
    """The documented rule (module docstring): first matching rule wins."""
    if direction not in DIRECTIONS:
        raise ValueError(f"desired direction must be one of {sorted(DIRECTIONS)}, not {direction!r}")
    if indicator_class not in CLASSES:
        raise ValueError(f"indicator class must be one of {sorted(CLASSES)}, not {indicator_class!r}")
    e = evidence
    if indicator_class == "activity" or direction == "none":
        return Verdict(NOT_APPLICABLE, "R1", "no_direction")
    if e.n_values == 0:
        return Verdict(NOT_ASSESSABLE, "R2", "no_value")
    if e.n_dated == 0:
        return Verdict(NOT_ASSESSABLE, "R3", "undated")
    if e.n_dated == 1:
        return Verdict(NOT_ASSESSABLE, "R4", "single_point")
    if not e.comparable:
        return Verdict(NOT_ASSESSABLE, "R5", "definition_changed")
    if e.bounded:
        return Verdict(NOT_ASSESSABLE, "R6", "bounded")
    if e.exhaustive and not _missing(e.observed_annual_pct):
        # a full count has no sampling error: the observed change is the measure
        if abs(e.observed_annual_pct) <= margin_pct:
            return Verdict(STABLE, "R7", "observed_within_margin")
        good = (e.observed_annual_pct > 0) == (direction == "up")
        return Verdict(IMPROVEMENT if good else DETERIORATION, "R7", "observed_beyond_margin")
    if not e.exact:
        return Verdict(NOT_ASSESSABLE, "R8", "estimate_approximate")
    if e.n_dated == 2:
        return Verdict(NOT_ASSESSABLE, "R8", "estimate_two_points")
    if _missing(e.ci_low) or _missing(e.ci_high):
        return Verdict(NOT_ASSESSABLE, "R11", "no_fit")
    if e.ci_low > 0 or e.ci_high < 0:
        good = (e.ci_low > 0) == (direction == "up")
        return Verdict(IMPROVEMENT if good else DETERIORATION, "R9", "trend_established")
    if -margin_pct <= e.ci_low and e.ci_high <= margin_pct:
        return Verdict(STABLE, "R10", "stability_established")
    return Verdict(NOT_ASSESSABLE, "R11", "interval_too_wide")


def trend_status(ci_low: object, ci_high: object, margin_pct: float, n_dated: int, exact: bool) -> str:
    """The statistical qualification, separate from the verdict: 'up' / 'down' (CI excludes 0),
    'stable' (CI inside the margin), 'not_established' (CI too wide), 'two_points',
    'approximate' (no fit on rounded values), 'none' (fewer than two dated values)."""
    if n_dated < 2:
        return "none"
    if not _missing(ci_low) and not _missing(ci_high):
        if ci_low > 0:
            return "up"
        if ci_high < 0:
            return "down"
        if -margin_pct <= ci_low and ci_high <= margin_pct:
            return "stable"
        return "not_established"
    if not exact:
        return "approximate"
    return "two_points" if n_dated == 2 else "not_established"


def observation(n_values: int, n_dated: int, comparable: bool, bounded: bool) -> str:
    """What the data allow one to see: 'no_value', 'undated', 'level' (one dated point),
    'not_comparable' (definition changed, or ranges), 'change' (two comparable points or more)."""
    if n_values == 0:
        return "no_value"
    if n_dated == 0:
        return "undated"
    if n_dated == 1:
        return "level"
    if not comparable or bounded:
        return "not_comparable"
    return "change"


# --------------------------------------------------------------------------- one indicator, the whole catalogue

MODEL_KIND = {"count": "count", "rate": "rate", "amount": "amount", "gap": "amount", "ratio": "amount"}


def _codes(text) -> list[str]:
    if _missing(text) or not str(text).strip():
        return []
    codes = [c.strip() for c in str(text).split(";") if c.strip()]
    unknown = [c for c in codes if c not in CAVEAT_CODES]
    if unknown:
        raise ValueError(f"unknown caveat code(s) {unknown}; known: {sorted(CAVEAT_CODES)}")
    return codes


def indicator_values(row: pd.Series, tables: dict[str, pd.DataFrame], edition: int | None) -> pd.DataFrame:
    """The indicator's values (comparison applied when the catalogue asks for one)."""
    aggregate = "" if _missing(row.get("aggregate")) else str(row["aggregate"])
    values = values_at(tables, row["data"], edition, aggregate)
    comparison = "" if _missing(row.get("comparison")) else str(row["comparison"])
    if comparison:
        reference = values_at(tables, row["reference"], edition)
        values = compare(values, reference, comparison)
    return values


def _flag(row: pd.Series, column: str) -> bool:
    value = row.get(column)
    return False if _missing(value) else str(value).strip().lower() in ("true", "1", "yes")


def _annual_pct(ratio: float, span) -> float:
    """Geometric change per year, in %, for a value multiplied by `ratio` over `span` years."""
    if _missing(span) or not span or _missing(ratio) or ratio <= 0:
        return math.nan
    return 100 * (ratio ** (1 / float(span)) - 1)


# --------------------------------------------------------------------------- the steps, one indicator
# assess = locate -> observe (values, years, change) -> fit -> judge -> row; the notebook shows each
# step's table (located_values, changes, trend_rows, verdicts) and `build` composes the same functions


def _dated(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Published values; those with a year (sorted by year); those without."""
    published = values[values["value_low"].notna()]
    return published, published[published["year"].notna()].sort_values("year"), published[published["year"].isna()]


def observe(
    row: pd.Series, values: pd.DataFrame, tables: dict[str, pd.DataFrame], baseline_year: int, edition: int | None
) -> dict:
    """Step 2, the change computation: baseline and latest values, the change between them
    (% for counts and amounts, points for rates and gaps; or the change the source publishes)
    and the observed change per year, geometric: 100 × ((last / first)^(1 / years) − 1)."""
    published, dated, undated = _dated(values)
    point = (published["value_low"] == published["value_high"]).fillna(False)
    # ranges and bounds ("plus de") leave the direction of a change open; "environ" and
    # "près de" are point values rounded by the source, usable for an observed change
    bounded = bool((~point).any() or published["qualifier"].isin(["range", "plus_de", "moins_de"]).any())
    exact = bool((published["qualifier"] == "exact").all() and point.all())
    latest = dated.iloc[-1] if len(dated) else (undated.sort_values("edition").iloc[-1] if len(undated) else None)
    at_baseline = dated[dated["year"] == baseline_year]
    baseline = at_baseline.iloc[0] if len(at_baseline) else (dated.iloc[0] if len(dated) > 1 else None)

    change = {"change_kind": "", "change_value": math.nan, "change_from_year": pd.NA, "change_to_year": pd.NA}
    observed_annual, n_dated, change_ref, published_change_used = math.nan, len(dated), "", False
    if not _missing(row.get("published_change")) and str(row["published_change"]).strip():
        published_change = values_at(tables, row["published_change"], edition)
        if len(published_change) and published_change["value_low"].notna().all():
            c = published_change.iloc[-1]
            value = float(row["published_change_sign"]) * float(c["value_low"])
            to_year = pd.NA if latest is None else latest["year"]
            change = {
                "change_kind": "published_pct",
                "change_value": value,
                "change_from_year": c["year"],
                "change_to_year": to_year,
            }
            if not _missing(c["year"]) and not _missing(to_year):
                observed_annual = _annual_pct(1 + value / 100, to_year - c["year"])
            if not _missing(c["year"]) and c["year"] not in set(dated["year"]):
                n_dated += 1
            change_ref = f"{CHANGE_SEPARATOR}{c['source_ref']}"
            published_change_used = True
    elif baseline is not None and latest is not None and not bounded and baseline["year"] != latest["year"]:
        first, last = float(baseline["value_low"]), float(latest["value_low"])
        if row["kind"] in ("rate", "gap"):
            kind, value = "points", last - first
        elif row["kind"] == "ratio":
            kind, value = "ratio_difference", last - first
        else:
            kind, value = "pct", 100 * (last / first - 1) if first else math.nan
        change = {
            "change_kind": kind,
            "change_value": value,
            "change_from_year": baseline["year"],
            "change_to_year": latest["year"],
        }
        observed_annual = _annual_pct(last / first if first else math.nan, latest["year"] - baseline["year"])

    def value_of(point, column):
        return math.nan if point is None or _missing(point[column]) else float(point[column])

    return {
        "n_values": len(published),
        "n_dated": n_dated,
        "bounded": bounded,
        "exact": exact,
        "baseline_year": pd.NA if baseline is None else baseline["year"],
        "baseline_value": value_of(baseline, "value_low"),
        "baseline_value_high": value_of(baseline, "value_high"),
        "baseline_qualifier": "" if baseline is None else baseline["qualifier"],
        "latest_year": pd.NA if latest is None else latest["year"],
        "latest_value": value_of(latest, "value_low"),
        "latest_value_high": value_of(latest, "value_high"),
        "latest_qualifier": "" if latest is None else latest["qualifier"],
        **change,
        "observed_annual_pct": observed_annual,
        "published_change_used": published_change_used,
        "change_ref": change_ref,
    }


def fit(row: pd.Series, values: pd.DataFrame) -> list[trends.TrendFit]:
    """Step 3, the fits: every model of trends.fit_series on the dated exact values (three
    points or more), the kept one flagged; none for ranges, approximations or fewer points."""
    published, dated, _ = _dated(values)
    point = (published["value_low"] == published["value_high"]).fillna(False)
    exact = bool((published["qualifier"] == "exact").all() and point.all())
    if len(dated) < trends.MIN_POINTS_FOR_TREND or not exact:
        return []
    try:
        fits = trends.fit_series(
            pd.DataFrame({"year": dated["year"].astype(float), "value": dated["value_low"].astype(float)}),
            MODEL_KIND[row["kind"]],
        )
        trends.kept(fits)  # exactly one kept fit, or no usable fit at all
        return fits
    except trends.TrendError:
        return []


def judge(row: pd.Series, observed: dict, fits: list[trends.TrendFit], margin_pct: float) -> dict:
    """Step 4, the verdict: the evidence the rule reads (from steps 2 and 3) and the first
    rule of `verdict` that matches."""
    kept = trends.kept(fits) if fits else None
    comparable = "definition_changed" not in _codes(row.get("caveats"))
    observed_annual = observed["observed_annual_pct"]
    evidence = Evidence(
        n_values=observed["n_values"],
        n_dated=observed["n_dated"],
        comparable=comparable,
        exact=observed["exact"],
        ci_low=kept.ci_low_pct if kept else None,
        ci_high=kept.ci_high_pct if kept else None,
        bounded=observed["bounded"],
        exhaustive=_flag(row, "exhaustive"),
        observed_annual_pct=None if math.isnan(observed_annual) else observed_annual,
    )
    indicator_class = str(row.get("indicator_class") or "outcome")
    judged = verdict(evidence, row["desired_direction"], margin_pct, indicator_class)
    return {
        "comparable": comparable,
        "exhaustive": evidence.exhaustive,
        "trend_model": kept.model if kept else "",
        "annual_change_pct": kept.annual_change_pct if kept else math.nan,
        "ci_low_pct": kept.ci_low_pct if kept else math.nan,
        "ci_high_pct": kept.ci_high_pct if kept else math.nan,
        "p_value": kept.p_value if kept else math.nan,
        "dispersion": kept.dispersion if kept else math.nan,
        "trend_status": trend_status(
            kept.ci_low_pct if kept else None,
            kept.ci_high_pct if kept else None,
            margin_pct,
            observed["n_dated"],
            observed["exact"],
        ),
        "margin_pct": margin_pct,
        "verdict": judged.verdict,
        "rule": judged.rule,
        "motif": judged.motif,
    }


def scorecard_row(row: pd.Series, values: pd.DataFrame, observed: dict, judged: dict) -> dict:
    """Step 5: the scorecard row, with the caveats detected in the values."""
    published, _, _ = _dated(values)
    codes = _codes(row.get("caveats"))
    if observed["published_change_used"]:
        codes.append("published_change_only")
    if not observed["exact"]:
        codes.append("range" if observed["bounded"] else "approximate")
    has_latest = len(published) > 0  # the latest value is the last published one
    if has_latest and _missing(observed["latest_year"]):
        codes.append("undated")
    if row["kind"] == "count" and has_latest and observed["latest_value"] < SMALL_COUNT:
        codes.append("small_numbers")
    codes = list(dict.fromkeys(codes))
    direction = ""
    if not _missing(observed["change_value"]):
        value = observed["change_value"]
        direction = "up" if value > 0 else "down" if value < 0 else "flat"
    keys = ("n_values", "n_dated")
    return {
        "indicator_id": row["indicator_id"],
        "label": row["label"],
        "pillar": row["pillar"],
        "indicator_class": str(row.get("indicator_class") or "outcome"),
        "exhaustive": judged["exhaustive"],
        "territory_id": row["territory_id"],
        "kind": row["kind"],
        "unit": row["unit"],
        "source_id": row["source_id"],
        "desired_direction": row["desired_direction"],
        **{k: observed[k] for k in observed if k.startswith(("baseline_", "latest_"))},
        **{k: observed[k] for k in keys},
        "comparable": judged["comparable"],
        "exact": observed["exact"],
        "observation": observation(
            observed["n_values"], observed["n_dated"], judged["comparable"], observed["bounded"]
        ),
        **{k: observed[k] for k in ("change_kind", "change_value", "change_from_year", "change_to_year")},
        "change_direction": direction,
        "observed_annual_pct": observed["observed_annual_pct"],
        **{k: judged[k] for k in judged if k not in ("comparable", "exhaustive")},
        "caveat_codes": ";".join(codes),
        "data": row["data"],
        "source_rows": " | ".join(published["source_ref"]) + observed["change_ref"],
    }


def assess(
    row: pd.Series,
    tables: dict[str, pd.DataFrame],
    baseline_year: int,
    edition: int | None = None,
    margin_pct: float = DEFAULT_MARGIN_PCT,
) -> tuple[dict, list[trends.TrendFit]]:
    """One scorecard row for catalogue row `row`, and the trend fits behind it (if any)."""
    values = indicator_values(row, tables, edition)
    observed = observe(row, values, tables, baseline_year, edition)
    fits = fit(row, values)
    return scorecard_row(row, values, observed, judge(row, observed, fits, margin_pct)), fits


# --------------------------------------------------------------------------- the steps, the whole catalogue

VALUE_COLUMNS = ["year", "value_low", "value_high", "qualifier", "edition", "source_ref"]
LOCATED_COLUMNS = ["indicator_id", "locator", "table", *VALUE_COLUMNS]


def located_values(
    catalogue: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None
) -> pd.DataFrame:
    """Step 1: every value located for every indicator, one row each: indicator, locator,
    raw table(s), year, low and high value (equal for a point value), qualifier, edition and
    the raw row it comes from (`source_ref`: table, key, year, report line)."""
    frames = []
    for _, row in catalogue.iterrows():
        values = indicator_values(row, tables, edition)
        names = [locate.parse(row[c]).table for c in ("data", "reference") if not _missing(row.get(c)) and row[c]]
        names = names if not _missing(row.get("comparison")) and row["comparison"] else names[:1]
        frames.append(values.assign(indicator_id=row["indicator_id"], locator=row["data"], table=" ; ".join(names)))
    located = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LOCATED_COLUMNS)
    return located[LOCATED_COLUMNS].astype(
        {"year": "Int64", "value_low": "Float64", "value_high": "Float64", "qualifier": "string", "edition": "Int64"}
    )


def values_of(located: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """One indicator's rows of `located_values`, as `indicator_values` returns them."""
    return located.loc[located["indicator_id"] == indicator_id, VALUE_COLUMNS].reset_index(drop=True)


def changes(
    catalogue: pd.DataFrame,
    located: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    baseline_year: int,
    edition: int | None = None,
) -> pd.DataFrame:
    """Step 2 for the whole catalogue: `observe` per indicator (values, years, change)."""
    rows = [
        {
            "indicator_id": row["indicator_id"],
            **observe(row, values_of(located, row["indicator_id"]), tables, baseline_year, edition),
        }
        for _, row in catalogue.iterrows()
    ]
    return pd.DataFrame(rows)


def fit_all(catalogue: pd.DataFrame, located: pd.DataFrame) -> dict[str, list[trends.TrendFit]]:
    """Step 3 for the whole catalogue: the fits by indicator id (indicators with a fit only)."""
    fits = {}
    for _, row in catalogue.iterrows():
        indicator_fits = fit(row, values_of(located, row["indicator_id"]))
        if indicator_fits:
            fits[row["indicator_id"]] = indicator_fits
    return fits


TREND_ROW_COLUMNS = [
    "indicator_id",
    "model",
    "kept",
    "n_points",
    "first_year",
    "last_year",
    "annual_change_pct",
    "ci_low_pct",
    "ci_high_pct",
    "p_value",
    "dispersion",
    "inference",
]


def trend_rows(fits: dict[str, list[trends.TrendFit]]) -> pd.DataFrame:
    """Step 3 as a table: one row per model fitted, the kept one flagged."""
    rows = [{"indicator_id": i, **f.as_row()} for i, indicator_fits in fits.items() for f in indicator_fits]
    return pd.DataFrame(rows, columns=TREND_ROW_COLUMNS + ["alpha", "note"])[TREND_ROW_COLUMNS]


def _record(frame: pd.DataFrame, indicator_id: str) -> dict:
    return frame[frame["indicator_id"] == indicator_id].drop(columns="indicator_id").to_dict("records")[0]


def verdicts(
    catalogue: pd.DataFrame,
    changed: pd.DataFrame,
    fits: dict[str, list[trends.TrendFit]],
    margin_pct: float = DEFAULT_MARGIN_PCT,
) -> pd.DataFrame:
    """Step 4 for the whole catalogue: `judge` per indicator (evidence, rule, verdict, motif)."""
    rows = []
    for _, row in catalogue.iterrows():
        indicator_id = row["indicator_id"]
        rows.append(
            {
                "indicator_id": indicator_id,
                **judge(row, _record(changed, indicator_id), fits.get(indicator_id, []), margin_pct),
            }
        )
    return pd.DataFrame(rows)


def assemble(
    catalogue: pd.DataFrame, located: pd.DataFrame, changed: pd.DataFrame, judged: pd.DataFrame
) -> pd.DataFrame:
    """Step 5: the scorecard in catalogue order, from the tables of steps 1, 2 and 4."""
    rows = []
    for _, row in catalogue.iterrows():
        indicator_id = row["indicator_id"]
        values = values_of(located, indicator_id)
        rows.append(scorecard_row(row, values, _record(changed, indicator_id), _record(judged, indicator_id)))
    frame = pd.DataFrame(rows)
    for column in ("baseline_year", "latest_year", "change_from_year", "change_to_year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def build(
    catalogue: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    baseline_year: int,
    edition: int | None = None,
    margin_pct: float = DEFAULT_MARGIN_PCT,
) -> tuple[pd.DataFrame, dict[str, list[trends.TrendFit]]]:
    """The scorecard in catalogue order, and the trend fits by indicator id: steps 1 to 5."""
    located = located_values(catalogue, tables, edition)
    changed = changes(catalogue, located, tables, baseline_year, edition)
    fits = fit_all(catalogue, located)
    return assemble(catalogue, located, changed, verdicts(catalogue, changed, fits, margin_pct)), fits


def verdict_counts(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Number of indicators per pillar and verdict (every verdict and pillar present, zeros kept)."""
    counts = pd.crosstab(scorecard["pillar"], scorecard["verdict"]).reindex(
        index=list(PILLARS), columns=list(VERDICTS), fill_value=0
    )
    counts.index.name, counts.columns.name = "pillar", None
    return counts


def headline_counts(scorecard: pd.DataFrame) -> dict[str, int]:
    """The counts a reader needs first: indicators with an observed change, with an
    established trend (or stability), with one level only, and without usable data."""
    observation_counts = scorecard["observation"].value_counts()
    established = scorecard["trend_status"].isin(["up", "down", "stable"])
    return {
        "indicators": len(scorecard),
        "observed_change": int(observation_counts.get("change", 0)),
        "established_trend": int(established.sum()),
        "level_only": int(observation_counts.get("level", 0)),
        "undated": int(observation_counts.get("undated", 0)),
        "no_value": int(observation_counts.get("no_value", 0)),
        "without_data": int(observation_counts.get("undated", 0) + observation_counts.get("no_value", 0)),
        "not_comparable": int(observation_counts.get("not_comparable", 0)),
        **{f"class_{name}": int((scorecard["indicator_class"] == name).sum()) for name in CLASSES},
        **{f"verdict_{name}": int((scorecard["verdict"] == name).sum()) for name in VERDICTS},
    }
