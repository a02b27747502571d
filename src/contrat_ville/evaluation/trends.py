"""Trends of dated series with statsmodels, and QPV-versus-reference gaps.

Every estimate is a log-linear trend on the year: the value is multiplied by a constant
factor each year, reported as an annual change in % with its 95 % confidence interval
and the p-value of "no change". The model depends on what the series measures:

- counts (participants, jobseekers, inhabitants): Poisson GLM (log link). Over-dispersion
  is checked with Pearson chi2 / residual df (`dispersion`). When it exceeds 1 the
  series varies more than a Poisson count and the kept model is quasi-Poisson (same
  coefficients, standard errors times sqrt(dispersion), Student t with the residual df,
  since the dispersion itself is estimated from those few df). A negative-binomial GLM
  is fitted as a sensitivity check (alpha estimated by the moment rule that makes its
  Pearson chi2 / df equal to 1, and by maximum likelihood), never silently kept.
- proportions with a known denominator: binomial GLM with a log link (relative change of
  the rate), quasi-binomial under the same dispersion rule.
- rates without denominator and amounts (euros, densities): weighted least squares on
  the log of the value, Student t inference.

A series needs three dated points for a trend. Two points give a change, never a trend:
with no residual degree of freedom nothing tells chance from change. Missing values
(ND) are dropped and the remaining years are used as they are (gaps are allowed).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

CONFIDENCE = 0.95
DISPERSION_LIMIT = 1.0  # above this Pearson chi2/df, Poisson (binomial) understates the variance
MIN_POINTS_FOR_TREND = 3
ALPHA_BOUNDARY = 1e-6  # an NB2 alpha estimated below this is the boundary 0: the fit is Poisson

KINDS = ("count", "proportion", "rate", "amount")


class TrendError(ValueError):
    """A series that cannot be fitted as asked (duplicate years, negative counts...)."""


@dataclass
class TrendFit:
    """One model fitted on one series. Percentages are annual changes (100 * (exp(b) - 1))."""

    model: str
    n_points: int
    first_year: int
    last_year: int
    annual_change_pct: float = math.nan
    ci_low_pct: float = math.nan
    ci_high_pct: float = math.nan
    p_value: float = math.nan
    dispersion: float = math.nan  # Pearson chi2 / residual df of the Poisson or binomial fit
    dispersion_p_value: float = math.nan  # P(chi2_df > Pearson chi2) under the Poisson/binomial model
    df_resid: float = math.nan
    inference: str = ""  # "z" (normal) or "t" (Student, df_resid)
    alpha: float = math.nan  # negative-binomial alpha, when relevant
    total_change_pct: float = math.nan  # first to last observed value, in %
    kept: bool = True
    note: str = ""
    curve: pd.DataFrame | None = field(default=None, repr=False)  # year, fitted, ci_low, ci_high (for charts)

    def as_row(self) -> dict:
        row = asdict(self)
        row.pop("curve")
        return row


# --------------------------------------------------------------------------- helpers


def _prepare(years, values, trials=None) -> pd.DataFrame:
    """Sorted points with a value; ND (missing) dropped; duplicate years refused."""
    frame = pd.DataFrame({"year": pd.array(years, dtype="Float64"), "value": pd.array(values, dtype="Float64")})
    if trials is not None:
        frame["trials"] = pd.array(trials, dtype="Float64")
    frame = frame.dropna().sort_values("year").reset_index(drop=True)
    if frame["year"].duplicated().any():
        raise TrendError(
            f"duplicate years in series: {sorted(frame.loc[frame['year'].duplicated(), 'year'].astype(int))}"
        )
    return frame.astype(float)


def _pct(log_factor: float) -> float:
    return 100 * (math.exp(log_factor) - 1)


def _total_change(points: pd.DataFrame) -> float:
    first, last = points["value"].iloc[0], points["value"].iloc[-1]
    return float(100 * (last / first - 1)) if first else math.nan


def _design(points: pd.DataFrame) -> tuple[np.ndarray, float]:
    origin = points["year"].iloc[0]
    years = points["year"].to_numpy() - origin
    return np.column_stack([np.ones_like(years), years]), origin


def _from_result(model: str, result, points: pd.DataFrame, inference: str, **extra) -> TrendFit:
    """Annual change, CI and p-value of the year coefficient of a fitted statsmodels result."""
    from scipy import stats

    slope, se, df = float(result.params[1]), float(result.bse[1]), float(result.df_resid)
    if inference == "t":
        quantile = stats.t.ppf(0.5 + CONFIDENCE / 2, df)
        p_value = 2 * stats.t.sf(abs(slope / se), df) if se > 0 else 0.0
    else:
        quantile = stats.norm.ppf(0.5 + CONFIDENCE / 2)
        p_value = 2 * stats.norm.sf(abs(slope / se)) if se > 0 else 0.0
    fit = TrendFit(
        model=model,
        n_points=len(points),
        first_year=int(points["year"].iloc[0]),
        last_year=int(points["year"].iloc[-1]),
        annual_change_pct=_pct(slope),
        ci_low_pct=_pct(slope - quantile * se),
        ci_high_pct=_pct(slope + quantile * se),
        p_value=float(p_value),
        df_resid=df,
        inference=inference,
        total_change_pct=_total_change(points),
        **extra,
    )
    fit.curve = _curve(result, points, quantile)
    return fit


def _curve(result, points: pd.DataFrame, quantile: float) -> pd.DataFrame:
    """Fitted values on the year grid with a pointwise CI band (on the log scale, back-transformed)."""
    X, origin = _design(points)
    grid = np.arange(points["year"].iloc[0], points["year"].iloc[-1] + 1)
    Xg = np.column_stack([np.ones_like(grid), grid - origin])
    linear = Xg @ np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    se = np.sqrt(np.einsum("ij,jk,ik->i", Xg, cov, Xg))
    return pd.DataFrame(
        {
            "year": grid.astype(int),
            "fitted": np.exp(linear),
            "ci_low": np.exp(linear - quantile * se),
            "ci_high": np.exp(linear + quantile * se),
        }
    )


def _pearson(result) -> tuple[float, float]:
    """Pearson chi2 / df and the p-value of the over-dispersion test (chi2 with df_resid)."""
    from scipy import stats

    df = float(result.df_resid)
    if df <= 0:
        return math.nan, math.nan
    chi2 = float(result.pearson_chi2)
    return chi2 / df, float(stats.chi2.sf(chi2, df))


def _too_short(points: pd.DataFrame, model: str) -> TrendFit | None:
    if len(points) >= MIN_POINTS_FOR_TREND:
        return None
    fit = TrendFit(
        model="none",
        n_points=len(points),
        first_year=int(points["year"].iloc[0]) if len(points) else 0,
        last_year=int(points["year"].iloc[-1]) if len(points) else 0,
        note=f"{len(points)} dated point(s): no {model} trend can be estimated",
    )
    if len(points) == 2:
        fit.total_change_pct = _total_change(points)
    return fit


# --------------------------------------------------------------------------- counts


def fit_counts(years: Sequence[float], counts: Sequence[float]) -> list[TrendFit]:
    """Candidate fits of a count series; exactly one has `kept=True` (see module docstring).

    Order: Poisson, quasi-Poisson, negative binomial (moment alpha), negative binomial (ML)."""
    import statsmodels.api as sm

    points = _prepare(years, counts)
    short = _too_short(points, "count")
    if short:
        return [short]
    if (points["value"] < 0).any() or not np.allclose(points["value"], points["value"].round()):
        raise TrendError("counts must be non-negative whole numbers")
    X, _ = _design(points)
    y = points["value"].to_numpy()
    poisson = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    dispersion, dispersion_p = _pearson(poisson)
    diagnostics = {"dispersion": dispersion, "dispersion_p_value": dispersion_p}
    overdispersed = dispersion > DISPERSION_LIMIT

    fits = [
        _from_result(
            "poisson",
            poisson,
            points,
            "z",
            **diagnostics,
            kept=not overdispersed,
            note="Poisson GLM, log link; kept when Pearson chi2/df <= 1",
        )
    ]
    quasi = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2")
    fits.append(
        _from_result(
            "quasi-poisson",
            quasi,
            points,
            "t",
            **diagnostics,
            kept=overdispersed,
            note="Poisson coefficients, scale = Pearson chi2/df, Student t on the residual df; kept when chi2/df > 1",
        )
    )
    if overdispersed:
        fits += _negative_binomial(y, X, points, diagnostics, poisson)
    return fits


def _negative_binomial(y, X, points, diagnostics, poisson) -> list[TrendFit]:
    """Sensitivity fits: NB2 with alpha by the moment rule, and NB2 by maximum likelihood."""
    import statsmodels.api as sm
    from scipy.optimize import brentq
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    fits = []

    def excess(alpha):
        result = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha)).fit()
        return result.pearson_chi2 / result.df_resid - 1

    try:
        alpha = brentq(excess, 1e-10, 100.0, xtol=1e-14)  # tight: alpha is published to 8 digits
        moment = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha)).fit()
        fits.append(
            _from_result(
                "negative-binomial (moment alpha)",
                moment,
                points,
                "t",
                **diagnostics,
                alpha=alpha,
                kept=False,
                note="NB2 GLM, alpha solving Pearson chi2/df = 1, Student t; sensitivity check",
            )
        )
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", HessianInversionWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            ml = sm.NegativeBinomial(y, X).fit(disp=0, maxiter=200)
            sliced = _Slice(ml)
    except (ValueError, np.linalg.LinAlgError):
        return fits  # ML can fail on a handful of points; the sensitivity check then has one model fewer
    alpha_ml = float(np.asarray(ml.params)[-1])
    if alpha_ml < ALPHA_BOUNDARY:
        # The likelihood peaks at the boundary alpha = 0, where NB2 is the Poisson model: report
        # that constrained maximum exactly. The optimizer's own end point there (alpha ~1e-9,
        # coefficients good to ~6 digits, converged or not) changes with the CPU's BLAS kernel.
        fits.append(
            _from_result(
                "negative-binomial (ML alpha)",
                poisson,
                points,
                "z",
                **diagnostics,
                alpha=0.0,
                kept=False,
                note="NB2 by maximum likelihood; alpha at the boundary 0 (no extra variance detected), "
                "so the maximum is the Poisson fit",
            )
        )
        return fits
    converged = bool(ml.mle_retvals.get("converged", False))
    fits.append(
        _from_result(
            "negative-binomial (ML alpha)",
            sliced,
            points,
            "z",
            **diagnostics,
            alpha=alpha_ml,
            kept=False,
            note="NB2 by maximum likelihood" + ("" if converged else "; optimizer did not converge"),
        )
    )
    return fits


class _Slice:
    """The intercept and slope of a discrete-model result whose last parameter is alpha."""

    def __init__(self, result):
        self.params = np.asarray(result.params)[:2]
        self.bse = np.asarray(result.bse)[:2]
        self.df_resid = float(result.df_resid)
        self._cov = np.asarray(result.cov_params())[:2, :2]

    def cov_params(self):
        return self._cov


# --------------------------------------------------------------------------- proportions, rates, amounts


def fit_proportions(years: Sequence[float], successes: Sequence[float], trials: Sequence[float]) -> list[TrendFit]:
    """Binomial GLM (log link) on successes out of trials; quasi-binomial when Pearson chi2/df > 1."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import DomainWarning

    points = _prepare(years, successes, trials)
    short = _too_short(points, "proportion")
    if short:
        return [short]
    if ((points["value"] < 0) | (points["value"] > points["trials"])).any():
        raise TrendError("successes must lie between 0 and trials")
    X, _ = _design(points)
    endog = np.column_stack([points["value"], points["trials"] - points["value"]])
    family = lambda: sm.families.Binomial(link=sm.families.links.Log())  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DomainWarning)  # log link: fine while fitted rates stay below 1
        binomial = sm.GLM(endog, X, family=family()).fit()
        dispersion, dispersion_p = _pearson(binomial)
        quasi = sm.GLM(endog, X, family=family()).fit(scale="X2")
    diagnostics = {"dispersion": dispersion, "dispersion_p_value": dispersion_p}
    overdispersed = dispersion > DISPERSION_LIMIT
    rate_points = points.assign(value=points["value"] / points["trials"])
    fits = [
        _from_result(
            "binomial",
            binomial,
            rate_points,
            "z",
            **diagnostics,
            kept=not overdispersed,
            note="binomial GLM, log link (relative change of the rate); kept when Pearson chi2/df <= 1",
        ),
        _from_result(
            "quasi-binomial",
            quasi,
            rate_points,
            "t",
            **diagnostics,
            kept=overdispersed,
            note="binomial coefficients, scale = Pearson chi2/df, Student t; kept when chi2/df > 1",
        ),
    ]
    return fits


