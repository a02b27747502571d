"""The study's logs in the RAP manner: the data log (every source, its vintage, quality
rating and the raw tables that use it) and the assumptions log (every assumption with its
impact and the reconciliation claims that rely on it). Both are built from data/raw."""

from __future__ import annotations

import pandas as pd

SELF_DESCRIBING = {"sources"}  # the data log itself lists every source; it does not "use" them
IMPACT_ORDER = {"fort": 0, "moyen": 1, "faible": 2}


def tables_by_source(metas: dict[str, dict]) -> dict[str, list[str]]:
    """source_id → raw tables whose sidecar declares it, sorted."""
    found: dict[str, set[str]] = {}
    for name, meta in metas.items():
        if name in SELF_DESCRIBING:
            continue
        for source_id in meta.get("source_ids") or []:
            found.setdefault(source_id, set()).add(name)
    return {k: sorted(v) for k, v in found.items()}


def data_log(sources: pd.DataFrame, metas: dict[str, dict]) -> pd.DataFrame:
    """One row per source of sources.csv with the raw tables using it (possibly none)."""
    users = tables_by_source(metas)
    unknown = sorted(set(users) - set(sources["source_id"]))
    if unknown:
        raise ValueError(f"sidecars cite sources missing from sources.csv: {unknown}")
    log = sources[["source_id", "producer", "title", "vintage_fr", "quality_rating", "quality_note_fr"]].copy()
    log["raw_tables"] = [" ; ".join(users.get(s, [])) for s in log["source_id"]]
    log["n_raw_tables"] = [len(users.get(s, [])) for s in log["source_id"]]
    return log.sort_values(["quality_rating", "source_id"]).reset_index(drop=True)


def assumptions_log(assumptions: pd.DataFrame, reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Assumptions ordered by impact, each with the claims that cite it and their statuses."""
    cited: dict[str, list[str]] = {}
    for row in reconciliation.itertuples():
        for assumption in filter(None, (a.strip() for a in str(row.assumption_ids or "").split(";"))):
            cited.setdefault(assumption, []).append(row.claim_id)
    unknown = sorted(set(cited) - set(assumptions["assumption_id"]))
    if unknown:
        raise ValueError(f"claims cite assumptions missing from assumptions.csv: {unknown}")
    status = reconciliation.set_index("claim_id")["status"]
    log = assumptions.copy()
    log["claim_ids"] = [" ; ".join(sorted(cited.get(a, []))) for a in log["assumption_id"]]
    log["n_claims"] = [len(cited.get(a, [])) for a in log["assumption_id"]]
    log["n_mismatches_relying"] = [
        sum(status[c] == "contradicted" for c in cited.get(a, [])) for a in log["assumption_id"]
    ]
    rank = log["impact"].map(IMPACT_ORDER)
    return log.assign(_rank=rank).sort_values(["_rank", "assumption_id"]).drop(columns="_rank").reset_index(drop=True)
