"""The book's sidebar at any number of territories: the fiches are not listed on every page.

pydata-sphinx-theme draws the sidebar of each page from Sphinx's global table of contents
(`toctree()` in the page context), then reworks it with BeautifulSoup. With one fiche per
territory in that table, every page carried one link per fiche: n pages times n links, a
write phase that grows as the square of the number of territories (profile and figures in
README.md, "A national run").

Here the sidebar of every page lists the sections named in `cv_nav_collapsed`
(`book/_config.yml`: the fiches index) without their pages, except the page being read: on
a fiche, its section shows that one fiche, open and marked current. Every fiche stays
reachable: the fiches index lists them all, and the previous/next links walk through them.
The table of contents itself is unchanged (same pages, same order, same prev/next links);
only what the sidebar draws is cut, so the size of a page no longer depends on the number of
territories. Nothing is mutated: the sidebar is resolved against a view of the environment
in which the collapsed sections' toctrees hold the current page only.

Resolving that sidebar copies the whole table of contents (Sphinx copies before it prunes):
about 40 ms a page, most of a fiche's write time at a national scale. The pages of a
collapsed section in one folder get the same sidebar but for the current page's title, so
the sidebar resolved for the first of them is reused for the next ones, with its title
swapped (`reused_sidebar`), whenever their tables of contents have the same shape; any
other page is resolved as before. tests/test_navigation.py checks that every page comes
out byte-identical with and without the reuse (`cv_nav_reuse`)."""

from __future__ import annotations

import posixpath
from collections import ChainMap
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.adapters.toctree import global_toctree_for_doc

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def pruned_toc(toc: nodes.Node, keep: str | None) -> nodes.Node:
    """A copy of a section page's table of contents whose toctrees list only `keep` (the
    page being read, when it is one of theirs), or nothing."""
    copy = toc.deepcopy()
    for toctree in list(copy.findall(addnodes.toctree)):
        toctree["entries"] = [(title, ref) for title, ref in toctree["entries"] if ref == keep]
        toctree["includefiles"] = [ref for ref in toctree.get("includefiles", []) if ref == keep]
        if not toctree["entries"]:
            # gone, not empty: an empty toctree would still leave an empty list, and the theme
            # would draw a chevron opening nothing
            parent = toctree.parent
            parent.remove(toctree)
            if isinstance(parent, nodes.bullet_list) and not parent.children and parent.parent is not None:
                parent.parent.remove(parent)
    return copy


class _SidebarEnv:
    """The build environment as the sidebar sees it: every attribute is the real one, but
    `tocs` answers the collapsed sections with their pruned tables of contents."""

    def __init__(self, env: BuildEnvironment, tocs: dict[str, nodes.Node]):
        self._env = env
        self.tocs = ChainMap(tocs, env.tocs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)


def members(env: BuildEnvironment, section: str, cache: dict) -> set[str]:
    """The pages that a collapsed section's toctrees include (found once per process)."""
    if ("members", section) not in cache:
        cache["members", section] = set(env.toctree_includes.get(section, ()))
    return cache["members", section]


def collapsed_tocs(env: BuildEnvironment, sections: list[str], pagename: str, cache: dict) -> dict[str, nodes.Node]:
    """The pruned table of contents of each collapsed section, for the page `pagename`; the
    version without any page (every page outside the section) is made once per process."""
    tocs = {}
    for section in sections:
        if section not in env.tocs:
            continue
        if pagename in members(env, section, cache):
            tocs[section] = pruned_toc(env.tocs[section], pagename)
        else:
            if section not in cache:
                cache[section] = pruned_toc(env.tocs[section], None)
            tocs[section] = cache[section]
    return tocs


def top_reference(tree: nodes.Node, refuri: str) -> nodes.reference | None:
    """The link of a table of contents to its page itself (no anchor), if there is one."""
    return next((r for r in tree.findall(nodes.reference) if r["refuri"] == refuri and not r["anchorname"]), None)


