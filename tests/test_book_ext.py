"""contrat_ville.publish.book_ext: the datasets catalogue is built from sidecars (synthetic ones
here, labelled as such), and pages lose their CDN scripts and English labels."""

import re
import shutil

import yaml

from contrat_ville.data.paths import RAW_DIR
from contrat_ville.publish import book_ext


def write_table(folder, name, meta, rows=3):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text("a,b\n" + "".join(f"{i},x\n" for i in range(rows)) + "\n", encoding="utf-8")
    (folder / f"{name}.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


def test_count_rows_ignores_header_and_blank_lines(tmp_path):
    write_table(tmp_path, "t", {"title": "T"}, rows=4)
    assert book_ext.count_rows(tmp_path / "t.csv") == 4


def test_raw_datasets_read_every_sidecar_of_the_project():
    records = book_ext.raw_datasets(RAW_DIR)
    assert len(records) == len(list(RAW_DIR.glob("*.csv")))
    card = next(r for r in records if r["name"] == "identity_card")
    assert card["title"] == "Carte d'identité des quartiers" and card["rows"] == 25
    assert card["producer"] and card["vintage"] and card["licence"] and card["description"]


def test_catalogue_html_from_synthetic_sidecars(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "static" / "2018"
    write_table(
        raw,
        "zeta",
        {
            "title": "Écoles (synthétique)",
            "description": "synthetic <b>test</b> table",
            "producer": "test",
            "vintage": "2018",
            "licence": "test licence",
        },
        rows=2,
    )
    write_table(
        raw,
        "alpha",
        {"title": "Zones (synthétique)", "description": "synthetic", "producer": "test", "vintage": "2015"},
        rows=1,
    )
    write_table(
        processed,
        "out",
        {
            "title": "Résultat (synthétique)",
            "description": "synthetic output",
            "produced_by": "notebooks/demo.ipynb",
            "inputs": [{"file": "data/raw/zeta.csv"}],
            "rows": 7,
        },
    )
    raw_html = book_ext.raw_catalogue_html(book_ext.raw_datasets(raw), "../")
    assert raw_html.index("Écoles") < raw_html.index("Zones")  # accents ignored in the order
    assert "&lt;b&gt;test&lt;/b&gt;" in raw_html  # metadata is escaped
    assert (
        'href="../_static/data/raw/zeta.csv"' in raw_html
        and "2 lignes" in raw_html
        and re.search(r"\b1 ligne\b(?!s)", raw_html)
    )
    assert '<dt>Licence</dt><dd lang="en">ND</dd>' in raw_html  # missing licence shows as ND
    records = book_ext.processed_datasets(processed)
    assert records[0]["edition"] == "2018" and records[0]["inputs"] == ["zeta"]
    out = book_ext.processed_catalogue_html(
        records, "", {"notebooks/demo.ipynb": "_sources/chapters/demo.ipynb"}, {"zeta": "Écoles (synthétique)"}
    )
    assert 'href="_static/data/2018/out.csv"' in out and 'href="_sources/chapters/demo.ipynb"' in out
    assert 'href="#brut-zeta"' in out and "7 lignes" in out
    assert book_ext.editions(tmp_path / "static") == ["2018"]


def test_copy_raw_data(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("README.md"))
    copied = book_ext.copy_raw_data(raw, tmp_path / "site")
    assert {p.name for p in copied} == {p.name for p in raw.iterdir()}
    assert (tmp_path / "site" / book_ext.RAW_SITE_DIR / "identity_card.csv").read_bytes() == (
        raw / "identity_card.csv"
    ).read_bytes()


def test_clean_body_drops_thebe_config_and_english_label():
    body = (
        '<details class="hide"><summary aria-label="Toggle hidden content"><p>Afficher le code</p></summary></details>'
        '\n    <script type="text/x-thebe-config">\n {requestKernel: true}\n </script>'
    )
    cleaned = book_ext.clean_body(body)
    assert "Toggle" not in cleaned and "thebe" not in cleaned and "<summary>" in cleaned


def test_thebe_assets_are_recognised():
    class Asset(str):
        def __new__(cls, filename, **attributes):
            obj = super().__new__(cls, filename or "")
            obj.filename, obj.attributes = filename, attributes
            return obj

    assert book_ext._is_thebe(Asset("sphinx-thebe.js"))
    assert book_ext._is_thebe(Asset(None, body='const THEBE_JS_URL = "https://cdn.example/thebe.js"'))
    assert not book_ext._is_thebe(Asset("togglebutton.js"))
    assert re.match(r"brut-", book_ext.raw_anchor("x"))


def test_french_spacing():
    nbsp, narrow = book_ext.NBSP, book_ext.NARROW_NBSP
    assert book_ext.french_spacing("Source : INSEE ; « ND » 41,4 % et 13 397 € ou 10 k€") == (
        f"Source{nbsp}: INSEE{narrow}; «{nbsp}ND{nbsp}» 41,4{narrow}% et 13 397{narrow}€ ou 10{narrow}k€"
    )
    assert book_ext.french_spacing("http://x a:b ratio 1:2") == "http://x a:b ratio 1:2"


def test_french_spacing_html_leaves_tags_and_code():
    markup = '<p title="a : b">Note : x</p><code>x = a ; b</code><pre>y :\n z</pre><td>41,4 %</td>'
    spaced = book_ext.french_spacing_html(markup)
    assert 'title="a : b"' in spaced and "<code>x = a ; b</code>" in spaced and "<pre>y :\n z</pre>" in spaced
    assert f"Note{book_ext.NBSP}: x" in spaced and f"41,4{book_ext.NARROW_NBSP}%" in spaced


def test_sidebar_toggles_get_a_french_accessible_name():
    from bs4 import BeautifulSoup

    from contrat_ville.publish.book_ext import label_toctree_toggles

    soup = BeautifulSoup(
        '<ul><li class="has-children"><a href="fiches/index.html">Fiches quartiers</a><details><summary>'
        '<span class="toctree-toggle" role="presentation"><i></i></span></summary><ul></ul></details></li>'
        "<li><details><summary>Texte visible</summary></details></li></ul>",
        "html.parser",
    )
    labelled = label_toctree_toggles(soup)
    summaries = labelled.find_all("summary")
    assert summaries[0]["aria-label"] == "Afficher ou masquer les pages de la section «\u00a0Fiches quartiers\u00a0»"
    assert not summaries[1].get("aria-label")
    assert label_toctree_toggles("") == ""


def test_no_break_space_before_a_percent_sign_that_follows_a_pasted_value():
    assert book_ext.french_spacing(" % par an") == "\u202f% par an"
    assert book_ext.french_spacing("soit 41,4 % des habitants") == "soit 41,4\u202f% des habitants"
    assert book_ext.french_spacing("x %") == "x %"


def test_the_search_index_is_stemmed_by_the_c_snowball_stemmer():
    """pyproject.toml installs PyStemmer, which snowballstemmer (Sphinx's stemmer) then uses:
    the same French stems as its pure-Python one, about 100 times faster."""
    import snowballstemmer
    import Stemmer

    french = snowballstemmer.stemmer("french")
    assert isinstance(french, Stemmer.Stemmer)
    assert french.stemWords(["quartiers", "prioritaires", "pauvreté"]) == ["quarti", "prioritair", "pauvret"]


def test_words_no_page_holds_any_more_leave_the_search_index():
    """An incremental build takes the pages it writes again out of the reloaded index: a word only
    they held is dropped, as a clean build would never have had it; the others keep their pages."""
    from types import SimpleNamespace

    indexer = SimpleNamespace(
        _mapping={"gone": {"a"}, "kept": {"a", "b"}}, _title_mapping={"titre": {"a"}, "autre": {"b"}}
    )

    def load_indexer(docnames):  # Sphinx's: reload the index, then prune the pages written again
        for words in (indexer._mapping, indexer._title_mapping):
            for pages in words.values():
                pages.difference_update(docnames)

    builder = SimpleNamespace(indexer=indexer, load_indexer=load_indexer)
    book_ext.drop_emptied_search_terms(builder)
    builder.load_indexer({"a"})
    assert indexer._mapping == {"kept": {"b"}} and indexer._title_mapping == {"autre": {"b"}}


class CountingHighlighter:
    """A stand-in for Sphinx's PygmentsBridge that counts its calls; "bad" blocks warn."""

    def __init__(self):
        self.calls = 0

    def highlight_block(self, source, lang, opts=None, force=False, location=None, **kwargs):
        from sphinx.util import logging as sphinx_logging

        self.calls += 1
        if source == "bad":
            sphinx_logging.getLogger("sphinx.highlighting").warning("could not lex %r", source)
        return f"<pre>{lang}:{source}:{sorted(kwargs.items())}</pre>"


def test_a_block_is_coloured_once_then_remembered():
    highlighter = CountingHighlighter()
    book_ext.memoise_highlighting(highlighter)
    first = highlighter.highlight_block("x = 1", "ipython3", opts={}, linenos=False, force=False)
    again = highlighter.highlight_block("x = 1", "ipython3", opts={}, linenos=False, force=False, location="p2")
    assert first == again and highlighter.calls == 1
    # another source, language or option is another block
    highlighter.highlight_block("x = 2", "ipython3", opts={}, linenos=False)
    highlighter.highlight_block("x = 1", "python", opts={}, linenos=False)
    highlighter.highlight_block("x = 1", "ipython3", opts={}, linenos=True)
    highlighter.highlight_block("x = 1", "ipython3", opts={"stripnl": False}, linenos=False)
    assert highlighter.calls == 5


def test_a_block_whose_colouring_warned_warns_each_time():
    highlighter = CountingHighlighter()
    book_ext.memoise_highlighting(highlighter)
    for _ in range(3):
        highlighter.highlight_block("bad", "python")
    assert highlighter.calls == 3


def test_remembered_colouring_is_pygments_own():
    from sphinx.highlighting import PygmentsBridge

    source = "import pandas as pd\nshare = 41.4  # %\nprint(f'{share} %')\n"
    plain, memoised = PygmentsBridge("html"), PygmentsBridge("html")
    book_ext.memoise_highlighting(memoised)
    expected = plain.highlight_block(source, "ipython3", opts={}, linenos=False, force=False)
    assert memoised.highlight_block(source, "ipython3", opts={}, linenos=False, force=False) == expected
    assert memoised.highlight_block(source, "ipython3", opts={}, linenos=False, force=False) == expected
