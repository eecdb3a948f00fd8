"""News items and articles: the list, one item, the Atom feed, and the officers' forms."""

from flask import Blueprint

from exchange.news.models import NewsItem  # noqa: F401  (used by the routes to come)

bp = Blueprint("news", __name__, url_prefix="/news")
