"""The mid-term scorecard: one row per indicator of the catalogue (data/raw/indicators.csv),
with its baseline, latest value, change, trend and a verdict given by a documented rule.

Where an indicator's data lives is written in the catalogue as a *locator*:

    table[column=value|value;column=value].value_column:high_column@year_column

e.g. `annual_series[series_id=plie_participants;territory_id=200069110].value@year`. The
value column defaults to `value`, the high column (ranges) to none, the year column to
`year`; `@-` marks a table without a year. Adding an indicator is adding a catalogue row.

Each indicator is an *activity* volume (what the contract's actions did: participants,
hours, money; no desired direction), an *outcome* (a situation the contract wants to move)
or a *context* figure. For every indicator the scorecard gives three separate things:
the observation (`observation`: no value, undated, one level, or a change between two
comparable values or more, with its values, years and size), the statistical qualification
(`trend_status`: trend established or not, with its 95 % interval, from three points), and
the verdict, given by a documented rule (`verdict`) in this order, the first matching rule wins:

R1  activity volume, or context without desired direction   -> sans objet
R2  no published value                                   -> non évaluable
R3  no value carries a year                              -> non évaluable
R4  one dated value (one vintage)                        -> non évaluable
R5  definition or perimeter changed between the values   -> non évaluable
R6  values are ranges or bounds                          -> non évaluable
R7  exhaustive count (or a commune census five years apart), two points or more: the observed
    change per year, first to last value, against the margin -> stable within it, otherwise
    amélioration / dégradation by the desired direction
R8  estimate with only two points, or approximate values -> non évaluable
R9  estimate, 95 % CI of the annual change excludes 0    -> amélioration / dégradation
R10 estimate, 95 % CI inside [-margin, +margin] % a year -> stable
R11 otherwise: no trend could be fitted, or its CI is too wide -> non évaluable

The French wording of motifs, caveats and values is contrat_ville.presentation.scorecard_text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from contrat_ville.evaluation import trends

AMELIORATION, STABLE, DEGRADATION, NON_EVALUABLE = "amélioration", "stable", "dégradation", "non évaluable"
DEFAULT_MARGIN_PCT = 2.0  # "stable": the whole 95 % CI of the annual change within ±2 % a year
SMALL_COUNT = 100  # below this, a count moves by several % from a handful of people

SANS_OBJET = "sans objet"
VERDICTS = (AMELIORATION, STABLE, DEGRADATION, NON_EVALUABLE, SANS_OBJET)
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

LOCATOR = re.compile(
    r"^(?P<table>[a-z0-9_]+)\[(?P<filters>[^\]]*)\]"
    r"(?:\.(?P<value>[a-z0-9_]+)(?::(?P<high>[a-z0-9_]+))?)?"
    r"(?:@(?P<year>[a-z0-9_]+|-))?$"
)


@dataclass(frozen=True)
class Locator:
    """Where an indicator's values are: a raw table, row filters, value and year columns."""

    table: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    value_column: str = "value"
    high_column: str | None = None
    year_column: str | None = "year"


def parse_locator(text: str) -> Locator:
    """`table[col=a|b;col2=c].value:high@year` → Locator (ValueError names what is wrong)."""
    match = LOCATOR.match((text or "").strip())
    if not match:
        raise ValueError(f"bad data locator {text!r}: expected table[column=value;...].value_column@year_column")
    filters = []
    for part in filter(None, (p.strip() for p in match["filters"].split(";"))):
        if "=" not in part:
            raise ValueError(f"bad filter {part!r} in locator {text!r}: expected column=value")
        column, values = part.split("=", 1)
        filters.append((column.strip(), tuple(v.strip() for v in values.split("|"))))
    year = match["year"]
    return Locator(
        match["table"],
        tuple(filters),
        match["value"] or "value",
        match["high"],
        None if year == "-" else (year or "year"),
    )


def locator_tables(catalogue: pd.DataFrame) -> list[str]:
    """Raw tables the catalogue points to (its data, reference and change locators)."""
    names = set()
    for column in ("data", "reference", "published_change"):
        for text in catalogue[column].dropna():
            if str(text).strip():
                names.add(parse_locator(text).table)
    return sorted(names)


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
        parts.append(f"ligne {int(row['report_line'])} du rapport")
    return " ".join(parts)