def toc_shape(env: BuildEnvironment, docname: str) -> str | None:
    """A page's table of contents with its own name and title taken out: two pages of one
    folder and section with the same shape get the same sidebar but for that title."""
    toc = env.tocs.get(docname)
    if toc is None or top_reference(toc, docname) is None:
        return None
    copy = toc.deepcopy()
    top_reference(copy, docname).children = []
    for reference in copy.findall(nodes.reference):
        if reference["refuri"] == docname:
            reference["refuri"] = ""
    return copy.pformat()


def entry_title(env: BuildEnvironment, section: str, docname: str, cache: dict) -> list[nodes.Node] | None:
    """What the sidebar shows as a page's title: the toctree entry's own title, if the section
    gives one, else the page's title (as Sphinx's _toctree_standard_entry does). The section's
    entries are read once per process (a fiches index lists one per territory)."""
    if ("titles", section) not in cache:
        titles: dict[str, str | None] = {}
        for toctree in env.tocs[section].findall(addnodes.toctree):
            for title, ref in toctree["entries"]:
                titles.setdefault(ref, title)
        cache["titles", section] = titles
    titles = cache["titles", section]
    if docname not in titles:
        return None
    if titles[docname]:
        return [nodes.Text(titles[docname])]
    return [child.deepcopy() for child in top_reference(env.tocs[docname], docname).children]


def reused_sidebar(template: nodes.Node, title: list[nodes.Node]) -> nodes.Node | None:
    """A copy of a resolved sidebar whose only link to the current page (href "#") shows
    `title`; None when the sidebar has no such single link."""
    copy = template.deepcopy()
    current = [r for r in copy.findall(nodes.reference) if r["refuri"] in ("", "#") and not r.get("anchorname")]
    if len(current) != 1:
        return None
    current[0].children = title
    for child in title:
        child.parent = current[0]
    return copy


def _member_sidebar(
    app: Sphinx, cache: dict, sections: list[str], pagename: str, options: tuple, resolve
) -> nodes.Node:
    """The sidebar of `pagename`, reused from an earlier page of its collapsed section when
    their tables of contents have the same shape (see the module's docstring), else resolved."""
    env = app.env
    section = next((s for s in sections if s in env.tocs and pagename in members(env, s, cache)), None)
    if section is None or not app.config.cv_nav_reuse:
        return resolve()
    shape, title = toc_shape(env, pagename), entry_title(env, section, pagename, cache)
    if shape is None or title is None:
        return resolve()
    key = (section, posixpath.dirname(pagename), shape, options)
    if key in cache:
        tree = reused_sidebar(cache[key], title)
        if tree is not None:
            return tree
    tree = resolve()
    if tree is not None and key not in cache:
        cache[key] = tree.deepcopy()
    return tree


def _sidebar_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    sections = list(app.config.cv_nav_collapsed or [])
    if "toctree" not in context or not sections:
        return
    builder = app.builder
    cache = app.__dict__.setdefault("_cv_collapsed_tocs", {})

    # the same defaults as Sphinx's own `toctree()` (StandaloneHTMLBuilder._get_local_toctree)
    def toctree(collapse: bool = True, **kwargs: Any) -> str:
        kwargs.setdefault("includehidden", False)
        if kwargs.get("maxdepth") == "":
            kwargs.pop("maxdepth")

        def resolve() -> nodes.Node | None:
            env = _SidebarEnv(app.env, collapsed_tocs(app.env, sections, pagename, cache))
            return global_toctree_for_doc(env, pagename, builder, collapse=collapse, **kwargs)

        options = (collapse, tuple(sorted(kwargs.items())))
        tree = _member_sidebar(app, cache, sections, pagename, options, resolve)
        return builder.render_partial(tree)["fragment"]

    context["toctree"] = toctree


def setup(app: Sphinx) -> dict:
    # pages (docnames) whose sub-pages the sidebar shows only while one of them is read
    app.add_config_value("cv_nav_collapsed", [], "html", [list])
    # reuse a section page's sidebar for the next pages of the same shape (False: resolve each)
    app.add_config_value("cv_nav_reuse", True, "html", [bool])
    # before the theme reads `toctree` from the context (it reads it when the template is rendered)
    app.connect("html-page-context", _sidebar_toctree)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
