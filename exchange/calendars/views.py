from flask import Blueprint

from exchange.calendars import models  # noqa: F401

bp = Blueprint("calendars", __name__)
