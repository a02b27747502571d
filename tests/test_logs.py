"""Data log and assumptions log (contrat_ville.evaluation.logs) on synthetic tables."""

import pandas as pd
import pytest

from contrat_ville.evaluation import logs


def sources():
    return pd.DataFrame(
        {
            "source_id": ["a", "b", "c"],
            "producer": ["P"] * 3,
            "title": ["T"] * 3,
            "vintage_fr": ["2015"] * 3,
            "quality_rating": ["B", "A", "C"],
            "quality_note_fr": ["n"] * 3,
        }
    )


def test_data_log_lists_tables_per_source_and_keeps_unused_sources():
    metas = {"t1": {"source_ids": ["a", "b"]}, "t2": {"source_ids": ["b"]}, "sources": {"source_ids": ["a", "b", "c"]}}
    log = logs.data_log(sources(), metas).set_index("source_id")
    assert log.loc["b", "raw_tables"] == "t1 ; t2" and log.loc["b", "n_raw_tables"] == 2
    assert log.loc["c", "raw_tables"] == "" and log.loc["c", "n_raw_tables"] == 0  # the log itself does not count
    assert list(log.index) == ["b", "a", "c"]  # by quality rating


def test_data_log_refuses_undeclared_sources():
    with pytest.raises(ValueError, match="zz"):
        logs.data_log(sources(), {"t1": {"source_ids": ["zz"]}})


def test_assumptions_log_links_claims_and_orders_by_impact():
    assumptions = pd.DataFrame({"assumption_id": ["h-01", "h-02", "h-03"], "impact": ["faible", "fort", "moyen"]})
    reconciliation = pd.DataFrame(
        {
            "claim_id": ["cl-1", "cl-2", "cl-3"],
            "status": ["verified", "contradicted", "verified"],
            "assumption_ids": ["h-01 ; h-02", "h-02", ""],
        }
    )
    log = logs.assumptions_log(assumptions, reconciliation)
    assert list(log["assumption_id"]) == ["h-02", "h-03", "h-01"]
    row = log.set_index("assumption_id").loc["h-02"]
    assert row["claim_ids"] == "cl-1 ; cl-2" and row["n_claims"] == 2 and row["n_mismatches_relying"] == 1
    with pytest.raises(ValueError, match="h-09"):
        logs.assumptions_log(assumptions, reconciliation.assign(assumption_ids=["h-09", "", ""]))
