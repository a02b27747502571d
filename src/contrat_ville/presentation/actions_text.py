"""The report's table of actions by commune as the book shows it: a commune × action matrix
whose cell says whether the action took place in the commune and, when the report gives
one, its quantity ("15 soirées"). The counts are contrat_ville.evaluation.actions."""

from __future__ import annotations

import pandas as pd

from contrat_ville.presentation import fmt

PRESENT = "oui"
ABSENT = "—"


def cell_text(quantity: object, unit: object) -> str:
    """`15 soirées` (`1 séance`) when a quantity is printed, else `oui` (listed without a number)."""
    if quantity is None or pd.isna(quantity):
        return PRESENT
    return fmt.by_unit(quantity, unit if isinstance(unit, str) else "", noun=True)


def commune_action_matrix(
    actions: pd.DataFrame,
    row: str = "commune_insee",
    column: str = "action_type",
    row_order: list | None = None,
    column_order: list | None = None,
) -> pd.DataFrame:
    """Communes as rows, action types as columns; each cell is `cell_text` of the action(s),
    ABSENT where the commune has no such action. Several actions of one type in one
    commune are joined with ' + ' (none in the 2018 table, but a later year may have some)."""
    texts = actions.assign(_text=[cell_text(q, u) for q, u in zip(actions["quantity"], actions["quantity_unit"])])
    joined = texts.groupby([row, column], sort=False)["_text"].agg(" + ".join)
    matrix = joined.unstack(column)
    rows = row_order or list(dict.fromkeys(actions[row]))
    columns = column_order or list(dict.fromkeys(actions[column]))
    matrix = matrix.reindex(index=rows, columns=columns).astype(object).where(lambda m: m.notna(), ABSENT)
    matrix.columns.name = None
    return matrix
