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
in which the collapsed sections' toctrees hold the current page only."""

from __future__ import annotations

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


def collapsed_tocs(env: BuildEnvironment, sections: list[str], pagename: str, cache: dict) -> dict[str, nodes.Node]:
    """The pruned table of contents of each collapsed section, for the page `pagename`; the
    version without any page (every page outside the section) is made once per process."""
    tocs = {}
    for section in sections:
        if section not in env.tocs:
            continue
        if ("members", section) not in cache:
            cache["members", section] = set(env.toctree_includes.get(section, ()))
        if pagename in cache["members", section]:
            tocs[section] = pruned_toc(env.tocs[section], pagename)
        else:
            if section not in cache:
                cache[section] = pruned_toc(env.tocs[section], None)
            tocs[section] = cache[section]
    return tocs


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
        env = _SidebarEnv(app.env, collapsed_tocs(app.env, sections, pagename, cache))
        tree = global_toctree_for_doc(env, pagename, builder, collapse=collapse, **kwargs)
        return builder.render_partial(tree)["fragment"]

    context["toctree"] = toctree


def setup(app: Sphinx) -> dict:
    # pages (docnames) whose sub-pages the sidebar shows only while one of them is read
    app.add_config_value("cv_nav_collapsed", [], "html", [list])
    # before the theme reads `toctree` from the context (it reads it when the template is rendered)
    app.connect("html-page-context", _sidebar_toctree)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
