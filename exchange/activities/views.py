from flask import Blueprint

from exchange import submissions  # noqa: F401
from exchange.activities import models  # noqa: F401

bp = Blueprint("activities", __name__)
