"""The mid-term scorecard: one row per indicator of the catalogue (data/raw/indicators.csv),
with its baseline, latest value, change, trend and a verdict given by a documented rule.

Where an indicator's data lives is written in the catalogue as a *locator*:

    table[column=value|value;column=value].value_column:high_column@year_column

e.g. `annual_series[series_id=plie_participants;territory_id=200069110].value@year`. The
value column defaults to `value`, the high column (ranges) to none, the year column to
`year`; `@-` marks a table without a year. Adding an indicator is adding a catalogue row.

The verdict rule (`verdict`) is applied in this order, the first matching rule wins:

R1  no published value                                   -> non évaluable
R2  no value carries a year                              -> non évaluable
R3  one dated value (one vintage)                        -> non évaluable
R4  definition or perimeter changed between the values   -> non évaluable
R5  values are ranges, bounds or approximations          -> non évaluable
R6  two dated values: a change, no trend, no interval    -> non évaluable
R7  three or more values but no trend could be fitted    -> non évaluable
R8  95 % CI of the annual change excludes 0              -> amélioration / dégradation by the desired
                                                            direction (non évaluable if it has none)
R9  95 % CI inside [-margin, +margin] % per year         -> stable
R10 otherwise: the CI is too wide to show either          -> non évaluable
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from contrat_ville.evaluation import trends
from contrat_ville.presentation import fmt

AMELIORATION, STABLE, DEGRADATION, NON_EVALUABLE = "amélioration", "stable", "dégradation", "non évaluable"
VERDICTS = (AMELIORATION, STABLE, DEGRADATION, NON_EVALUABLE)
DEFAULT_MARGIN_PCT = 2.0  # "stable": the whole 95 % CI of the annual change within ±2 % a year
SMALL_COUNT = 100  # below this, a count moves by several % from a handful of people

PILLARS = {
    "cohesion_sociale": "Cohésion sociale",
    "cadre_de_vie_renouvellement_urbain": "Cadre de vie et renouvellement urbain",
    "emploi_developpement_economique": "Développement économique et emploi",
    "transversal": "Enjeux transversaux et contexte",
}
DIRECTIONS = {"up": "hausse", "down": "baisse", "none": "aucun (contexte)"}

CAVEATS = {
    "small_numbers": "petits effectifs : quelques personnes de plus ou de moins font varier fortement la valeur",
    "vintage_not_stated": "millésime non précisé par la source (2015 ou 2016)",
    "insee_sub_commune": "l'INSEE déconseille de mesurer une évolution sous l'échelle communale à partir de deux millésimes consécutifs",
    "definition_changed": "définition ou périmètre différent d'une valeur à l'autre",
    "capacity_driven": "volume d'activité qui dépend des moyens engagés (nombre de référents), pas seulement des besoins",
    "cumulative_only": "cumul sur plusieurs années : aucune valeur de départ distincte",
    "average_only": "moyenne annuelle sur plusieurs années : aucune valeur de départ distincte",
    "published_change_only": "évolution publiée sans la valeur de départ ni la méthode de calcul",
    "economic_context": "la conjoncture générale de l'emploi n'est pas neutralisée",
    "undated_external": "chiffre cité sans année de données ni source statistique",
    "range": "valeur publiée sous forme de fourchette",
    "approximate": "valeur approchée (« environ », « près de », « plus de »)",
    "undated": "valeur sans année de référence",
    "stock_date_unknown": "date d'observation non précisée",
    "planned_amount": "montant programmé, pas une dépense constatée",
    "census_five_years": "évolution de recensement mesurée sur cinq ans, au niveau de la commune (écart conseillé par l'INSEE)",
}

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
    exact: bool = True  # every value is a point value (no range, bound, approximation)
    ci_low: float | None = None  # 95 % CI of the annual change, % per year (trend of >= 3 points)
    ci_high: float | None = None


@dataclass(frozen=True)
class Verdict:
    verdict: str
    rule: str
    reason: str


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def verdict(evidence: Evidence, direction: str, margin_pct: float = DEFAULT_MARGIN_PCT) -> Verdict:
    """The documented rule (module docstring): first matching rule wins."""
    if direction not in DIRECTIONS:
        raise ValueError(f"desired direction must be one of {sorted(DIRECTIONS)}, not {direction!r}")
    e = evidence
    if e.n_values == 0:
        return Verdict(NON_EVALUABLE, "R1", "aucune valeur publiée")
    if e.n_dated == 0:
        return Verdict(NON_EVALUABLE, "R2", "valeur sans année de référence : aucune évolution mesurable")
    if e.n_dated == 1:
        return Verdict(NON_EVALUABLE, "R3", "un seul millésime : aucune évolution mesurable")
    if not e.comparable:
        return Verdict(
            NON_EVALUABLE, "R4", "définition ou périmètre modifié entre les valeurs : évolution non interprétable"
        )
    if not e.exact:
        return Verdict(NON_EVALUABLE, "R5", "valeurs en fourchette ou approchées : aucune tendance estimable")
    if e.n_dated == 2:
        return Verdict(
            NON_EVALUABLE,
            "R6",
            "deux points seulement : la variation est donnée, mais ni tendance ni intervalle de confiance ne sont estimables",
        )
    if _missing(e.ci_low) or _missing(e.ci_high):
        return Verdict(NON_EVALUABLE, "R7", "tendance non estimable sur ces valeurs")
    interval = f"de {fmt.number(e.ci_low, 1)} à {fmt.number(e.ci_high, 1)} % par an"
    if e.ci_low > 0 or e.ci_high < 0:
        rising = e.ci_low > 0
        moved = "hausse" if rising else "baisse"
        if direction == "none":
            return Verdict(
                NON_EVALUABLE,
                "R8",
                f"{moved} établie (intervalle {interval}), mais l'indicateur n'a pas de sens souhaité",
            )
        good = rising == (direction == "up")
        return Verdict(
            AMELIORATION if good else DEGRADATION,
            "R8",
            f"{moved} établie : l'intervalle de confiance à 95 % ({interval}) exclut zéro",
        )
    margin = fmt.number(margin_pct, 1)
    if -margin_pct <= e.ci_low and e.ci_high <= margin_pct:
        return Verdict(
            STABLE, "R9", f"intervalle de confiance ({interval}) compris entre -{margin} et +{margin} % par an"
        )
    return Verdict(
        NON_EVALUABLE, "R10", f"intervalle de confiance trop large ({interval}) : ni évolution ni stabilité démontrées"
    )


# --------------------------------------------------------------------------- one indicator, the whole catalogue

MODEL_KIND = {"count": "count", "rate": "rate", "amount": "amount", "gap": "amount", "ratio": "amount"}


def _codes(text) -> list[str]:
    if _missing(text) or not str(text).strip():
        return []
    codes = [c.strip() for c in str(text).split(";") if c.strip()]
    unknown = [c for c in codes if c not in CAVEATS]
    if unknown:
        raise ValueError(f"unknown caveat code(s) {unknown}; known: {sorted(CAVEATS)}")
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
    exact = bool(
        (published["qualifier"] == "exact").all() and (published["value_low"] == published["value_high"]).all()
    )
    codes = _codes(row.get("caveats"))

    latest = dated.iloc[-1] if len(dated) else (undated.sort_values("edition").iloc[-1] if len(undated) else None)
    at_baseline = dated[dated["year"] == baseline_year]
    baseline = at_baseline.iloc[0] if len(at_baseline) else (dated.iloc[0] if len(dated) > 1 else None)

    change = {"change_kind": "", "change_value": math.nan, "change_from_year": pd.NA}
    n_dated = len(dated)
    change_ref = ""
    if not _missing(row.get("published_change")) and str(row["published_change"]).strip():
        published_change = select(tables, parse_locator(row["published_change"]), edition)
        if len(published_change) and published_change["value_low"].notna().all():
            c = published_change.iloc[-1]
            change = {
                "change_kind": "publiée (%)",
                "change_value": float(row["published_change_sign"]) * float(c["value_low"]),
                "change_from_year": c["year"],
            }
            if not _missing(c["year"]) and c["year"] not in set(dated["year"]):
                n_dated += 1
            change_ref = f" | évolution : {c['source_ref']}"
            codes.append("published_change_only")
    elif baseline is not None and latest is not None and exact and baseline["year"] != latest["year"]:
        if row["kind"] in ("rate", "gap"):
            change = {
                "change_kind": "points",
                "change_value": float(latest["value_low"] - baseline["value_low"]),
                "change_from_year": baseline["year"],
            }
        elif row["kind"] == "ratio":
            change = {
                "change_kind": "écart de rapport",
                "change_value": float(latest["value_low"] - baseline["value_low"]),
                "change_from_year": baseline["year"],
            }
        else:
            change = {
                "change_kind": "%",
                "change_value": 100 * float(latest["value_low"] / baseline["value_low"] - 1),
                "change_from_year": baseline["year"],
            }

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
    )
    judged = verdict(evidence, row["desired_direction"], margin_pct)

    if not exact:
        codes.append(
            "range"
            if (published["value_low"] != published["value_high"]).any() or published["value_high"].isna().any()
            else "approximate"
        )
    if latest is not None and _missing(latest["year"]):
        codes.append("undated")
    if row["kind"] == "count" and latest is not None and latest["value_low"] < SMALL_COUNT:
        codes.append("small_numbers")
    codes = list(dict.fromkeys(codes))

    def value_of(point, column):
        return math.nan if point is None or _missing(point[column]) else float(point[column])

    result = {
        "indicator_id": row["indicator_id"],
        "label": row["label"],
        "pillar": row["pillar"],
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
        **change,
        "trend_model": fit.model if fit else "",
        "annual_change_pct": fit.annual_change_pct if fit else math.nan,
        "ci_low_pct": fit.ci_low_pct if fit else math.nan,
        "ci_high_pct": fit.ci_high_pct if fit else math.nan,
        "p_value": fit.p_value if fit else math.nan,
        "dispersion": fit.dispersion if fit else math.nan,
        "margin_pct": margin_pct,
        "verdict": judged.verdict,
        "rule": judged.rule,
        "reason": judged.reason,
        "caveat_codes": ";".join(codes),
        "caveats": " ; ".join(CAVEATS[c] for c in codes),
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
    for column in ("baseline_year", "latest_year", "change_from_year"):
        frame[column] = frame[column].astype("Int64")
    return frame, fits


def verdict_counts(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Number of indicators per pillar and verdict (every verdict and pillar present, zeros kept)."""
    counts = pd.crosstab(scorecard["pillar"], scorecard["verdict"]).reindex(
        index=list(PILLARS), columns=list(VERDICTS), fill_value=0
    )
    counts.index.name, counts.columns.name = "pillar", None
    return counts


