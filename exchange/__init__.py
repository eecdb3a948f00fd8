"""City Exchange: city-to-city mentoring on the reception and integration of migrants."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from exchange import config as config_module
from exchange import db as db_module
from exchange import i18n
from exchange.access import enforce_gate
from exchange.accounts.auth import init_login_manager
from exchange.accounts.views import bp as accounts_bp
from exchange.activities.views import bp as activities_bp
from exchange.admin.views import bp as admin_bp
from exchange.calendars.views import bp as calendars_bp
from exchange.cli import register_commands as register_cli
from exchange.dashboard.views import bp as dashboard_bp
from exchange.errors import register_errorhandlers as register_error_pages
from exchange.extensions import babel, csrf, login_manager, mail, migrate
from exchange.main.views import bp as main_bp
from exchange.news.views import bp as news_bp
from exchange.organisations.views import bp as organisations_bp
from exchange.pairings.views import bp as pairings_bp
from exchange.plans.views import bp as plans_bp
from exchange.practices.views import bp as practices_bp
from exchange.programmes.views import bp as programmes_bp
from exchange.reports.views import bp as reports_bp
from exchange.resources.views import bp as resources_bp
from exchange.security import add_security_headers, init_throttle
from exchange.templating import register_template_helpers as register_templating

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        instance_path=os.path.join(PROJECT_ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    load_config(app, test_config)
    configure_logging(app)
    register_proxy_fix(app)
    register_url_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_environment(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    config_module.check_secret_key(app)


def configure_logging(app: Flask) -> None:
    level = app.config["LOG_LEVEL"]
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("exchange").setLevel(level)
    app.logger.setLevel(level)


def register_proxy_fix(app: Flask) -> None:
    """Behind a reverse proxy, take the client's address and scheme from its headers."""
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


class DatabaseIntConverter(IntegerConverter):
    """An id in a URL: numbers too large for the database are simply not found (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        # werkzeug sets `max` on the instance from this argument: a class attribute is lost.
        super().__init__(url_map, fixed_digits, min, max, signed)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter


def register_extensions(app: Flask) -> None:
    db_module.init_app(app)
    migrate.init_app(
        app,
        db_module.db,
        directory=os.path.join(PROJECT_ROOT, "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=os.path.join(PROJECT_ROOT, "translations"),
    )
    init_throttle(app)
    init_login_manager(app, login_manager)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(pairings_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(calendars_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(practices_bp)
    app.register_blueprint(resources_bp)
    app.register_blueprint(news_bp)
    app.register_blueprint(admin_bp)


def register_request_hooks(app: Flask) -> None:
    app.before_request(enforce_gate)
    app.after_request(add_security_headers)


def register_errorhandlers(app: Flask) -> None:
    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    register_templating(app)


def register_commands(app: Flask) -> None:
    register_cli(app)
