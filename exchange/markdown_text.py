"""Markdown written by users, rendered to HTML that cannot run script.

Markdown is converted first, then the HTML is cleaned by nh3 (an allow-list of tags and
attributes; links only to http, https and mailto, with rel="nofollow noopener"), so raw HTML,
`<script>`, event handlers and `javascript:` links typed into the text come out harmless.
"""

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str | None) -> Markup:
    """Return safe HTML for Markdown `text` (its headings start at level 2, under the page's
    title)."""
    if not text:
        return Markup("")
    if _is_pathological(text):
        return _as_paragraphs(text)
    try:
        html = markdown.markdown(text, output_format="html")
    except RecursionError:
        return _as_paragraphs(text)
    html = _shift_headings(html)
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="nofollow noopener",
        )
    )


# Python-Markdown recurses per level of nesting, backtracks on runs of brackets and is
# quadratic in the number of "<" (each may open raw HTML); a text beyond these limits (no
# real article comes near them) is shown as plain paragraphs instead.
MAX_BRACKETS = 500
MAX_ANGLES = 500
MAX_INDENT = 40  # leading spaces (a tab counts four)


def _is_pathological(text: str) -> bool:
    if text.count("[") > MAX_BRACKETS or text.count("<") > MAX_ANGLES:
        return True
    return any(_indent(line) > MAX_INDENT for line in text.splitlines())


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _as_paragraphs(text: str) -> Markup:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs)


def _shift_headings(html: str) -> str:
    """The page's title is the only h1: a text's own headings go one level down."""
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html