def select(
    tables: dict[str, pd.DataFrame], locator: Locator, edition: int | None = None, aggregate: str = ""
) -> pd.DataFrame:
    """The located values: year (NA if undated), value_low, value_high, qualifier, edition, source_ref.

    Rows of later editions than `edition` are ignored; a dated value restated by a later
    edition replaces the earlier one. With aggregate='sum' the rows of one year are summed
    (all members must be present and published, otherwise the sum is missing)."""
    if locator.table not in tables:
        raise KeyError(f"table {locator.table!r} is not loaded (declare it as an input of the notebook)")
    table = tables[locator.table]
    mask = pd.Series(True, index=table.index)
    for column, values in locator.filters:
        if column not in table:
            raise KeyError(f"{locator.table}.csv has no column {column!r}")
        mask &= table[column].astype("string").isin(values)
    rows = table[mask]
    if edition is not None and "edition" in rows:
        rows = rows[rows["edition"] <= edition]
    published = rows["value_status"].eq("published") if "value_status" in rows else pd.Series(True, index=rows.index)
    low = rows[locator.value_column].astype("Float64").where(published)
    high = rows[locator.high_column].astype("Float64").where(published) if locator.high_column else low
    out = pd.DataFrame(
        {
            "year": rows[locator.year_column].astype("Int64")
            if locator.year_column
            else pd.array([pd.NA] * len(rows), dtype="Int64"),
            "value_low": low,
            "value_high": high,
            "qualifier": rows["qualifier"].astype("string") if "qualifier" in rows else "exact",
            "edition": rows["edition"].astype("Int64")
            if "edition" in rows
            else pd.array([pd.NA] * len(rows), dtype="Int64"),
            "source_ref": [_source_ref(locator.table, r, locator.year_column) for _, r in rows.iterrows()],
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
                "source_ref": f"{s['source_ref']} ; référence : {r['source_ref']}",
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
        return Verdict(SANS_OBJET, "R1", "no_direction")
    if e.n_values == 0:
        return Verdict(NON_EVALUABLE, "R2", "no_value")
    if e.n_dated == 0:
        return Verdict(NON_EVALUABLE, "R3", "undated")
    if e.n_dated == 1:
        return Verdict(NON_EVALUABLE, "R4", "single_point")
    if not e.comparable:
        return Verdict(NON_EVALUABLE, "R5", "definition_changed")
    if e.bounded:
        return Verdict(NON_EVALUABLE, "R6", "bounded")
    if e.exhaustive and not _missing(e.observed_annual_pct):
        # a full count has no sampling error: the observed change is the measure
        if abs(e.observed_annual_pct) <= margin_pct:
            return Verdict(STABLE, "R7", "observed_within_margin")
        good = (e.observed_annual_pct > 0) == (direction == "up")
        return Verdict(AMELIORATION if good else DEGRADATION, "R7", "observed_beyond_margin")
    if not e.exact:
        return Verdict(NON_EVALUABLE, "R8", "estimate_approximate")
    if e.n_dated == 2:
        return Verdict(NON_EVALUABLE, "R8", "estimate_two_points")
    if _missing(e.ci_low) or _missing(e.ci_high):
        return Verdict(NON_EVALUABLE, "R11", "no_fit")
    if e.ci_low > 0 or e.ci_high < 0:
        good = (e.ci_low > 0) == (direction == "up")
        return Verdict(AMELIORATION if good else DEGRADATION, "R9", "trend_established")
    if -margin_pct <= e.ci_low and e.ci_high <= margin_pct:
        return Verdict(STABLE, "R10", "stability_established")
    return Verdict(NON_EVALUABLE, "R11", "interval_too_wide")


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
    values = select(tables, parse_locator(row["data"]), edition, aggregate)
    comparison = "" if _missing(row.get("comparison")) else str(row["comparison"])
    if comparison:
        reference = select(tables, parse_locator(row["reference"]), edition)
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


def assess(
    row: pd.Series,
    tables: dict[str, pd.DataFrame],
    baseline_year: int,
    edition: int | None = None,
    margin_pct: float = DEFAULT_MARGIN_PCT,
) -> tuple[dict, list[trends.TrendFit]]:
    """One scorecard row for catalogue row `row`, and the trend fits behind it (if any)."""
    values = indicator_values(row, tables, edition)
    published = values[values["value_low"].notna()]
    dated = published[published["year"].notna()].sort_values("year")
    undated = published[published["year"].isna()]
    point = (published["value_low"] == published["value_high"]).fillna(False)
    # ranges and bounds ("plus de") leave the direction of a change open; "environ" and
    # "près de" are point values rounded by the source, usable for an observed change
    bounded = bool((~point).any() or published["qualifier"].isin(["range", "plus_de", "moins_de"]).any())
    exact = bool((published["qualifier"] == "exact").all() and point.all())
    codes = _codes(row.get("caveats"))
    indicator_class = str(row.get("indicator_class") or "outcome")
    exhaustive = _flag(row, "exhaustive")

    latest = dated.iloc[-1] if len(dated) else (undated.sort_values("edition").iloc[-1] if len(undated) else None)
    at_baseline = dated[dated["year"] == baseline_year]
    baseline = at_baseline.iloc[0] if len(at_baseline) else (dated.iloc[0] if len(dated) > 1 else None)

    change = {"change_kind": "", "change_value": math.nan, "change_from_year": pd.NA, "change_to_year": pd.NA}
    observed_annual = math.nan
    n_dated = len(dated)
    change_ref = ""
    if not _missing(row.get("published_change")) and str(row["published_change"]).strip():
        published_change = select(tables, parse_locator(row["published_change"]), edition)
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
            change_ref = f" | évolution : {c['source_ref']}"
            codes.append("published_change_only")
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

    fits: list[trends.TrendFit] = []
    fit = None
    if len(dated) >= trends.MIN_POINTS_FOR_TREND and exact:
        try:
            fits = trends.fit_series(
                pd.DataFrame({"year": dated["year"].astype(float), "value": dated["value_low"].astype(float)}),
                MODEL_KIND[row["kind"]],
            )
            fit = trends.kept(fits)
        except trends.TrendError:
            fits, fit = [], None

    comparable = "definition_changed" not in codes
    evidence = Evidence(
        n_values=len(published),
        n_dated=n_dated,
        comparable=comparable,
        exact=exact,
        ci_low=fit.ci_low_pct if fit else None,
        ci_high=fit.ci_high_pct if fit else None,
        bounded=bounded,
        exhaustive=exhaustive,
        observed_annual_pct=None if math.isnan(observed_annual) else observed_annual,
    )
    judged = verdict(evidence, row["desired_direction"], margin_pct, indicator_class)

    if not exact:
        codes.append("range" if bounded else "approximate")
    if latest is not None and _missing(latest["year"]):
        codes.append("undated")
    if row["kind"] == "count" and latest is not None and latest["value_low"] < SMALL_COUNT:
        codes.append("small_numbers")
    codes = list(dict.fromkeys(codes))

    def value_of(point, column):
        return math.nan if point is None or _missing(point[column]) else float(point[column])

    direction = ""
    if not _missing(change["change_value"]):
        direction = "up" if change["change_value"] > 0 else "down" if change["change_value"] < 0 else "flat"
    result = {
        "indicator_id": row["indicator_id"],
        "label": row["label"],
        "pillar": row["pillar"],
        "indicator_class": indicator_class,
        "exhaustive": exhaustive,
        "territory_id": row["territory_id"],
        "kind": row["kind"],
        "unit": row["unit"],
        "source_id": row["source_id"],
        "desired_direction": row["desired_direction"],
        "baseline_year": pd.NA if baseline is None else baseline["year"],
        "baseline_value": value_of(baseline, "value_low"),
        "baseline_value_high": value_of(baseline, "value_high"),
        "baseline_qualifier": "" if baseline is None else baseline["qualifier"],
        "latest_year": pd.NA if latest is None else latest["year"],
        "latest_value": value_of(latest, "value_low"),
        "latest_value_high": value_of(latest, "value_high"),
        "latest_qualifier": "" if latest is None else latest["qualifier"],
        "n_values": evidence.n_values,
        "n_dated": evidence.n_dated,
        "comparable": comparable,
        "exact": exact,
        "observation": observation(evidence.n_values, n_dated, comparable, bounded),
        **change,
        "change_direction": direction,
        "observed_annual_pct": observed_annual,
        "trend_model": fit.model if fit else "",
        "annual_change_pct": fit.annual_change_pct if fit else math.nan,
        "ci_low_pct": fit.ci_low_pct if fit else math.nan,
        "ci_high_pct": fit.ci_high_pct if fit else math.nan,
        "p_value": fit.p_value if fit else math.nan,
        "dispersion": fit.dispersion if fit else math.nan,
        "trend_status": trend_status(
            fit.ci_low_pct if fit else None, fit.ci_high_pct if fit else None, margin_pct, n_dated, exact
        ),
        "margin_pct": margin_pct,
        "verdict": judged.verdict,
        "rule": judged.rule,
        "motif": judged.motif,
        "caveat_codes": ";".join(codes),
        "data": row["data"],
        "source_rows": " | ".join(published["source_ref"]) + change_ref,
    }
    return result, fits


def build(
    catalogue: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    baseline_year: int,
    edition: int | None = None,
    margin_pct: float = DEFAULT_MARGIN_PCT,
) -> tuple[pd.DataFrame, dict[str, list[trends.TrendFit]]]:
    """The scorecard in catalogue order, and the trend fits by indicator id."""
    rows, fits = [], {}
    for _, row in catalogue.iterrows():
        result, indicator_fits = assess(row, tables, baseline_year, edition, margin_pct)
        rows.append(result)
        if indicator_fits:
            fits[row["indicator_id"]] = indicator_fits
    frame = pd.DataFrame(rows)
    for column in ("baseline_year", "latest_year", "change_from_year", "change_to_year"):
        frame[column] = frame[column].astype("Int64")
    return frame, fits


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
