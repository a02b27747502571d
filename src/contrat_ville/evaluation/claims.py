"""Reconciliation of the figures the report prints with the raw tables they were
transcribed into, and with each other.

A claim is one row of data/raw/report_claims.csv: a figure printed in the report (its
value, precision, qualifier and the words around it) and a rule naming how to recompute
it from raw rows. `evaluate` gives each claim one status of a vocabulary that cannot
flatter (STATUSES): `verified` only when an exact check holds for every value the rounding
of the figure and of its sources allows, with no deciding assumption; `contradicted` when no
such value agrees; `consistent_unverifiable` when the check is a bound, a granularity test,
a schedule, an interval too wide to prove anything, or when source rounding leaves the
answer open; `consistent_under_assumption` when it passes only under an assumption of
data/raw/assumptions.csv (named in `verdict_assumption`, or read as an operand);
`not_comparable` when the two figures differ in measure, period, perimeter or unit
(`comparability`); `not_recomputable` when data are missing. This module returns data;
contrat_ville.presentation.reconciliation words the computation and the verdict in French.

Acceptance intervals (`accepted_interval`): a figure printed with `d` decimals stands for
any value that rounds to it, i.e. [p - u/2, p + u/2) with u = 10**-d ("17 %" accepts
[16.5, 17.5)). "environ p" uses the same interval, `d` being the precision of the round
number (negative for tens, hundreds...); "près de p" accepts [p - u, p]; "plus de p"
accepts (p, +inf); "moins de p" (-inf, p); a range "a à b" accepts [a - u/2, b + u/2).

Operand references (columns `numerator` and `denominator`) are written in the row-addressing
language of contrat_ville.evaluation.locate: terms joined by " + ", each
`[weight*]table[selector][.column][±tolerance]` or a plain number. The selector is the row's
primary key without `edition` (values in key order, comma-separated), filters
`column=value|value`, or `*` for every row; rows of other editions are ignored. The column
defaults to `value`. `±h` declares the raw value itself rounded (true value within ±h), which
gives the bounds reported beside a mismatch. Groups separated by ";" give several values (e.g.
one ratio per quartier for a published range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from contrat_ville.evaluation import locate
from contrat_ville.evaluation.locate import Address

if TYPE_CHECKING:
    from contrat_ville.data.raw import Tables

QUALIFIERS = ("exact", "environ", "pres_de", "plus_de", "moins_de", "range")
# The verdicts, strongest first. "verified" is earned only by an exact check whose every possible
# value (source rounding included) falls within the printed rounding, with no deciding assumption.
STATUSES = (
    "verified",
    "contradicted",
    "consistent_unverifiable",
    "consistent_under_assumption",
    "not_comparable",
    "not_recomputable",
)
REVIEW_ORDER = (
    "contradicted",
    "consistent_under_assumption",
    "consistent_unverifiable",
    "not_comparable",
    "not_recomputable",
    "verified",
)
COMPARABILITY = ("measure", "period", "perimeter", "unit")  # what differs between the two figures
# Above this relative half-width an "environ" figure is an order of magnitude: it can agree, not verify.
VAGUE_SPREAD = 0.05
NOT_COUNTS = {"%", "fois", "eur", "keur", "meur", "ETP", "points"}  # every other unit counts whole things


class ClaimError(ValueError):
    """A claim row that cannot be evaluated as written (bad reference, unknown rule)."""


# --- intervals --------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = True
    high_closed: bool = False

    def __contains__(self, x: float) -> bool:
        x = round(float(x), 9)  # floating noise of 100 * a / b must not flip a boundary
        above = x > self.low or (self.low_closed and x == self.low)
        below = x < self.high or (self.high_closed and x == self.high)
        return above and below

    def intersection(self, other: Interval) -> Interval | None:
        # the larger low and the smaller high; on a tie the open (stricter) bound wins
        low, low_open = max((self.low, not self.low_closed), (other.low, not other.low_closed))
        high, high_closed = min((self.high, self.high_closed), (other.high, other.high_closed))
        low_closed = not low_open
        if low > high or (low == high and not (low_closed and high_closed)):
            return None
        return Interval(low, high, low_closed, high_closed)

    def has_integer(self) -> bool:
        first = math.ceil(self.low) if self.low_closed else math.floor(self.low) + 1
        return first in self

    def within(self, other: Interval) -> bool:
        """Every value of self lies in other."""
        low_ok = self.low > other.low or (self.low == other.low and (other.low_closed or not self.low_closed))
        high_ok = self.high < other.high or (self.high == other.high and (other.high_closed or not self.high_closed))
        return low_ok and high_ok


def _dec(value) -> Decimal:
    return Decimal(repr(float(value)))


def accepted_interval(value: float, qualifier: str = "exact", decimals: int = 0, high: float | None = None) -> Interval:
    """Values that a figure printed as `value` (with `decimals` decimals) stands for."""
    if qualifier not in QUALIFIERS:
        raise ClaimError(f"unknown qualifier {qualifier!r}; expected one of {QUALIFIERS}")
    unit = Decimal(1).scaleb(-int(decimals))
    p = _dec(value)
    if qualifier in ("exact", "environ"):
        return Interval(float(p - unit / 2), float(p + unit / 2))
    if qualifier == "pres_de":
        return Interval(float(p - unit), float(p), True, True)
    if qualifier == "plus_de":
        return Interval(float(p), math.inf, False, False)
    if qualifier == "moins_de":
        return Interval(-math.inf, float(p), False, False)
    if high is None or pd.isna(high):
        raise ClaimError("a range needs a high value")
    return Interval(float(p - unit / 2), float(_dec(high) + unit / 2))


def printed_decimals(value: float, qualifier: str = "exact") -> int:
    """Precision of a raw value as printed: `10.8` → 1; `120` → 0; `environ 9000` → -3."""
    exponent = _dec(value).normalize().as_tuple().exponent
    if qualifier in ("environ", "pres_de"):
        return -exponent
    return max(0, -exponent)


def row_interval(value: float, qualifier: str = "exact", high: float | None = None) -> Interval:
    """Interval of a figure stored in a raw row (precision inferred from the value)."""
    decimals = printed_decimals(value, qualifier)
    if qualifier in ("environ", "pres_de") and value:
        decimals = max(
            decimals, -math.floor(math.log10(abs(value))) + 1
        )  # "près de 1000": a hundred below, not a thousand
    return accepted_interval(value, qualifier, decimals, high)


# --- references ---------------------------------------------------------------------------
# Operands are addresses of contrat_ville.evaluation.locate (the one row-addressing language,
# shared with the scorecard), summed with " + " and grouped with ";".


def referenced_tables(claims: pd.DataFrame) -> list[str]:
    """Raw tables that the claims' operands read, sorted."""
    return locate.tables_of([*claims.get("numerator", []), *claims.get("denominator", [])])


