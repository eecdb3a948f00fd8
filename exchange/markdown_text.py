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
    html = markdown.markdown(text, output_format="html")
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


def _shift_headings(html: str) -> str:
    """The page's title is the only h1: a text's own headings go one level down."""
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html