# --------------------------------------------------------------------------- French display

QUALIFIER_PREFIX = {"environ": "environ ", "pres_de": "près de ", "plus_de": "plus de "}


def _plain(value, unit: str) -> str:
    if unit == "%":
        return fmt.percent(value, 1 if not float(value).is_integer() else 0)
    if unit == "points":
        return f"{fmt.number(value, 1)} points"
    if unit == "rapport":
        return fmt.ratio(value, 2)
    if unit == "millions d'euros":
        return f"{fmt.number(value, 1 if not float(value).is_integer() else 0)} M€"
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def format_value(low, high, qualifier: str, unit: str) -> str:
    """A scorecard value in French: `41,4 %`, `24 à 26 %`, `environ 40`, `plus de 2 000`, `ND`."""
    if _missing(low):
        return fmt.MISSING
    if not _missing(high) and high != low:
        return f"{_plain(low, unit).replace(' %', '').replace(' points', '').replace(' M€', '')} à {_plain(high, unit)}"
    return QUALIFIER_PREFIX.get(qualifier or "", "") + _plain(low, unit)


def format_dated(low, high, qualifier: str, unit: str, year) -> str:
    """`440 (2015)`; an undated value says so."""
    if _missing(low):
        return fmt.MISSING
    when = "non daté" if _missing(year) else str(int(year))
    return f"{format_value(low, high, qualifier, unit)} ({when})"


