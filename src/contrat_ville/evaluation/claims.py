"""Reconciliation of the figures the report prints with the raw tables they were
transcribed into, and with each other.

A claim is one row of data/raw/report_claims.csv: a figure printed in the report (its
value, precision, qualifier and the words around it) and a rule naming how to recompute
it from raw rows. `reconcile` evaluates every claim and says `ok`, `mismatch` or
`not_recomputable`, with the computation written out in French so that a reader can
redo it by hand.

Acceptance intervals (`accepted_interval`): a figure printed with `d` decimals stands for
any value that rounds to it, i.e. [p - u/2, p + u/2) with u = 10**-d ("17 %" accepts
[16.5, 17.5)). "environ p" uses the same interval, `d` being the precision of the round
number (negative for tens, hundreds...); "près de p" accepts [p - u, p]; "plus de p"
accepts (p, +inf); "moins de p" (-inf, p); a range "a à b" accepts [a - u/2, b + u/2).

Operand references (columns `numerator` and `denominator`): terms joined by " + ", each
term `[weight*]table[selector][.column][±tolerance]` or a plain number. The selector is
either the row's primary key without `edition` (values in key order, comma-separated),
filters `column=value|value`, or `*` for every row; rows of other editions are ignored.
The column defaults to `value`. `±h` declares the raw value itself rounded (true value
within ±h), which gives the bounds reported beside a mismatch. Groups separated by ";"
give several values (e.g. one ratio per quartier for a published range).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from contrat_ville.presentation import fmt

QUALIFIERS = ("exact", "environ", "pres_de", "plus_de", "moins_de", "range")
STATUSES = ("ok", "mismatch", "not_recomputable")
NOT_COUNTS = {"%", "fois", "eur", "keur", "meur", "ETP", "points"}  # every other unit counts whole things
PREFIX = {"environ": "environ ", "pres_de": "près de ", "plus_de": "plus de ", "moins_de": "moins de "}
CHAPTERS = {
    "synthese": "Synthèse",
    "portrait": "Portrait des quartiers",
    "cadre_de_vie": "Cadre de vie et renouvellement urbain",
    "qva": "Quartiers en veille active",
    "emploi": "Emploi et développement économique",
    "reussite_educative": "Réussite éducative et parentalité",
    "culture_sport": "Culture et sport",
    "citoyennete": "Citoyenneté et lien social",
    "prevention_sante": "Prévention et santé",
    "numerique": "Numérique",
    "financements": "Financements",
    "perspectives": "Perspectives",
}
STATUS_LABELS = {"ok": "concorde", "mismatch": "écart", "not_recomputable": "non recalculable"}


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

    def french(self, decimals: int = 2) -> str:
        """`[16,5 ; 17,5[`, `]1 000 ; +∞[` (French interval notation)."""

        def bound(v):
            return ("−∞" if v < 0 else "+∞") if math.isinf(v) else number(v, decimals)

        left = "[" if self.low_closed and not math.isinf(self.low) else "]"
        right = "]" if self.high_closed and not math.isinf(self.high) else "["
        return f"{left}{bound(self.low)} ; {bound(self.high)}{right}"


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


# --- French numbers ---------------------------------------------------------------------


def number(value: float, decimals: int = 2, trim: bool = True) -> str:
    """French number with at most `decimals` decimals (trailing zeros dropped when `trim`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.MISSING
    text = fmt.number(value, max(decimals, 0))
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def published_label(
    value: float, unit: str, qualifier: str = "exact", decimals: int = 0, high: float | None = None
) -> str:
    """The figure as a reader would print it: `36 %`, `1,4 à 1,5 fois`, `près de 1 000 familles`."""
    d = max(int(decimals), 0)

    def one(v):
        if unit == "%":
            return fmt.percent(v, d)
        if unit == "meur":
            return f"{fmt.number(v, d)} M€"
        if unit == "keur":
            return f"{fmt.number(v, d)} k€"
        if unit == "eur":
            return fmt.euros(v, d)
        return f"{fmt.number(v, d)} {unit}"

    if qualifier == "range":
        low = fmt.number(value, d)
        return f"{low} à {one(high)}"
    return PREFIX.get(qualifier, "") + one(value)


# --- references -------------------------------------------------------------------------

_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_TERM = re.compile(
    rf"^(?:(?P<weight>{_NUMBER})\*)?(?P<table>[a-z0-9_]+)\[(?P<selector>[^\]]*)\]"
    rf"(?:\.(?P<column>[a-z0-9_]+))?(?:±(?P<tolerance>\d+(?:\.\d+)?))?$"
)


@dataclass(frozen=True)
class Term:
    table: str | None = None
    selector: str = "*"
    column: str = "value"
    weight: float = 1.0
    tolerance: float = 0.0
    constant: float | None = None

    @property
    def reference(self) -> str:
        if self.constant is not None:
            return number(self.constant, 6)
        text = f"{self.table}[{self.selector}]"
        return text + (f".{self.column}" if self.column != "value" else "")


def parse_terms(text: str) -> list[list[Term]]:
    """`a + 2*b ; c` → [[a, 2*b], [c]]; empty text → []."""
    if text is None or pd.isna(text) or not str(text).strip():
        return []
    groups = []
    for group in str(text).split(";"):
        terms = []
        for raw in re.split(r"\s+\+\s+", group.strip()):
            raw = raw.strip()
            if re.fullmatch(_NUMBER, raw):
                terms.append(Term(constant=float(raw)))
                continue
            match = _TERM.match(raw)
            if not match:
                raise ClaimError(
                    f"cannot read the operand {raw!r}; expected [weight*]table[selector][.column][±tolerance]"
                )
            terms.append(
                Term(
                    match["table"],
                    match["selector"].strip() or "*",
                    match["column"] or "value",
                    float(match["weight"] or 1),
                    float(match["tolerance"] or 0),
                )
            )
        groups.append(terms)
    return groups


def referenced_tables(claims: pd.DataFrame) -> list[str]:
    """Raw tables that the claims' operands read, sorted."""
    names = set()
    for column in ("numerator", "denominator"):
        for text in claims.get(column, []):
            names |= {t.table for group in parse_terms(text) for t in group if t.table}
    return sorted(names)


def primary_key(tables: dict[str, pd.DataFrame], name: str) -> list[str]:
    """The declared primary key of raw table `name`, from the sidecar beside it (raw.Tables)."""
    meta = getattr(tables, "metas", {}).get(name) or {}
    return list(meta.get("schema", {}).get("primaryKey", []))


def select(
    frame: pd.DataFrame, selector: str, edition: int | None = None, key: list[str] | None = None
) -> pd.DataFrame:
    """Rows of a raw table picked by a selector (see module docstring); `key` is the table's
    primary key (see primary_key), against which positional selector values are matched."""
    rows = frame
    if edition is not None and "edition" in rows.columns:
        rows = rows[rows["edition"] == edition]
    if selector.strip() == "*":
        return rows
    key = [k for k in (key or []) if k != "edition"]
    parts = [p.strip() for p in selector.split(",")]
    positional = [p for p in parts if "=" not in p]
    if len(positional) > len(key):
        raise ClaimError(f"selector {selector!r} gives {len(positional)} key values; the key is {key}")
    mask = pd.Series(True, index=rows.index)
    for column, value in zip(key, positional):
        mask &= rows[column].astype("string") == value
    for part in parts:
        if "=" in part:
            column, values = part.split("=", 1)
            if column not in rows.columns:
                raise ClaimError(f"selector {selector!r}: no column {column!r}")
            mask &= rows[column].astype("string").isin(values.split("|"))
    return rows[mask]


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _weighted(text: str, weight: float) -> str:
    """`10,8` with weight 1e6 → `(10,8 × 10⁶)`; weight -1 → `-10,8` (shown as a subtraction)."""
    if weight == 1:
        return text
    if weight == -1:
        return f"-{text}"
    exponent = math.log10(abs(weight))
    factor = f"10{str(int(exponent)).translate(SUPERSCRIPT)}" if exponent.is_integer() else number(abs(weight), 6)
    return (
        f"{'-' if weight < 0 else ''}({text} × {factor})"
        if factor.startswith("10")
        else f"{number(weight, 6)} × {text}"
    )


@dataclass
class Operand:
    """A resolved term: its value (None when a cell is ND), bounds and where it comes from."""

    term: Term
    value: float | None
    low: float | None
    high: float | None
    rows: int
    lines: list[int] = field(default_factory=list)
    raw_values: list[float] = field(default_factory=list)

    def text(self) -> str:
        if self.term.constant is not None:
            return number(self.term.constant, 6)
        if self.value is None:
            return fmt.MISSING
        if self.rows > 3:
            shown = f"Σ {self.term.table}[{self.term.selector}] ({self.rows} lignes : {number(self.value / self.term.weight, 4)})"
        elif self.rows > 1:
            shown = " + ".join(number(v, 4) for v in self.raw_values)
            shown = f"({shown})" if self.term.weight != 1 else shown
        else:
            shown = number(self.value / self.term.weight, 4)
        return _weighted(shown, self.term.weight)


def resolve(term: Term, tables: dict[str, pd.DataFrame], edition: int | None, need_value: bool = True) -> Operand:
    if term.constant is not None:
        return Operand(term, term.constant, term.constant, term.constant, 0)
    if term.table not in tables:
        raise ClaimError(f"table {term.table!r} is not loaded")
    rows = select(tables[term.table], term.selector, edition, primary_key(tables, term.table))
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


@dataclass
class Outcome:
    """What a rule computed: one or more values, optional bounds, the computation in French."""

    values: list[float]
    computation: str
    bounds: tuple[float, float] | None = None
    status: str | None = None  # set by rules that compare by themselves (duplicates, bounds)


def _sum(operands: list[Operand]) -> tuple[float | None, float, float]:
    if any(o.value is None for o in operands):
        return None, math.nan, math.nan
    return sum(o.value for o in operands), sum(o.low for o in operands), sum(o.high for o in operands)


def _joined(operands: list[Operand]) -> str:
    text = " + ".join(o.text() for o in operands).replace("+ -", "− ")
    return f"({text})" if len(operands) > 1 else text


def _tolerant(groups: list[list[Operand]]) -> bool:
    return any(o.term.tolerance for group in groups for o in group)


def _show(value: float, claim) -> str:
    """A recomputed value with one decimal more than the published figure (two below ten)."""
    if float(value).is_integer():
        return number(value, 0)
    decimals = max(int(claim.decimals) + 1, 1 if abs(value) >= 10 else 2)
    return number(value, decimals, trim=False)


def _broadcast(numerators, denominators):
    if len(numerators) == len(denominators) or len(denominators) == 1:
        return list(zip(numerators, denominators * (len(numerators) if len(denominators) == 1 else 1)))
    if len(numerators) == 1:
        return list(zip(numerators * len(denominators), denominators))
    raise ClaimError("numerator and denominator have different numbers of groups")


class Missing(Exception):
    """An operand is ND: the claim cannot be recomputed."""


def _need(groups):
    for group in groups:
        for operand in group:
            if operand.value is None:
                raise Missing(f"{operand.term.reference} est vide (ND) dans les données brutes")


def sum_of(claim, numerators, denominators) -> Outcome:
    """Published total = sum of the operand rows."""
    _need(numerators)
    values, texts, lows, highs = [], [], [], []
    for group in numerators:
        value, low, high = _sum(group)
        values.append(value)
        lows.append(low), highs.append(high)
        texts.append(f"{' + '.join(o.text() for o in group).replace('+ -', '− ')} = {_show(value, claim)}")
    bounds = (min(lows), max(highs)) if _tolerant(numerators) else None
    return Outcome(values, " ; ".join(texts), bounds)


def _quotient(claim, numerators, denominators, scale: float, symbol: str) -> Outcome:
    _need(numerators), _need(denominators)
    values, texts, lows, highs = [], [], [], []
    for num, den in _broadcast(numerators, denominators):
        n, nlo, nhi = _sum(num)
        d, dlo, dhi = _sum(den)
        values.append(scale * n / d)
        lows.append(scale * nlo / dhi), highs.append(scale * nhi / dlo)
        prefix = "100 × " if scale == 100 else ""
        texts.append(f"{prefix}{_joined(num)} / {_joined(den)} = {_show(scale * n / d, claim)}{symbol}")
    bounds = (min(lows), max(highs)) if _tolerant(numerators + denominators) else None
    return Outcome(values, " ; ".join(texts), bounds)


def share_of(claim, numerators, denominators) -> Outcome:
    """Published percentage = 100 × numerator / denominator."""
    return _quotient(claim, numerators, denominators, 100.0, " %")


def ratio_of(claim, numerators, denominators) -> Outcome:
    """Published multiplier = numerator / denominator (one value per group for a range)."""
    return _quotient(claim, numerators, denominators, 1.0, "")


def _rows_text(term: Term) -> str:
    return f"{term.table}[{term.selector}]"


def count_of(claim, numerators, denominators) -> Outcome:
    """Published count = number of raw rows selected."""
    operand = numerators[0][0]
    return Outcome([float(operand.rows)], f"nombre de lignes de {_rows_text(operand.term)} = {operand.rows}")


def count_distinct_of(claim, numerators, denominators, tables=None, edition=None) -> Outcome:
    """Published count = number of distinct values of a column over the selected rows."""
    term = numerators[0][0].term
    rows = select(tables[term.table], term.selector, edition, primary_key(tables, term.table))
    distinct = rows[term.column].dropna().nunique()
    return Outcome([float(distinct)], f"valeurs distinctes de {term.column} dans {_rows_text(term)} = {distinct}")


def duplicate_of(claim, numerators, denominators, tables=None, edition=None) -> Outcome:
    """The same figure printed elsewhere: both statements must be able to hold together."""
    term = numerators[0][0].term
    row = select(tables[term.table], term.selector, edition, primary_key(tables, term.table)).iloc[0]
    value = float(row[term.column])
    qualifier = row["qualifier"] if "qualifier" in row.index and pd.notna(row["qualifier"]) else "exact"
    high = row["value_high"] if "value_high" in row.index else None
    other = row_interval(value, qualifier, high)
    mine = claim_interval(claim)
    common = mine.intersection(other)
    if common is not None and claim.unit not in NOT_COUNTS:
        common = common if common.has_integer() else None
    where = (
        f"ligne {int(row['report_line'])}"
        if "report_line" in row.index and pd.notna(row["report_line"])
        else term.reference
    )
    label = published_label(value, claim.unit, qualifier, printed_decimals(value), high)
    computation = (
        f"{where} : « {label} » ⇒ {other.french()} ; "
        f"ici « {published_label(claim.published_value, claim.unit, claim.qualifier, claim.decimals, claim.published_high)} » ⇒ {mine.french()} ; "
        + ("intersection " + common.french() if common is not None else "aucune valeur commune")
    )
    return Outcome([value], computation, status="ok" if common is not None else "mismatch")


def _bound(claim, numerators, direction: str) -> Outcome:
    _need(numerators)
    bound, _, _ = _sum(numerators[0])
    mine = claim_interval(claim)
    holds = mine.high >= bound if direction == "at_least" else mine.low <= bound
    sign = ("≥" if holds else "<") if direction == "at_least" else ("≤" if holds else ">")
    published = published_label(
        claim.published_value, claim.unit, claim.qualifier, claim.decimals, claim.published_high
    )
    operands = _joined(numerators[0])
    shown = _show(bound, claim)
    computation = f"{published} {sign} {operands}" + ("" if operands == shown else f" = {shown}")
    return Outcome([bound], computation, status="ok" if holds else "mismatch")


def at_least(claim, numerators, denominators) -> Outcome:
    """The published figure cannot be below the operands (a total and one year's average)."""
    return _bound(claim, numerators, "at_least")


def at_most(claim, numerators, denominators) -> Outcome:
    """The published figure cannot exceed the operands (distinct people and yearly counts)."""
    return _bound(claim, numerators, "at_most")


def achievable_share_of(claim, numerators, denominators) -> Outcome:
    """A published percentage of N people must be k / N for some whole k (granularity test)."""
    _need(numerators)
    base, _, _ = _sum(numerators[0])
    accepted = claim_interval(claim)
    k = round(claim.published_value * base / 100)
    candidates = [c for c in (k - 1, k, k + 1) if 0 <= c <= base]
    fitting = [c for c in candidates if 100 * c / base in accepted] or candidates
    best = min(fitting, key=lambda c: abs(100 * c / base - claim.published_value))
    value = 100 * best / base
    return Outcome([value], f"100 × {best} / {_joined(numerators[0])} = {number(value, int(claim.decimals) + 2)} %")


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
    )
}
NEEDS_TABLES = {"count_distinct_of", "duplicate_of"}