def _rows(term: Address, tables: dict[str, pd.DataFrame], edition: int | None) -> pd.DataFrame:
    """The rows of its own edition that an operand selects."""
    return locate.select(tables[term.table], term, locate.primary_key(tables, term.table), edition)


@dataclass
class Operand:
    """A resolved term: its value (None when a cell is ND), bounds and where it comes from."""

    term: Address
    value: float | None
    low: float | None
    high: float | None
    rows: int
    lines: list[int] = field(default_factory=list)
    raw_values: list[float] = field(default_factory=list)


def resolve(term: Address, tables: dict[str, pd.DataFrame], edition: int | None, need_value: bool = True) -> Operand:
    if term.constant is not None:
        return Operand(term, term.constant, term.constant, term.constant, 0)
    if term.table not in tables:
        raise ClaimError(f"table {term.table!r} is not loaded")
    rows = _rows(term, tables, edition)
    if rows.empty:
        raise ClaimError(f"{term.reference} selects no row")
    lines = sorted({int(v) for v in rows["report_line"].dropna()}) if "report_line" in rows.columns else []
    if not need_value:
        return Operand(term, None, None, None, len(rows), lines)
    if term.column not in rows.columns:
        raise ClaimError(f"{term.reference}: table {term.table} has no column {term.column!r}")
    values = rows[term.column]
    if values.isna().any():
        return Operand(term, None, None, None, len(rows), lines)
    raw_values = [float(v) for v in values.astype(float)]
    total = sum(raw_values)
    spread = term.tolerance * len(rows)
    low, high = sorted([term.weight * (total - spread), term.weight * (total + spread)])
    return Operand(term, term.weight * total, low, high, len(rows), lines, raw_values)


# --- rules ------------------------------------------------------------------------------
#
# A rule computes; it never words. It returns an Outcome: the values it found, the bounds those
# values may take once the rounding of the source rows is counted, and, for the rules that
# compare by themselves, a verdict ("agrees", "possible" or "disagrees"). `kind` says what a
# passing check can prove: "exact" checks can verify, "bound" checks only show consistency.


