"""Issue 11 item 3 / issue 16 item 1: a raw table is a value, its sidecar beside the frame.

Kept in `DataFrame.attrs`, the sidecar was deep-copied by pandas into every derived frame
(key_figures.indicator_table: 23.2 s instead of 4.4 s)."""

from __future__ import annotations

from contrat_ville.data import raw
from contrat_ville.data.files import read_meta
from contrat_ville.data.paths import RAW_DIR
from contrat_ville.notebook.chapter import Chapter


def test_load_table_gives_the_frame_and_its_sidecar_side_by_side():
    table = raw.load_table("identity_card", RAW_DIR)
    assert table.name == "identity_card" and table.path == RAW_DIR / "identity_card.csv"
    assert table.meta == read_meta("identity_card", RAW_DIR)
    assert table.frame.attrs == {}
    assert raw.load("identity_card", RAW_DIR).equals(table.frame)


def test_frames_carry_no_attrs_so_derived_frames_copy_nothing():
    frame = raw.load("key_figures", RAW_DIR)
    derived = frame[frame["value"] > 1].merge(frame[["figure_id"]], on="figure_id").groupby("chapter").sum()
    assert frame.attrs == {} and derived.attrs == {}


def test_each_load_is_a_fresh_copy():
    first = raw.load_table("identity_card", RAW_DIR)
    first.frame.loc[0, "value"] = -1
    assert raw.load("identity_card", RAW_DIR).loc[0, "value"] != -1


def test_validate_all_gives_every_frame_with_its_sidecar():
    tables = raw.validate_all(RAW_DIR)
    assert set(tables.metas) == set(tables)
    for name, frame in tables.items():
        assert frame.attrs == {}
        assert tables.meta(name) == read_meta(name, RAW_DIR)


def test_a_chapter_keeps_the_sidecars_of_what_it_loaded(tmp_path):
    chapter = Chapter("test", 2018, 2015, RAW_DIR, tmp_path)
    card = chapter.load("identity_card", edition=2018)
    assert card.attrs == {} and chapter.meta("identity_card")["schema"]["primaryKey"]
    everything = chapter.load_all()
    assert set(everything.metas) == set(everything) and everything.metas["sources"] == read_meta("sources", RAW_DIR)
