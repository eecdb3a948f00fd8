"""PDF from HTML with WeasyPrint: A4, tagged (PDF/UA-1), with the document's <title> and
lang as the PDF's title and language.

The report templates and stylesheet are the only input: WeasyPrint fetches nothing else (no
network, no file), so a link or an image in a user's Markdown cannot make the server fetch
a URL. Fonts come from the system (fontconfig; DejaVu on Debian).
"""

from pathlib import Path

import weasyprint
from flask import current_app
from weasyprint.urls import URLFetcher

PRINT_STYLESHEET = "css/report-print.css"


class _NoFetching(URLFetcher):
    """Allows only data: URLs (inline images); everything else fails and is left out."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)


def print_stylesheet(name: str = PRINT_STYLESHEET) -> str:
    return Path(current_app.static_folder, name).read_text(encoding="utf-8")


def render_pdf(html: str, stylesheet: str = PRINT_STYLESHEET) -> bytes:
    """The PDF of a whole HTML document (its <html lang> and <title> set)."""
    fetcher = _NoFetching()
    css = weasyprint.CSS(string=print_stylesheet(stylesheet), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url="/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], pdf_variant="pdf/ua-1")
