"""One language to address rows of the raw tables, read by the scorecard's locators
(indicators.csv `data`, `reference`, `published_change`) and by the audit's operands
(report_claims.csv `numerator`, `denominator`).

An address:

    [weight*]table[selector][.column[:high_column]][@year_column][±tolerance]

- `selector`: `*` or nothing for every row; otherwise parts separated by `;` or `,`, each
  either a filter `column=value|value` (the rows whose column is one of the values) or a
  positional value of the table's primary key (`edition` left out), matched in key order:
  `identity_card[qpv-hauts-de-chambery,population]`,
  `annual_series[series_id=plie_participants;territory_id=200069110]`;
- `.column`: the value column (default `value`), `:high_column` the high end of a range;
- `@year_column`: the column giving the year of each value, `@-` for none (the scorecard
  reads `year` when it is not given);
- `weight*` multiplies the value (`1e6*financing_2015_2018_totals[total-engaged-summary]`);
- `±tolerance` declares the raw value itself rounded (true value within ±tolerance).

Where several values are added or listed (the audit's operands), addresses and plain numbers
are joined by ` + ` into a sum, and sums separated by `;` give several values (one ratio per
quartier for a published range): `100 + -1*key_figures[kf-023]±0.5 ; t[a=b|c]` (parse_groups).

Which editions an address reads is the caller's choice (`select`): the audit checks the rows
of its own edition, the scorecard every edition up to the run's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

SYNTAX = "[weight*]table[selector][.column[:high_column]][@year_column][±tolerance]"
_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_ADDRESS = re.compile(
    rf"^(?:(?P<weight>{_NUMBER})\*)?(?P<table>[a-z0-9_]+)\[(?P<selector>[^\]]*)\]"
    r"(?:\.(?P<column>[a-z0-9_]+)(?::(?P<high>[a-z0-9_]+))?)?"
    r"(?:@(?P<year>[a-z0-9_]+|-))?"
    r"(?:±(?P<tolerance>\d+(?:\.\d+)?))?$"
)
NO_YEAR = "-"  # `@-`: the table gives no year


class AddressError(ValueError):
    """An address that cannot be read, or that names a table or column that is not there."""


@dataclass(frozen=True)
class Address:
    """Rows of one raw table and the column to read in them."""

    table: str | None  # None for a plain number (constant)
    selector: str = "*"  # as written, for traces and messages
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keys: tuple[str, ...] = ()  # positional primary-key values
    column: str = "value"
    high_column: str | None = None
    year_column: str | None = None  # None: not given; NO_YEAR: none
    weight: float = 1.0
    tolerance: float = 0.0
    constant: float | None = None  # a plain number in a sum

    @property
    def every_row(self) -> bool:
        return not self.filters and not self.keys

    @property
    def reference(self) -> str:
        """`table[selector]` and the column when it is not `value` (how messages name it)."""
        if self.constant is not None:
            return f"{self.constant:g}"
        return f"{self.table}[{self.selector}]" + (f".{self.column}" if self.column != "value" else "")


def parse(text: str) -> Address:
    """`table[...]...` → Address; AddressError says what is expected."""
    raw = (text or "").strip()
    match = _ADDRESS.match(raw)
    if not match:
        raise AddressError(f"cannot read the address {raw!r}; expected {SYNTAX}")
    selector = match["selector"].strip() or "*"
    filters, keys = [], []
    if selector != "*":
        for part in filter(None, (p.strip() for p in re.split(r"[;,]", selector))):
            if "=" in part:
                column, values = part.split("=", 1)
                filters.append((column.strip(), tuple(v.strip() for v in values.split("|"))))
            else:
                keys.append(part)
    return Address(
        table=match["table"],
        selector=selector,
        filters=tuple(filters),
        keys=tuple(keys),
        column=match["column"] or "value",
        high_column=match["high"],
        year_column=match["year"],
        weight=float(match["weight"] or 1),
        tolerance=float(match["tolerance"] or 0),
    )


def parse_groups(text: object) -> list[list[Address]]:
    """`a + 2*b ; c` → [[a, 2*b], [c]] (a plain number is a constant); empty text → []."""
    if text is None or pd.isna(text) or not str(text).strip():
        return []
    groups = []
    for group in re.split(r";(?![^\[]*\])", str(text)):  # the `;` inside a selector separates filters
        terms = []
        for raw in re.split(r"\s+\+\s+", group.strip()):
            raw = raw.strip()
            terms.append(Address(None, constant=float(raw)) if re.fullmatch(_NUMBER, raw) else parse(raw))
        groups.append(terms)
    return groups


def tables_of(texts: Iterable[object]) -> list[str]:
    """The raw tables that the addresses of `texts` name (any cell parse_groups reads), sorted."""
    return sorted({a.table for text in texts for group in parse_groups(text) for a in group if a.table})


def primary_key(tables: dict[str, pd.DataFrame], name: str) -> list[str]:
    """The declared primary key of raw table `name`, from its sidecar (`raw.Tables.metas`)."""
    meta = getattr(tables, "metas", {}).get(name) or {}
    return list(meta.get("schema", {}).get("primaryKey", []))


def select(
    frame: pd.DataFrame,
    address: Address,
    key: list[str] | None = None,
    edition: int | None = None,
    up_to_edition: bool = False,
) -> pd.DataFrame:
    """The rows of `frame` (the raw table `address.table`) that the address selects.
    `key`: the table's primary key, against which positional values are matched. With
    `edition`, only the rows of that edition (`up_to_edition`: of that edition and before)."""
    rows = frame
    if edition is not None and "edition" in rows.columns:
        rows = rows[rows["edition"] <= edition] if up_to_edition else rows[rows["edition"] == edition]
    if address.every_row:
        return rows
    key = [k for k in (key or []) if k != "edition"]
    if len(address.keys) > len(key):
        raise AddressError(
            f"{address.table}[{address.selector}] gives {len(address.keys)} key values; the key of "
            f"{address.table}.csv is {key} (a filter is written column=value)"
        )
    mask = pd.Series(True, index=rows.index)
    for column, value in zip(key, address.keys):
        mask &= rows[column].astype("string") == value
    for column, values in address.filters:
        if column not in rows.columns:
            raise AddressError(f"{address.table}[{address.selector}]: {address.table}.csv has no column {column!r}")
        mask &= rows[column].astype("string").isin(values)
    return rows[mask]
