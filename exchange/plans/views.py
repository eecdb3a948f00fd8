from flask import Blueprint

from exchange import submissions  # noqa: F401
from exchange.plans import models  # noqa: F401

bp = Blueprint("plans", __name__)