def fit_log_linear(
    years: Sequence[float], values: Sequence[float], weights: Sequence[float] | None = None, kind: str = "rate"
) -> list[TrendFit]:
    """Weighted least squares of log(value) on the year (rates without denominator, amounts)."""
    import statsmodels.api as sm

    points = _prepare(years, values, weights)
    short = _too_short(points, kind)
    if short:
        return [short]
    if (points["value"] <= 0).any():
        raise TrendError("a log-linear trend needs strictly positive values")
    X, _ = _design(points)
    w = points["trials"].to_numpy() if weights is not None else np.ones(len(points))
    result = sm.WLS(np.log(points["value"].to_numpy()), X, weights=w).fit()
    label = "wls-log" if weights is not None else "ols-log"
    return [
        _from_result(
            label,
            result,
            points,
            "t",
            kept=True,
            note="least squares on log(value), "
            + ("weights given" if weights is not None else "equal weights")
            + ", Student t",
        )
    ]


def two_point_change(years: Sequence[float], values: Sequence[float]) -> dict:
    """Change between two dated values: total and annualised (geometric) %, difference; no trend."""
    points = _prepare(years, values)
    if len(points) != 2:
        raise TrendError(f"two points expected, got {len(points)}")
    (y0, v0), (y1, v1) = points[["year", "value"]].itertuples(index=False, name=None)
    span = y1 - y0
    return {
        "first_year": int(y0),
        "last_year": int(y1),
        "first_value": v0,
        "last_value": v1,
        "difference": v1 - v0,
        "total_change_pct": 100 * (v1 / v0 - 1) if v0 else math.nan,
        "annualised_change_pct": 100 * ((v1 / v0) ** (1 / span) - 1) if v0 and v1 > 0 and span else math.nan,
        "note": "two dated points: the change is reported, no trend and no confidence interval can be estimated",
    }