@dataclass
class Outcome:
    values: list[float]
    bounds: tuple[float, float] | None = None
    verdict: str | None = None
    kind: str = "exact"
    details: dict = field(default_factory=dict)


def _broadcast(numerators, denominators):
    if len(numerators) == len(denominators) or len(denominators) == 1:
        return list(zip(numerators, denominators * (len(numerators) if len(denominators) == 1 else 1)))
    if len(numerators) == 1:
        return list(zip(numerators * len(denominators), denominators))
    raise ClaimError("numerator and denominator have different numbers of groups")


class Missing(Exception):
    """An operand is ND: the claim cannot be recomputed."""

    def __init__(self, reference: str):
        super().__init__(reference)
        self.reference = reference


def _need(groups):
    for group in groups:
        for operand in group:
            if operand.value is None:
                raise Missing(operand.term.reference)


def _sum(operands: list[Operand]) -> tuple[float | None, float, float]:
    if any(o.value is None for o in operands):
        return None, math.nan, math.nan
    return sum(o.value for o in operands), sum(o.low for o in operands), sum(o.high for o in operands)


def _tolerant(groups: list[list[Operand]]) -> bool:
    return any(o.term.tolerance for group in groups for o in group)


def sum_of(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """Published total = sum of the operand rows."""
    _need(numerators)
    values, lows, highs = [], [], []
    for group in numerators:
        value, low, high = _sum(group)
        values.append(value), lows.append(low), highs.append(high)
    return Outcome(values, (min(lows), max(highs)) if _tolerant(numerators) else None)


def _quotient(numerators, denominators, scale: float) -> Outcome:
    _need(numerators), _need(denominators)
    values, lows, highs = [], [], []
    for num, den in _broadcast(numerators, denominators):
        n, nlo, nhi = _sum(num)
        d, dlo, dhi = _sum(den)
        values.append(scale * n / d)
        lows.append(scale * nlo / dhi), highs.append(scale * nhi / dlo)
    bounds = (min(lows), max(highs)) if _tolerant(numerators + denominators) else None
    return Outcome(values, bounds, details={"scale": scale})


def share_of(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """Published percentage = 100 × numerator / denominator."""
    return _quotient(numerators, denominators, 100.0)


def ratio_of(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """Published multiplier = numerator / denominator (one value per group for a range)."""
    return _quotient(numerators, denominators, 1.0)


def count_of(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """Published count = number of raw rows selected."""
    return Outcome([float(numerators[0][0].rows)])


def count_distinct_of(
    claim: Any,
    numerators: list[list[Operand]],
    denominators: list[list[Operand]],
    tables: Tables | None = None,
    edition: int | None = None,
) -> Outcome:
    """Published count = number of distinct values of a column over the selected rows."""
    term = numerators[0][0].term
    rows = _rows(term, tables, edition)
    return Outcome([float(rows[term.column].dropna().nunique())])


def duplicate_of(
    claim: Any,
    numerators: list[list[Operand]],
    denominators: list[list[Operand]],
    tables: Tables | None = None,
    edition: int | None = None,
) -> Outcome:
    """The same figure printed elsewhere: both statements must be able to hold together."""
    term = numerators[0][0].term
    row = _rows(term, tables, edition).iloc[0]
    value = float(row[term.column])
    qualifier = row["qualifier"] if "qualifier" in row.index and pd.notna(row["qualifier"]) else "exact"
    high = row["value_high"] if "value_high" in row.index and pd.notna(row["value_high"]) else None
    other = row_interval(value, qualifier, high)
    common = claim_interval(claim).intersection(other)
    if common is not None and claim.unit not in NOT_COUNTS:
        common = common if common.has_integer() else None  # a count of people is a whole number
    line = int(row["report_line"]) if "report_line" in row.index and pd.notna(row["report_line"]) else None
    details = {"value": value, "qualifier": qualifier, "high": high, "other": other, "common": common, "line": line}
    return Outcome([value], verdict="agrees" if common is not None else "disagrees", details=details)


def _bound(claim, numerators, direction: str) -> Outcome:
    _need(numerators)
    bound, _, _ = _sum(numerators[0])
    mine = claim_interval(claim)
    holds = mine.high >= bound if direction == "at_least" else mine.low <= bound
    return Outcome([bound], verdict="agrees" if holds else "disagrees", kind="bound", details={"direction": direction})


def at_least(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """The published figure cannot be below the operands (a total and one year's average)."""
    return _bound(claim, numerators, "at_least")


def at_most(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """The published figure cannot exceed the operands (distinct people and yearly counts)."""
    return _bound(claim, numerators, "at_most")


def achievable_share_of(
    claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object
) -> Outcome:
    """A published percentage of N people must be k / N for some whole k (granularity test).
    It shows consistency only: the k is not published. `vacuous` when the step 100 / N is
    finer than the printed rounding, so that every printed percentage is reachable."""
    _need(numerators)
    base, _, _ = _sum(numerators[0])
    accepted = claim_interval(claim)
    k = round(claim.published_value * base / 100)
    candidates = [c for c in (k - 1, k, k + 1) if 0 <= c <= base]
    fitting = [c for c in candidates if 100 * c / base in accepted]
    best = min(fitting or candidates, key=lambda c: abs(100 * c / base - claim.published_value))
    step = 100 / base
    details = {"base": base, "k": best, "step": step, "vacuous": step <= 10.0 ** -int(claim.decimals)}
    return Outcome([100 * best / base], verdict="agrees" if fitting else "disagrees", kind="bound", details=details)


def _part_bounds(numerators) -> tuple[float, float, float]:
    """Sum of published parts and its bounds, each part standing for its own printed rounding."""
    _need(numerators)
    total, low, high = 0.0, 0.0, 0.0
    for operand in numerators[0]:
        for value in operand.raw_values:
            interval = row_interval(value)
            total += operand.term.weight * value
            low += operand.term.weight * interval.low
            high += operand.term.weight * interval.high
    return total, low, high


def parts_make_whole(
    claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object
) -> Outcome:
    """Published parts of one whole (shares of the same set): their sum, within the rounding of
    each part, must contain the whole (published_value, e.g. 100 %)."""
    total, low, high = _part_bounds(numerators)
    agrees = claim.published_value in Interval(low, high, True, True)
    return Outcome([total], (low, high), verdict="agrees" if agrees else "disagrees")


def parts_within(
    claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object
) -> Outcome:
    """Published parts that need not cover the whole: their sum cannot exceed it."""
    total, low, high = _part_bounds(numerators)
    agrees = low <= claim.published_value
    return Outcome([total], (low, high), verdict="agrees" if agrees else "disagrees", kind="bound")


def not_before(claim: Any, numerators: list[list[Operand]], denominators: list[list[Operand]], **_: object) -> Outcome:
    """A schedule printed in the text (published, in months `yyyymm`, a range for a semester or
    a year) cannot start before the decision it depends on (the operand, in months `yyyymm`)."""
    _need(numerators)
    decision, _, _ = _sum(numerators[0])
    mine = claim_interval(claim)
    if mine.low >= decision:
        verdict = "agrees"
    elif mine.high <= decision:  # the whole printed period ends before the decision
        verdict = "disagrees"
    else:
        verdict = "possible"
    return Outcome([decision], verdict=verdict, kind="bound")


RULES = {
    f.__name__: f
    for f in (
        sum_of,
        share_of,
        ratio_of,
        count_of,
        count_distinct_of,
        duplicate_of,
        at_least,
        at_most,
        achievable_share_of,
        parts_make_whole,
        parts_within,
        not_before,
    )
}
NEEDS_TABLES = {"count_distinct_of", "duplicate_of"}
COUNTS_ROWS = {"count_of", "count_distinct_of"}


# --- verdicts ---------------------------------------------------------------------------


def claim_interval(claim: Any) -> Interval:
    return accepted_interval(claim.published_value, claim.qualifier, int(claim.decimals), claim.published_high)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _ids(text) -> list[str]:
    return [a.strip() for a in _text(text).split(";") if a.strip()]


@dataclass
class Evaluation:
    """One claim evaluated: the operands read, what the rule found, the status and its reason.

    `reason` is a code that the presentation layer words: within_rounding, vague_interval,
    bound_only, granularity_only, granularity_vacuous, schedule_only, source_rounding,
    under_assumption, outside_rounding, outside_even_with_source_rounding, different_<what>,
    no_rule, operand_missing."""

    claim: object
    status: str
    reason: str
    numerators: list[list[Operand]] = field(default_factory=list)
    denominators: list[list[Operand]] = field(default_factory=list)
    outcome: Outcome | None = None
    deciding_assumptions: list[str] = field(default_factory=list)
    missing: str | None = None

    @property
    def interval(self) -> Interval:
        return claim_interval(self.claim)

    @property
    def operand_lines(self) -> list[int]:
        return sorted({line for g in self.numerators + self.denominators for o in g for line in o.lines})


def deciding_assumptions(claim: Any, groups: list[list[Operand]]) -> list[str]:
    """Assumptions without which the check would not pass: those named in verdict_assumption and
    any assumption whose value the rule reads (a convention chosen because it fits)."""
    named = _ids(getattr(claim, "verdict_assumption", None))
    read = [o.term.selector for g in groups for o in g if o.term.table == "assumptions"]
    return list(dict.fromkeys(named + read))


def _verdict(outcome: Outcome, interval: Interval) -> str:
    if outcome.verdict is not None:
        return outcome.verdict
    inside = all(v in interval for v in outcome.values)
    if outcome.bounds is None:
        return "agrees" if inside else "disagrees"
    possible = Interval(*outcome.bounds, True, True)
    if inside and possible.within(interval):
        return "agrees"
    return "possible" if possible.intersection(interval) is not None else "disagrees"


def _vague(claim, interval: Interval) -> bool:
    if claim.qualifier != "environ" or not claim.published_value:
        return False
    return (interval.high - interval.low) / 2 > VAGUE_SPREAD * abs(claim.published_value)


def rule_status(claim: Any, outcome: Outcome, deciding: list[str]) -> tuple[str, str]:
    """(status, reason) of an evaluated claim: the vocabulary that cannot flatter."""
    comparability = _text(getattr(claim, "comparability", None))
    if comparability:
        if comparability not in COMPARABILITY:
            raise ClaimError(f"{claim.claim_id}: comparability {comparability!r}; expected one of {COMPARABILITY}")
        return "not_comparable", f"different_{comparability}"
    interval = claim_interval(claim)
    verdict = _verdict(outcome, interval)
    if verdict == "disagrees":
        return "contradicted", "outside_even_with_source_rounding" if outcome.bounds else "outside_rounding"
    if deciding:
        return "consistent_under_assumption", "under_assumption"
    if verdict == "possible":
        return "consistent_unverifiable", "schedule_only" if claim.rule == "not_before" else "source_rounding"
    if outcome.kind == "bound":
        if claim.rule == "achievable_share_of":
            vacuous = outcome.details.get("vacuous")
            return "consistent_unverifiable", "granularity_vacuous" if vacuous else "granularity_only"
        return "consistent_unverifiable", "schedule_only" if claim.rule == "not_before" else "bound_only"
    if _vague(claim, interval):
        return "consistent_unverifiable", "vague_interval"
    return "verified", "within_rounding"


def evaluate(claim: Any, tables: dict[str, pd.DataFrame]) -> Evaluation:
    """One claim → its evaluation (data only; contrat_ville.presentation.reconciliation words it)."""
    rule = claim.rule
    if rule == "none":
        return Evaluation(claim, "not_recomputable", "no_rule")
    if rule not in RULES:
        raise ClaimError(f"{claim.claim_id}: unknown rule {rule!r}; expected one of {sorted(RULES)} or 'none'")
    edition = int(claim.edition)
    try:
        need_value = rule not in COUNTS_ROWS
        numerators = [
            [resolve(t, tables, edition, need_value) for t in g] for g in locate.parse_groups(claim.numerator)
        ]
        denominators = [
            [resolve(t, tables, edition, need_value) for t in g] for g in locate.parse_groups(claim.denominator)
        ]
        if not numerators:
            raise ClaimError("the rule needs a numerator")
    except (ClaimError, locate.AddressError) as exc:
        raise ClaimError(f"{claim.claim_id}: {exc}") from None
    extra = {"tables": tables, "edition": edition} if rule in NEEDS_TABLES else {}
    base = {"claim": claim, "numerators": numerators, "denominators": denominators}
    try:
        outcome = RULES[rule](claim, numerators, denominators, **extra)
    except Missing as exc:
        return Evaluation(status="not_recomputable", reason="operand_missing", missing=exc.reference, **base)
    deciding = deciding_assumptions(claim, numerators + denominators)
    status, reason = rule_status(claim, outcome, deciding)
    return Evaluation(status=status, reason=reason, outcome=outcome, deciding_assumptions=deciding, **base)


def evaluate_all(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None) -> list[Evaluation]:
    if edition is not None:
        claims = claims[claims["edition"] == edition]
    return [evaluate(claim, tables) for claim in claims.itertuples(index=False)]


DATA_COLUMNS = [
    "claim_id",
    "chapter",
    "report_line",
    "quote",
    "published_value",
    "published_high",
    "qualifier",
    "unit",
    "recomputed_value",
    "recomputed_high",
    "rule",
    "status",
    "status_reason",
    "operands",
    "operand_lines",
    "assumption_ids",
    "deciding_assumptions",
    "comparability",
]


def record(evaluation: Evaluation) -> dict:
    """The data of one evaluation as a row (no French: the wording is added by presentation)."""
    claim = evaluation.claim
    values = evaluation.outcome.values if evaluation.outcome else []
    return {
        "claim_id": claim.claim_id,
        "chapter": claim.chapter,
        "report_line": claim.report_line,
        "quote": claim.quote,
        "published_value": claim.published_value,
        "published_high": claim.published_high,
        "qualifier": claim.qualifier,
        "unit": claim.unit,
        "recomputed_value": min(values) if values else None,
        "recomputed_high": max(values) if len(values) > 1 else None,
        "rule": claim.rule,
        "status": evaluation.status,
        "status_reason": evaluation.reason,
        "operands": " ; ".join(filter(None, [_text(claim.numerator), _text(claim.denominator)])),
        "operand_lines": " ; ".join(str(line) for line in evaluation.operand_lines),
        "assumption_ids": _text(claim.assumption_ids),
        "deciding_assumptions": " ; ".join(evaluation.deciding_assumptions),
        "comparability": _text(getattr(claim, "comparability", None)),
    }


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    for column in ("published_value", "published_high", "recomputed_value", "recomputed_high"):
        table[column] = (
            pd.to_numeric(table[column].astype(object).where(table[column].notna(), None)).astype("Float64").round(6)
        )
    table["report_line"] = table["report_line"].astype("Int64")
    return table


def reconcile(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None) -> pd.DataFrame:
    """Every claim (of `edition`, if given) evaluated: the reconciliation table, data only."""
    return frame([record(e) for e in evaluate_all(claims, tables, edition)], DATA_COLUMNS)


def order_for_review(table: pd.DataFrame) -> pd.DataFrame:
    """Contradictions first, then the weaker agreements, then verified figures; report order within."""
    rank = table["status"].map({s: i for i, s in enumerate(REVIEW_ORDER)})
    return (
        table.assign(_rank=rank)
        .sort_values(["_rank", "report_line", "claim_id"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def status_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Claims checked in both editions whose reconciliation status differs (by claim_id)."""
    both = previous[["claim_id", "quote", "status"]].merge(
        current[["claim_id", "status"]], on="claim_id", suffixes=("_previous", "")
    )
    return both[both["status_previous"] != both["status"]].reset_index(drop=True)


# --- traces -----------------------------------------------------------------------------

TRACE_COLUMNS = ["claim_id", "rule", "table", "selector", "column", "weight", "n_rows", "raw_value", "report_lines"]


def trace(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None) -> pd.DataFrame:
    """One row per raw operand of every claim: the raw table, the rows it selects (selector and
    column), their raw value (sum over the rows; their number for counting rules) and the report
    lines they were transcribed from, so that a reader can go from a check to its source."""
    rows = []
    for evaluation in evaluate_all(claims, tables, edition):
        claim = evaluation.claim
        if not any(o.term.table for g in evaluation.numerators + evaluation.denominators for o in g):
            # nothing to recompute from: the trace is the claim's own raw row and its report line
            rows.append(
                {
                    "claim_id": claim.claim_id,
                    "rule": claim.rule,
                    "table": "report_claims",
                    "selector": claim.claim_id,
                    "column": "published_value",
                    "weight": 1.0,
                    "n_rows": 1,
                    "raw_value": claim.published_value,
                    "report_lines": str(claim.report_line),
                }
            )
        for group in evaluation.numerators + evaluation.denominators:
            for operand in group:
                if operand.term.table is None:
                    continue
                counted = evaluation.claim.rule in COUNTS_ROWS
                raw_value = None if operand.value is None else operand.value / operand.term.weight
                rows.append(
                    {
                        "claim_id": evaluation.claim.claim_id,
                        "rule": evaluation.claim.rule,
                        "table": operand.term.table,
                        "selector": operand.term.selector,
                        "column": operand.term.column,
                        "weight": operand.term.weight,
                        "n_rows": operand.rows,
                        "raw_value": float(operand.rows) if counted else raw_value,
                        "report_lines": " ; ".join(str(line) for line in operand.lines),
                    }
                )
    table = pd.DataFrame(rows, columns=TRACE_COLUMNS)
    table["raw_value"] = pd.to_numeric(table["raw_value"]).astype("Float64").round(6)
    return table
