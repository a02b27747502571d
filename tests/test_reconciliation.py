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
from contrat_ville.presentation import reconciliation as audit_text
from contrat_ville.run import pipeline

EXPECTED = Path(__file__).parent / "expected" / "reconciliation_status.csv"


@pytest.fixture(scope="module")
def tables():
    return raw.validate_all(RAW_DIR)


@pytest.fixture(scope="module")
def reconciliation(tables):
    return audit_text.reconciliation_table(tables["report_claims"], tables)


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


def test_every_status_change_is_pinned_with_its_reason():
    expected = pd.read_csv(EXPECTED, dtype=str, keep_default_na=False)
    same = {"ok": "verified", "mismatch": "contradicted", "not_recomputable": "not_recomputable", "": None}
    changed = expected[[same[p] != s for p, s in zip(expected["previous_status"], expected["status"])]]
    assert len(changed) > 0 and (changed["change_reason"].str.len() > 20).all(), "a status change needs its reason"
    unchanged = expected.drop(changed.index)
    assert (unchanged["change_reason"] == "").all()
    assert set(expected["status"]) <= set(claims.STATUSES)


def test_the_report_has_well_over_ten_contradictions(reconciliation):
    counts = reconciliation["status"].value_counts()
    assert counts["contradicted"] > 10
    assert counts.sum() == len(reconciliation) and set(counts.index) <= set(claims.STATUSES)
    assert reconciliation["explanation"].str.len().min() > 10 and reconciliation["status_reason"].notna().all()


def test_known_contradictions_are_found(reconciliation):
    status = reconciliation.set_index("claim_id")["status"]
    by_line = reconciliation.groupby("report_line")["status"].apply(set)
    assert "contradicted" in by_line[794]  # 4.265.462 € vs 4 341 174 € in the funders' table
    assert "contradicted" in by_line[11]  # State 36 % and Grand Chambéry 32 % of 10.8 M€
    assert "contradicted" in by_line[162]  # 104 vs 108 dwellings
    assert "contradicted" in by_line[269]  # the cœur de cité calendar starts before the Bellevue signature
    range_claim = reconciliation.query("report_line == 99 and qualifier == 'range'")["claim_id"].iloc[0]
    assert status[range_claim] == "verified"  # 1,4 à 1,5 fois


def test_the_rows_of_issue_14_are_re_ruled(reconciliation):
    table = reconciliation.set_index("claim_id")
    status, reason = table["status"], table["status_reason"]
    assert status["cl-013"] == "not_recomputable"  # the 9 QVA are the study's list
    assert reason["cl-026"] == "source_rounding"  # 83 vs 84 with overlapping rounding bounds
    assert reason["cl-064"] == reason["cl-080"] == "different_measure"
    assert reason["cl-046"] == "different_unit"  # TTC repeats the HT gap of cl-045
    assert status["cl-045"] == "contradicted"
    assert reason["cl-009"] == "different_period"
    assert reason["cl-001"] == reason["cl-008"] == "bound_only"
    assert reason["cl-006"] == "granularity_vacuous"
    for claim_id in ("cl-011", "cl-076", "cl-077"):
        assert (
            status[claim_id] == "consistent_under_assumption" and "h-12" in table.loc[claim_id, "deciding_assumptions"]
        )
    assert table.loc["cl-056", "deciding_assumptions"] == "h-01"
    assert reason["cl-030"] == "vague_interval"  # environ 1 M€: ± 50 %
    assert status["cl-029"] == "contradicted" and table.loc["cl-029", "recomputed_value"] == pytest.approx(4.23301)
    assert not (table["status"].eq("verified") & table["deciding_assumptions"].ne("")).any()


def test_qva_share_points_to_all_interventions(tables):
    figures = tables["key_figures"].set_index("figure_id")
    # h-12: the 22 % is a share of the 8 871 interventions, like its restatement at line 677
    assert figures.loc["kf-025", "share_of_figure_id"] == "kf-022"
    assert figures.loc["kf-190", "share_of_figure_id"] == "kf-188"
    assert figures.loc["kf-188", "duplicate_of"] == "kf-022"


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


def test_hours_per_fte_assumption_never_verifies_the_published_fte(reconciliation, tables):
    fte = reconciliation[reconciliation["operands"].str.contains("assumptions[h-01]", regex=False)]
    assert list(fte["status"]) == ["consistent_under_assumption"]  # 1 820 h was chosen because it fits
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