# --- reconciliation ---------------------------------------------------------------------


def claim_interval(claim) -> Interval:
    return accepted_interval(claim.published_value, claim.qualifier, int(claim.decimals), claim.published_high)


def rounding_rule(claim) -> str:
    """The acceptance rule of a claim in French, e.g. `publié à 0 décimale : [16,5 ; 17,5[`."""
    interval = claim_interval(claim)
    d = int(claim.decimals)
    precision = {
        0: "à l'unité",
        1: "au dixième",
        2: "au centième",
        -1: "à la dizaine",
        -2: "à la centaine",
        -3: "au millier",
    }.get(d, f"à {number(10.0**-d, 6)} près")
    kind = {
        "exact": f"arrondi {precision}",
        "environ": f"« environ », arrondi {precision}",
        "pres_de": f"« près de » : au plus la valeur, arrondi {precision}",
        "plus_de": "« plus de » : strictement au-dessus",
        "moins_de": "« moins de » : strictement en dessous",
        "range": f"fourchette aux bornes arrondies {precision}",
    }[claim.qualifier]
    return f"{kind} ; valeurs admises {interval.french(max(d, 0) + 2)}"


def evaluate(claim, tables: dict[str, pd.DataFrame]) -> dict:
    """One claim → one row of the reconciliation table."""
    rule = claim.rule
    base = {
        "claim_id": claim.claim_id,
        "chapter": claim.chapter,
        "report_line": claim.report_line,
        "quote": claim.quote,
        "published_value": claim.published_value,
        "published_high": claim.published_high,
        "qualifier": claim.qualifier,
        "unit": claim.unit,
        "rule": rule,
        "rounding_rule": rounding_rule(claim),
        "operands": " ; ".join(
            filter(
                None,
                [
                    claim.numerator if pd.notna(claim.numerator) else "",
                    claim.denominator if pd.notna(claim.denominator) else "",
                ],
            )
        ),
        "assumption_ids": claim.assumption_ids if pd.notna(claim.assumption_ids) else "",
    }
    note = claim.note if pd.notna(claim.note) else ""
    published = published_label(
        claim.published_value, claim.unit, claim.qualifier, claim.decimals, claim.published_high
    )
    if rule == "none":
        return {
            **base,
            "recomputed_value": None,
            "recomputed_high": None,
            "status": "not_recomputable",
            "computation": "",
            "operand_lines": "",
            "explanation": f"Non recalculable. {note}".strip(),
        }
    if rule not in RULES:
        raise ClaimError(f"{claim.claim_id}: unknown rule {rule!r}; expected one of {sorted(RULES)} or 'none'")
    edition = int(claim.edition)
    try:
        need_value = rule not in ("count_of", "count_distinct_of")
        numerators = [[resolve(t, tables, edition, need_value) for t in g] for g in parse_terms(claim.numerator)]
        denominators = [[resolve(t, tables, edition, need_value) for t in g] for g in parse_terms(claim.denominator)]
        if not numerators:
            raise ClaimError("the rule needs a numerator")
    except ClaimError as exc:
        raise ClaimError(f"{claim.claim_id}: {exc}") from None
    lines = sorted({line for g in numerators + denominators for o in g for line in o.lines})
    base["operand_lines"] = " ; ".join(str(line) for line in lines)
    extra = {"tables": tables, "edition": edition} if rule in NEEDS_TABLES else {}
    try:
        outcome = RULES[rule](claim, numerators, denominators, **extra)
    except Missing as exc:
        return {
            **base,
            "recomputed_value": None,
            "recomputed_high": None,
            "status": "not_recomputable",
            "computation": "",
            "explanation": f"Non recalculable : {exc}. {note}".strip(),
        }
    interval = claim_interval(claim)
    status = outcome.status or ("ok" if all(v in interval for v in outcome.values) else "mismatch")
    if outcome.status:
        verdict = "Concorde" if status == "ok" else "Écart"
        explanation = f"{verdict} : {outcome.computation}."
    elif status == "ok":
        explanation = f"Concorde : {outcome.computation}, dans l'intervalle {interval.french(int(claim.decimals) + 2)} que couvre « {published} »."
    else:
        explanation = f"Écart : {outcome.computation}, hors de l'intervalle {interval.french(int(claim.decimals) + 2)} que couvre « {published} »."
        if outcome.bounds:
            low, high = outcome.bounds
            span = f"entre {_show(low, claim)} et {_show(high, claim)}"
            if Interval(low, high, True, True).intersection(interval) is not None:
                explanation += f" L'écart peut tenir à l'arrondi des données sources (valeur exacte possible {span})."
            else:
                explanation += f" Même en tenant compte de l'arrondi des données sources, la valeur resterait {span}."
    values = outcome.values
    return {
        **base,
        "recomputed_value": min(values),
        "recomputed_high": max(values) if len(values) > 1 else None,
        "status": status,
        "computation": outcome.computation,
        "explanation": f"{explanation} {note}".strip(),
    }


