"""Errors that name the file, row, column, value and rule, for people who edit CSVs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken rule in one cell (or one row, or the whole file when row is None)."""

    file: str
    rule: str
    line: int | None = None  # 1-based line in the CSV file, header is line 1
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value} — {self.rule}"


@dataclass
class DataValidationError(Exception):
    """Raised when raw data breaks its declared schema; nothing is written after it."""

    violations: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        shown = self.violations[:50]
        lines = [f"{len(self.violations)} data problem(s) found; nothing was written:"]
        lines += [f"  - {v}" for v in shown]
        if len(self.violations) > len(shown):
            lines.append(f"  ... and {len(self.violations) - len(shown)} more")
        return "\n".join(lines)