def measure_kind(unit: str) -> str:
    """What a unit says about how to model a series: '%' is a rate, money and densities are
    amounts, anything else counts things (participants, inhabitants, dwellings)."""
    unit = (unit or "").strip().lower()
    if unit.startswith("%"):
        return "rate"
    if unit in {"eur", "keur", "eur/an", "millions d'euros"} or "pour 1 000" in unit or "pour 1000" in unit:
        return "amount"
    return "count"


def fit_series(points: pd.DataFrame, kind: str) -> list[TrendFit]:
    """Dispatch on the kind of measure. `points` has year, value (and trials for proportions)."""
    if kind == "count":
        return fit_counts(points["year"], points["value"])
    if kind == "proportion":
        return fit_proportions(points["year"], points["value"], points["trials"])
    if kind in ("rate", "amount"):
        return fit_log_linear(points["year"], points["value"], kind=kind)
    raise TrendError(f"unknown kind {kind!r}; expected one of {KINDS}")


def kept(fits: list[TrendFit]) -> TrendFit:
    """The fit kept by the rule (there is exactly one)."""
    chosen = [f for f in fits if f.kept]
    if len(chosen) != 1:
        raise TrendError(f"expected one kept fit, got {len(chosen)}")
    return chosen[0]


# --------------------------------------------------------------------------- series from the raw tables

