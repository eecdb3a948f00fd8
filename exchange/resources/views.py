"""Publications, toolkits, guides and links: the list, one resource, its file, the forms."""

from flask import Blueprint

from exchange.resources.models import Resource  # noqa: F401  (used by the routes to come)

bp = Blueprint("resources", __name__, url_prefix="/resources")