COLUMNS = [
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
    "rounding_rule",
    "status",
    "explanation",
    "computation",
    "operands",
    "operand_lines",
    "assumption_ids",
]


def reconcile(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], edition: int | None = None) -> pd.DataFrame:
    """Every claim (of `edition`, if given) evaluated: the reconciliation table."""
    if edition is not None:
        claims = claims[claims["edition"] == edition]
    rows = [evaluate(claim, tables) for claim in claims.itertuples(index=False)]
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("published_value", "published_high", "recomputed_value", "recomputed_high"):
        table[column] = (
            pd.to_numeric(table[column].astype(object).where(table[column].notna(), None)).astype("Float64").round(6)
        )
    table["report_line"] = table["report_line"].astype("Int64")
    return table


def order_for_review(table: pd.DataFrame) -> pd.DataFrame:
    """Mismatches first, then what could not be recomputed, then agreements; report order within."""
    rank = table["status"].map({"mismatch": 0, "not_recomputable": 1, "ok": 2})
    return (
        table.assign(_rank=rank)
        .sort_values(["_rank", "report_line", "claim_id"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


# --- display ----------------------------------------------------------------------------


def recomputed_label(row) -> str:
    """The recomputed value in the claim's unit, one decimal finer than the published figure."""
    if pd.isna(row.recomputed_value):
        return fmt.MISSING
    decimals = int(row.decimals) + 1 if "decimals" in row._fields else 1

    def one(v):
        v = float(v)
        if row.unit == "%":
            return fmt.percent(v, max(decimals, 1))
        if row.unit in ("meur", "keur"):
            return f"{number(v, max(decimals, 2), trim=False)} {'M€' if row.unit == 'meur' else 'k€'}"
        if row.unit == "eur":
            return fmt.euros(v)
        if row.unit in ("fois", "ETP"):
            return number(v, max(decimals, 2), trim=False) + (" ETP" if row.unit == "ETP" else "")
        return number(v, 0 if v.is_integer() else 1)

    if pd.notna(row.recomputed_high):
        return f"{one(row.recomputed_value)} à {one(row.recomputed_high)}"
    return one(row.recomputed_value)


def display_frame(table: pd.DataFrame, claims_table: pd.DataFrame) -> pd.DataFrame:
    """Reconciliation rows as French display strings (the book's audit tables)."""
    decimals = claims_table.set_index("claim_id")["decimals"]
    rows = table.assign(decimals=table["claim_id"].map(decimals).fillna(0).astype(int))
    return pd.DataFrame(
        {
            "Ligne": rows["report_line"].map(lambda v: fmt.number(v)),
            "Chapitre du rapport": rows["chapter"].map(CHAPTERS),
            "Citation du rapport": rows["quote"].map(lambda q: f"« {q} »"),
            "Publié": [
                published_label(r.published_value, r.unit, r.qualifier, r.decimals, r.published_high)
                for r in rows.itertuples()
            ],
            "Recalculé ou autre mention": [recomputed_label(r) for r in rows.itertuples()],
            "Statut": rows["status"].map(STATUS_LABELS),
            "Calcul et explication": rows["explanation"],
        }
    )


def status_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Claims checked in both editions whose reconciliation status differs (by claim_id)."""
    both = previous[["claim_id", "quote", "status"]].merge(
        current[["claim_id", "status"]], on="claim_id", suffixes=("_previous", "")
    )
    return both[both["status_previous"] != both["status"]].reset_index(drop=True)