SERIES_COLUMNS = [
    "series_id",
    "territory_id",
    "territory_label",
    "source_table",
    "unit",
    "kind",
    "year",
    "value",
    "source_ref",
]


def collect_series(
    annual_series: pd.DataFrame, external_figures: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated points of every series: all of `annual_series`, plus external figures that give an
    exact value for a stated year. Returns (points, excluded external rows with the reason)."""
    rows = []
    published = annual_series[annual_series["value_status"] == "published"]
    for r in published.itertuples(index=False):
        rows.append(
            {
                "series_id": r.series_id,
                "territory_id": r.territory_id,
                "territory_label": "",
                "source_table": "annual_series",
                "unit": r.unit,
                "kind": measure_kind(r.unit),
                "year": int(r.year),
                "value": float(r.value),
                "source_ref": f"annual_series.csv, edition {r.edition}, report line {r.report_line}",
            }
        )
    excluded = []
    if external_figures is not None:
        for r in external_figures.itertuples(index=False):
            reason = ""
            if pd.isna(r.year):
                reason = "no data year stated"
            elif r.qualifier == "range" or pd.isna(r.value_high) or r.value_low != r.value_high:
                reason = "range or bound, not a point value"
            elif r.qualifier != "exact":
                reason = f"approximate value ({r.qualifier})"
            if reason:
                excluded.append(
                    {
                        "figure_id": r.figure_id,
                        "indicator_id": r.indicator_id,
                        "territory_label": r.territory_label,
                        "reason": reason,
                    }
                )
                continue
            rows.append(
                {
                    "series_id": r.indicator_id,
                    "territory_id": "" if pd.isna(r.territory_id) else r.territory_id,
                    "territory_label": r.territory_label,
                    "source_table": "external_figures",
                    "unit": r.unit,
                    "kind": measure_kind(r.unit),
                    "year": int(r.year),
                    "value": float(r.value_low),
                    "source_ref": f"external_figures.csv {r.figure_id} ({r.source_url})",
                }
            )
    points = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    # restated values (same series, territory, year in a later edition) keep the latest one
    points = points.drop_duplicates(
        ["source_table", "series_id", "territory_id", "territory_label", "year"], keep="last"
    )
    return points.sort_values(["source_table", "series_id", "territory_id", "territory_label", "year"]).reset_index(
        drop=True
    ), pd.DataFrame(excluded, columns=["figure_id", "indicator_id", "territory_label", "reason"])


SERIES_KEY = ["source_table", "series_id", "territory_id", "territory_label", "unit", "kind"]


def trend_tables(points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(trend table with the kept model of every series with >= 2 points, all candidate fits,
    fitted curves by series key). Single-point series are left out (nothing to compare)."""
    kept_rows, candidate_rows, curves = [], [], {}
    for key, group in points.groupby(SERIES_KEY, sort=True, dropna=False):
        if len(group) < 2:
            continue
        ident = dict(zip(SERIES_KEY, key))
        fits = fit_series(group, ident["kind"])
        for fit in fits:
            candidate_rows.append({**ident, **fit.as_row()})
        chosen = kept(fits)
        kept_rows.append({**ident, **chosen.as_row()})
        if chosen.curve is not None:
            curves[key] = chosen.curve
    columns = SERIES_KEY + list(TrendFit.__dataclass_fields__.keys() - {"curve"})
    order = SERIES_KEY + [
        "model",
        "n_points",
        "first_year",
        "last_year",
        "annual_change_pct",
        "ci_low_pct",
        "ci_high_pct",
        "p_value",
        "dispersion",
        "dispersion_p_value",
        "df_resid",
        "inference",
        "alpha",
        "total_change_pct",
        "kept",
        "note",
    ]
    assert set(order) == set(columns)
    return pd.DataFrame(kept_rows, columns=order), pd.DataFrame(candidate_rows, columns=order), curves


# --------------------------------------------------------------------------- QPV against city and agglomeration


def compare_ranges(low: float, high: float, ref_low: float, ref_high: float) -> dict:
    """Gap (territory − reference) and ratio (territory / reference) of two values that may be
    ranges: the bounds of the result are the extreme combinations."""
    high = low if pd.isna(high) else high
    ref_high = ref_low if pd.isna(ref_high) else ref_high
    gaps = (low - ref_high, high - ref_low)
    ratios = (low / ref_high, high / ref_low) if ref_low and ref_high else (math.nan, math.nan)
    return {"gap_low": gaps[0], "gap_high": gaps[1], "ratio_low": ratios[0], "ratio_high": ratios[1]}


def qpv_comparisons(observations: pd.DataFrame, references: list[str]) -> pd.DataFrame:
    """Gap and ratio of each QPV observation against the reference territories' observation of
    the same `pair_key` (same indicator, source and vintage, or an explicit pair).

    `observations`: indicator_id, territory_id, vintage (year or NA), value_low, value_high,
    unit, pair_key, source_table, source_row, is_reference (bool), definition (as
    comparison_observations returns them)."""
    rows = []
    for _, group in observations.groupby("pair_key", sort=False):
        refs = group[group["is_reference"]]
        subjects = group[~group["is_reference"]]
        for s in subjects.itertuples(index=False):
            for ref in refs.itertuples(index=False):
                if references and ref.territory_id not in references and ref.territory_id != "":
                    continue
                rows.append(
                    {
                        "indicator_id": s.indicator_id,
                        "territory_id": s.territory_id,
                        "reference_id": ref.territory_id,
                        "reference_label": ref.territory_label,
                        "vintage": s.vintage,
                        "unit": s.unit,
                        "value_low": s.value_low,
                        "value_high": s.value_high,
                        "reference_low": ref.value_low,
                        "reference_high": ref.value_high,
                        **compare_ranges(s.value_low, s.value_high, ref.value_low, ref.value_high),
                        "definition": s.definition,
                        "source_table": s.source_table,
                        "source_row": s.source_row,
                        "reference_source_table": ref.source_table,
                        "reference_source_row": ref.source_row,
                    }
                )
    return pd.DataFrame(rows)


def comparison_changes(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Change of the gap and the ratio between two dated vintages of the same comparison
    (same indicator, territory, reference and definition). Groups without two dated vintages
    are listed with the reason no change is computed."""
    rows = []
    keys = ["indicator_id", "territory_id", "reference_id"]
    for key, group in comparisons.groupby(keys, sort=False, dropna=False):
        ident = dict(zip(keys, key))
        dated = group.dropna(subset=["vintage"])
        definitions = group["definition"].nunique()
        if definitions > 1:
            rows.append(
                {
                    **ident,
                    "vintages": len(group),
                    "change": "not computed",
                    "reason": "definitions differ between the values",
                }
            )
            continue
        if dated["vintage"].nunique() < 2:
            reason = "one vintage only" if len(group) == 1 else "fewer than two dated vintages"
            rows.append({**ident, "vintages": len(group), "change": "not computed", "reason": reason})
            continue
        dated = dated.sort_values("vintage")
        first, last = dated.iloc[0], dated.iloc[-1]
        rows.append(
            {
                **ident,
                "vintages": len(dated),
                "change": "computed",
                "reason": "",
                "first_vintage": int(first["vintage"]),
                "last_vintage": int(last["vintage"]),
                "gap_change_low": last["gap_low"] - first["gap_high"],
                "gap_change_high": last["gap_high"] - first["gap_low"],
                "ratio_change_low": last["ratio_low"] - first["ratio_high"],
                "ratio_change_high": last["ratio_high"] - first["ratio_low"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- observations for the QPV comparisons
# Ids only: the French names of the models (vocabulary.yaml `trend_models`), of the compared
# indicators (`compared_indicators`), of the definitions and sources of the observations
# (`comparison_definitions`, `comparison_sources`) and of the computed density unit are added
# by contrat_ville.presentation.trends_text.

# the models fit_series may retain, by `model` id
MODELS = (
    "poisson",
    "quasi-poisson",
    "negative-binomial (moment alpha)",
    "negative-binomial (ML alpha)",
    "binomial",
    "quasi-binomial",
    "ols-log",
    "wls-log",
    "none",
)

# raw indicator ids compared between a QPV and its references: only rates and levels worth a gap
COMPARED_INDICATORS = (
    "poverty_rate",
    "median_income_eur",
    "share_under_15",
    "share_75_plus",
    "active_per_1000_inhabitants",
    "part_familles_monoparentales",
    "part_allocataires_chomage",
    "part_personnes_revenu_plus_50pct_prestations",
    "etablissements_pour_1000_habitants",
)
# the unit of the density computed from establishments and population (its French: vocabulary `units`)
ESTABLISHMENTS_PER_1000 = "establishments_per_1000_inhabitants"
# definition of an observation, by source: a cited figure's is `cited:<provider>` (its provider as published)
DEFINITIONS = ("identity_card_filosofi", "census", "sirene_per_population", "cited")


def _is_subject(territory_id) -> bool:
    return isinstance(territory_id, str) and territory_id.startswith("qpv-")


def comparison_observations(
    identity_card: pd.DataFrame,
    demography_shares: pd.DataFrame,
    external_figures: pd.DataFrame,
    establishments: pd.DataFrame,
    references: tuple[str, ...] = ("73065", "200069110"),
) -> pd.DataFrame:
    """QPV and reference-territory observations that can be compared, one row each, with the
    `pair_key` that says which rows go together (same table, indicator, edition and vintage;
    or the explicit `comparator_of` link of the external figures), the raw row it comes from
    (`source_table`, `source_row`: its report line, or a cited figure's id) and the id of its
    `definition` (DEFINITIONS)."""
    rows = []

    def add(indicator, territory, label, vintage, low, high, unit, key, source, definition):
        if indicator not in COMPARED_INDICATORS:
            raise ValueError(f"{source[0]}.csv {source[1]}: indicator {indicator!r} is not one of COMPARED_INDICATORS")
        rows.append(
            {
                "indicator_id": indicator,
                "territory_id": territory,
                "territory_label": label,
                "vintage": vintage,
                "value_low": low,
                "value_high": high,
                "unit": unit,
                "pair_key": key,
                "source_table": source[0],
                "source_row": str(source[1]),
                "is_reference": not _is_subject(territory),
                "definition": definition,
            }
        )

    keep = lambda t: _is_subject(t) or t in references  # noqa: E731
    card = identity_card[
        identity_card["indicator_id"].isin(["poverty_rate", "median_income_eur"]) & identity_card["value"].notna()
    ]
    for r in card.itertuples(index=False):
        if keep(r.territory_id):
            vintage = pd.NA if pd.isna(r.vintage) else int(r.vintage)
            add(
                r.indicator_id,
                r.territory_id,
                "",
                vintage,
                float(r.value),
                float(r.value),
                r.unit,
                f"identity_card:{r.indicator_id}:{r.edition}:{vintage}",
                ("identity_card", r.report_line),
                "identity_card_filosofi",
            )
    for r in demography_shares.itertuples(index=False):
        if keep(r.territory_id):
            add(
                r.indicator_id,
                r.territory_id,
                "",
                int(r.vintage),
                float(r.value_low),
                float(r.value_high),
                r.unit,
                f"demography_shares:{r.indicator_id}:{r.edition}:{r.vintage}",
                ("demography_shares", r.report_line),
                "census",
            )
    population = identity_card[identity_card["indicator_id"] == "population"].set_index(["edition", "territory_id"])[
        "value"
    ]
    for r in establishments.itertuples(index=False):
        if (
            keep(r.territory_id)
            and (r.edition, r.territory_id) in population.index
            and not pd.isna(r.active_establishments)
        ):
            per_1000 = 1000 * float(r.active_establishments) / float(population[(r.edition, r.territory_id)])
            add(
                "active_per_1000_inhabitants",
                r.territory_id,
                "",
                pd.NA,
                per_1000,
                per_1000,
                ESTABLISHMENTS_PER_1000,
                f"establishments:{r.edition}",
                ("establishments", r.report_line),
                "sirene_per_population",
            )
    linked = external_figures[external_figures["comparator_of"].notna()]
    pairs = set(linked["comparator_of"]) | set(linked["figure_id"])
    for r in external_figures[external_figures["figure_id"].isin(pairs)].itertuples(index=False):
        key = r.comparator_of if not pd.isna(r.comparator_of) else r.figure_id
        territory = "" if pd.isna(r.territory_id) else r.territory_id
        add(
            r.indicator_id,
            territory,
            r.territory_label,
            pd.NA if pd.isna(r.year) else int(r.year),
            float(r.value_low),
            float(r.value_low if pd.isna(r.value_high) else r.value_high),
            r.unit,
            f"external_figures:{key}",
            ("external_figures", r.figure_id),
            f"cited:{r.provider}",
        )
    frame = pd.DataFrame(rows)
    frame["vintage"] = frame["vintage"].astype("Int64")
    return frame