def format_change(row: pd.Series) -> str:
    """The change column: published change, change between two dates, and the trend if any."""
    parts = []
    kind, value = row.get("change_kind", ""), row.get("change_value")
    since = "" if _missing(row.get("change_from_year")) else f" depuis {int(row['change_from_year'])}"
    if kind == "publiée (%)":
        parts.append(f"{fmt.signed_percent(value, 0)}{since} (évolution publiée)")
    elif kind == "points":
        parts.append(
            f"{fmt.number(value, 1) if value < 0 else '+' + fmt.number(value, 1)} point{'s' if abs(value) >= 2 else ''}{since}"
        )
    elif kind == "écart de rapport":
        parts.append(f"{'+' if value >= 0 else ''}{fmt.number(value, 2)}{since}")
    elif kind == "%":
        parts.append(f"{fmt.signed_percent(value)}{since}")
    if row.get("trend_model"):
        parts.append(
            f"tendance {fmt.signed_percent(row['annual_change_pct'])} par an, IC 95 % {fmt.interval(row['ci_low_pct'], row['ci_high_pct'])}"
        )
    return " ; ".join(parts) if parts else "—"


def source_label(source: pd.Series) -> str:
    """Short French name of a source of sources.csv: the title before its first ' — ' or ' ('."""
    title = str(source["title"])
    short = re.split(r" — | \(", title, maxsplit=1)[0].strip()
    return short or str(source["source_id"])


