import pandas as pd

from contrat_ville.evaluation import claims


def test_status_changes_lists_only_claims_checked_in_both_editions_with_a_new_status():
    previous = pd.DataFrame(
        {"claim_id": ["a", "b", "c"], "quote": ["qa", "qb", "qc"], "status": ["verified", "contradicted", "verified"]}
    )
    current = pd.DataFrame(
        {
            "claim_id": ["a", "b", "d"],
            "quote": ["qa", "qb", "qd"],
            "status": ["contradicted", "contradicted", "verified"],
        }
    )
    changed = claims.status_changes(previous, current)
    assert changed.to_dict("records") == [
        {"claim_id": "a", "quote": "qa", "status_previous": "verified", "status": "contradicted"}
    ]
