"""The practice library: search, one practice, writing practices, transfers and lineage."""

from flask import Blueprint

from exchange.practices.models import Practice  # noqa: F401  (used by the routes to come)

bp = Blueprint("practices", __name__)