def rules_table(margin_pct: float = DEFAULT_MARGIN_PCT, confidence: float | None = None) -> pd.DataFrame:
    """The rules of `verdict`, in the order they are examined, as a French table (Règle,
    Situation, Verdict); the stability margin and the confidence level are formatted in."""
    level = fmt.percent(100 * (trends.CONFIDENCE if confidence is None else confidence), 0)
    margin = fmt.percent(margin_pct, 1)
    rows = [
        ("R1", "aucune valeur publiée", NON_EVALUABLE),
        ("R2", "aucune valeur ne porte d'année de référence", NON_EVALUABLE),
        ("R3", "une seule valeur datée (un seul millésime)", NON_EVALUABLE),
        ("R4", "définition ou périmètre modifié d'une valeur à l'autre", NON_EVALUABLE),
        ("R5", "valeurs publiées en fourchette, en borne ou de façon approchée", NON_EVALUABLE),
        (
            "R6",
            "deux valeurs datées : la variation est donnée, sans tendance ni intervalle de confiance",
            NON_EVALUABLE,
        ),
        ("R7", "trois valeurs datées ou plus, mais aucun modèle ne peut être ajusté", NON_EVALUABLE),
        (
            "R8",
            f"l'intervalle de confiance à {level} de la variation annuelle exclut zéro",
            f"{AMELIORATION} ou {DEGRADATION} selon le sens souhaité ; {NON_EVALUABLE} pour un indicateur de contexte",
        ),
        ("R9", f"l'intervalle de confiance reste entre moins et plus {margin} par an", STABLE),
        ("R10", "dans les autres cas : l'intervalle est trop large pour conclure", NON_EVALUABLE),
    ]
    return pd.DataFrame(rows, columns=["Règle", "Situation", "Verdict"])
