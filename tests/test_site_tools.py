"""contrat_ville.publish.site on a small synthetic site (made here, not the real book)."""

import urllib.request

from contrat_ville.publish import site


def make_site(root):
    (root / "chapters").mkdir(parents=True)
    (root / "_static").mkdir()
    (root / "_static" / "style.css").write_text("body{}")
    (root / "_static" / "macros.html").write_text("<p>template, not a page</p>")
    (root / "index.html").write_text(
        '<html lang="fr"><head><link rel="stylesheet" href="_static/style.css"><link rel="next" href="chapters/a.html">'
        '<link rel="canonical" href="https://example.org/"></head><body>'
        '<a href="chapters/a.html#part">a</a><a href="https://example.org/x">external link</a><a href="mailto:x@y.z">mail</a>'
        '<img src="data:image/png;base64,AAAA" alt="x"></body></html>'
    )
    (root / "chapters" / "a.html").write_text(
        '<html><head><link rel="prev" href="../index.html"><link rel="next" href="b.html"></head><body>'
        '<h2 id="part">Part</h2><a href="#part">self</a><a href="../index.html">home</a></body></html>'
    )
    (root / "chapters" / "b.html").write_text(
        '<html><head><link rel="prev" href="a.html"></head><body><a href="a.html#nowhere">bad anchor</a>'
        '<img src="../_images/missing.png" alt="y"><a href="../data%20file.csv">csv</a></body></html>'
    )
    (root / "data file.csv").write_text("a,b\n1,2\n")
    return root


def test_html_pages_skip_assets(tmp_path):
    assert site.html_pages(make_site(tmp_path)) == ["chapters/a.html", "chapters/b.html", "index.html"]


def test_reading_order_follows_next_links(tmp_path):
    assert site.reading_order(make_site(tmp_path)) == ["index.html", "chapters/a.html", "chapters/b.html"]


def test_broken_links_reports_missing_files_and_anchors(tmp_path):
    problems = site.broken_links(make_site(tmp_path))
    assert len(problems) == 2
    assert any("missing file _images/missing.png" in p for p in problems)
    assert any("no id 'nowhere'" in p for p in problems)


def test_resolve_and_external():
    assert site.resolve("chapters/a.html", "../x.csv#top") == ("x.csv", "top")
    assert site.resolve("index.html", "#") == ("index.html", "")
    assert site.resolve("index.html", "") is None  # the page itself
    assert site.resolve("index.html", "https://cdn.example/x.js") is None
    assert site.resolve("index.html", "data:image/png;base64,AA") is None
    assert site.is_external("//cdn.example/x.js") and site.is_external("https://x.org")
    assert not site.is_external("_static/x.js") and not site.is_external("data:,")


def test_external_resources_lists_loads_not_links():
    page = (
        '<script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="//fonts.example/f.css">'
        '<link rel="canonical" href="https://example.org/"><a href="https://example.org/">a link</a>'
        '<img src="data:image/png;base64,AA" alt=""><img src="https://img.example/i.png" alt="">'
    )
    assert site.external_resources(page) == [
        "https://cdn.example/a.js",
        "//fonts.example/f.css",
        "https://img.example/i.png",
    ]


def test_visible_text_skips_code_english_and_provenance():
    page = (
        '<p>Texte <code>x = 1.5</code> suivi</p><pre>41.4</pre><dd lang="en">16.6 % of the city</dd>'
        '<details class="cv-provenance"><p>pandas 3.1.1</p></details><div><br><p>fin <b>9 848</b></p></div>'
    )
    text = site.visible_text(page)
    assert "Texte" in text and "suivi" in text and "9 848" in text and "fin" in text
    assert "1.5" not in text and "41.4" not in text and "16.6" not in text and "3.1.1" not in text


def test_serve_is_on_loopback(tmp_path):
    make_site(tmp_path)
    with site.serve(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "index.html", timeout=5) as response:
            assert b'lang="fr"' in response.read()
