"""Command-line tasks: demo data, the first admin, the mail worker."""

import logging
import time

import click
import sqlalchemy as sa
from flask import current_app

from exchange import demo
from exchange.accounts import services as account_services
from exchange.accounts.models import User
from exchange.db import db
from exchange.mail import OutboxStatus, recent_messages, send_pending
from exchange.reports.benchmark import report_benchmark_command
from exchange.security import password_problem

log = logging.getLogger(__name__)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when data exists.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the IncluCities demo organisations and fictional accounts."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException(
            "Refusing to load demo data with a production configuration "
            "(set CITY_EXCHANGE_ENV=development on a development machine)."
        )
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already holds data; demo data not loaded.")
            return
        raise click.ClickException("Refusing to load demo data into a database that is not empty.")
    demo.load()
    db.session.commit()
    click.echo("Demo data loaded.")


@click.command("demo-accounts")
def demo_accounts_command() -> None:
    """List the demo accounts and their password."""
    click.echo(f"Demo accounts (password: {current_app.config['DEMO_PASSWORD']}):")
    for email, description in demo.account_list():
        click.echo(f"  {email:48} {description}")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="The password; asked for when not given.")
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator account, or make an existing user an administrator."""
    existing = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if existing is None:
        problem = password_problem(password, (email, name))
        if problem:
            raise click.ClickException(str(problem))
    user = account_services.create_admin(email=email, name=name, password=password)
    db.session.commit()
    click.echo(f"{user.email} is an administrator.")


@click.group("mail")
def mail_group() -> None:
    """The e-mail outbox."""


@mail_group.command("send")
@click.option("--loop", is_flag=True, help="Keep running, sending what becomes due.")
@click.option("--interval", default=30, show_default=True, help="Seconds between rounds.")
def send_mail_command(loop: bool, interval: int) -> None:
    """Send the pending e-mails of the outbox, retrying failed ones with backoff."""
    while True:
        sent, failed = send_pending()
        click.echo(f"sent {sent}, failed {failed}")
        if not loop:
            return
        time.sleep(interval)


@mail_group.command("list")
@click.option("--limit", default=20, show_default=True, help="How many, newest first.")
def list_mail_command(limit: int) -> None:
    """Show the newest e-mails of the outbox; pending ones with their text (and links).

    On a development machine without SMTP server this is how to follow the links of
    confirmation, reset and invitation e-mails.
    """
    for message in recent_messages(limit):
        click.echo(f"#{message.id} {message.status} to {message.recipient}: {message.subject}")
        if message.status == OutboxStatus.PENDING:
            click.echo(message.text.strip() + "\n")


def register_commands(app) -> None:
    for command in (seed_demo_command, demo_accounts_command, create_admin_command, mail_group):
        app.cli.add_command(command)
    app.cli.add_command(report_benchmark_command)
