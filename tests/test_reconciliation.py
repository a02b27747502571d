"""The reconciliation of the report's published figures on the shipped data: every claim
evaluates, its quote is in the report at its line, and its status is the one pinned in
tests/expected/reconciliation_status.csv (a data edit that flips a claim fails here until
the expectation is updated on purpose)."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from contrat_ville.data import raw
from contrat_ville.data.files import table_names
from contrat_ville.data.paths import RAW_DIR, RUN_PLAN
from contrat_ville.evaluation import claims, logs
from contrat_ville.run import pipeline

EXPECTED = Path(__file__).parent / "expected" / "reconciliation_status.csv"


@pytest.fixture(scope="module")
def tables():
    return raw.validate_all(RAW_DIR)


@pytest.fixture(scope="module")
def reconciliation(tables):
    return claims.reconcile(tables["report_claims"], tables)


def test_statuses_are_the_pinned_ones(reconciliation):
    expected = pd.read_csv(EXPECTED, dtype=str).set_index("claim_id")["status"]
    actual = reconciliation.set_index("claim_id")["status"]
    added, removed = sorted(set(actual.index) - set(expected.index)), sorted(set(expected.index) - set(actual.index))
    changed = {
        c: f"{expected[c]} -> {actual[c]}"
        for c in actual.index.intersection(expected.index)
        if actual[c] != expected[c]
    }
    assert not (added or removed or changed), (
        f"reconciliation statuses differ from {EXPECTED.name}: changed {changed}, new claims {added}, missing claims {removed}. "
        "If the change is intended, update the expected file in the same commit and say why."
    )


def test_the_report_has_well_over_ten_mismatches(reconciliation):
    counts = reconciliation["status"].value_counts()
    assert counts["mismatch"] > 10
    assert counts.sum() == len(reconciliation) and set(counts.index) <= set(claims.STATUSES)


def test_known_mismatches_are_found(reconciliation):
    status = reconciliation.set_index("claim_id")["status"]
    by_line = reconciliation.groupby("report_line")["status"].apply(set)
    assert "mismatch" in by_line[794]  # 4.265.462 € vs 4 341 174 € in the funders' table
    assert "mismatch" in by_line[11]  # State 36 % and Grand Chambéry 32 % of 10.8 M€
    assert "mismatch" in by_line[162]  # 104 vs 108 dwellings
    assert (
        status[reconciliation.query("report_line == 99 and qualifier == 'range'")["claim_id"].iloc[0]] == "ok"
    )  # 1,4 à 1,5 fois


def test_every_quote_is_in_the_report_at_its_line(tables, seed_lines):
    for claim in tables["report_claims"].itertuples():
        window = [
            seed_lines[i - 1].replace("**", "") for i in range(max(1, claim.report_line - 3), claim.report_line + 1)
        ]
        for segment in claim.quote.split(" … "):
            assert any(segment in line for line in window), (
                f"{claim.claim_id}: {segment!r} not at line {claim.report_line}"
            )
        words = [w for w in claim.quote.split() if w != "…"]
        assert len(words) <= 15, f"{claim.claim_id}: quotes are limited to 15 words ({len(words)})"


def test_claims_cite_known_assumptions_and_raw_tables(tables, reconciliation):
    log = logs.assumptions_log(tables["assumptions"], reconciliation)
    assert set(log["assumption_id"]) == set(tables["assumptions"]["assumption_id"])
    assert set(claims.referenced_tables(tables["report_claims"])) <= set(tables)


def test_hours_per_fte_assumption_reconciles_the_published_fte(reconciliation, tables):
    fte = reconciliation[reconciliation["operands"].str.contains("assumptions[h-01]", regex=False)]
    assert list(fte["status"]) == ["ok"]
    assert tables["assumptions"].set_index("assumption_id").loc["h-01", "value"] == 1820


def test_controle_declares_every_raw_table():
    # The audit chapter reads every raw table (claims and data log); the run plan must declare them all.
    plan = yaml.safe_load(RUN_PLAN.read_text(encoding="utf-8"))
    entry = next(e for e in plan["notebooks"] if e["id"] == "controle")
    declared = set(pipeline.entry_inputs(entry, table_names(RAW_DIR)))
    missing = set(table_names(RAW_DIR)) - declared
    assert not missing, f"add {sorted(missing)} to the inputs of 'controle' in runplan.yaml"


def test_data_log_lists_every_source_with_its_tables(tables):
    log = logs.data_log(tables["sources"], tables.metas).set_index("source_id")
    assert set(log.index) == set(tables["sources"]["source_id"])
    assert "identity_card" in log.loc["insee-filosofi", "raw_tables"]
    assert log.loc["rapport-annuel-2018", "n_raw_tables"] >= 15
