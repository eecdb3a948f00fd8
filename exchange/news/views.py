"""News items and articles: the list, one item, the Atom feed, and the officers' forms.

Everyone reads published items; an item dated in the future is shown only to those who
may edit it. Officers of a verified association post for it; admins for any verified
organisation.
"""

import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange import markdown_text
from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.i18n import language_name, reader_locale
from exchange.mail import external_url
from exchange.news import queries, services
from exchange.news.forms import NewsFilterForm, NewsForm
from exchange.news.models import NewsItem
from exchange.organisations.models import Organisation
from exchange.organisations.queries import get_chosen, verified_organisations
from exchange.security import require
from exchange.web import page_number, run_button_action

bp = Blueprint("news", __name__, url_prefix="/news")

FEED_SIZE = 20


@bp.get("/")
def index():
    now = utcnow()
    form = NewsFilterForm(formdata=request.args)
    form.set_choices(queries.languages_in_use(now))
    language = form.chosen_language()
    return render_template(
        "news/index.html",
        form=form,
        language=language,
        page=queries.list_page(now, language, page_number(), queries.page_size()),
        scheduled=queries.scheduled(current_user, now),
        can_post=services.can_post(current_user),
    )


@bp.get("/<int:news_id>")
def show(news_id: int):
    item = queries.get_or_404(NewsItem, news_id)
    can_edit = services.can_edit(current_user, item)
    is_published = services.is_published(item, utcnow())
    require(is_published or can_edit)
    return render_template(
        "news/show.html",
        item=item,
        body=markdown_text.render(item.body),
        can_edit=can_edit,
        is_published=is_published,
    )


# The Atom feed


# Characters XML 1.0 does not allow (U+FFFE, U+FFFF, C0 controls other than tab and newlines).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str | None) -> str:
    """Plain text that fits in XML; the template escapes it."""
    return _NOT_XML.sub("", str(value or ""))


def _rfc3339(moment) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _feed_entry(item: NewsItem) -> dict:
    updated = max(item.updated_dt, item.published_dt)
    author = item.author_organisation
    return dict(
        id=external_url("news.show", news_id=item.id),
        link=external_url("news.show", news_id=item.id),
        language=item.language,
        title=_xml_text(item.title),
        summary=_xml_text(item.summary),
        # The safe HTML as a plain string, so the template escapes it into XML text.
        content=_xml_text(str(markdown_text.render(item.body))),
        author=_xml_text(author.display_name) if author and author.is_verified else None,
        published=_rfc3339(item.published_dt),
        updated=_rfc3339(updated),
    )


@bp.get("/feed.atom")
def feed():
    now = utcnow()
    language = NewsFilterForm(formdata=request.args).chosen_language()
    items = queries.latest(now, FEED_SIZE, language)
    entries = [_feed_entry(item) for item in items]
    filters = {"language": language} if language else {}
    xml = render_template(
        "news/feed.atom.xml",
        entries=entries,
        feed_id=external_url("news.feed", **filters),
        self_url=external_url("news.feed", **filters),
        alternate_url=external_url("news.index", **filters),
        updated=max((e["updated"] for e in entries), default=_rfc3339(now)),
        feed_language=str(reader_locale()),
        # Written here, not in the template: babel.cfg extracts messages from .html and .txt.
        title=_("City Exchange: news in %(language)s", language=language_name(language))
        if language
        else _("City Exchange: news"),
        subtitle=_(
            "News and articles on migration and local governance from the associations "
            "and cities of the network."
        ),
    )
    return Response(xml, mimetype="application/atom+xml")


# Posting, editing, deleting


def _chosen_author(form: NewsForm, item: NewsItem | None) -> Organisation | None:
    """Admins choose the author; an officer posts for their association."""
    if "author_organisation_id" not in form:
        return item.author_organisation if item else current_user.organisation
    return get_chosen(Organisation, form.author_organisation_id.data)


def _prepare(form: NewsForm, item: NewsItem | None) -> None:
    if current_user.is_admin:
        form.set_author_choices(verified_organisations())
    else:
        del form.author_organisation_id
    if request.method != "GET":
        return
    if item is not None:
        form.published_date.data = services.local_date(item.published_dt)
        return
    form.language.data = current_user.locale or str(reader_locale())
    own = current_user.organisation
    if "author_organisation_id" in form and own is not None and own.is_verified:
        form.author_organisation_id.data = own.id


def _save(form: NewsForm, item: NewsItem | None):
    _prepare(form, item)
    if form.validate_on_submit():
        values = form.values(_chosen_author(form, item))
        try:
            if item is None:
                item = services.post_news(current_user, utcnow(), **values)
            else:
                services.update_news(current_user, item, utcnow(), **values)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The news item “%(title)s” is saved.", title=item.title), "success")
            return redirect(url_for(".show", news_id=item.id))
    return render_template("news/form.html", form=form, item=item)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(services.can_post(current_user))
    return _save(NewsForm(), None)


@bp.route("/<int:news_id>/edit", methods=["GET", "POST"])
def edit(news_id: int):
    item = queries.get_or_404(NewsItem, news_id)
    require(services.can_edit(current_user, item))
    return _save(NewsForm(obj=item), item)


@bp.post("/<int:news_id>/delete")
def delete(news_id: int):
    item = queries.get_or_404(NewsItem, news_id)
    require(services.can_edit(current_user, item))
    title = item.title
    return run_button_action(
        lambda: services.delete_news(current_user, item),
        _("The news item “%(title)s” is deleted.", title=title),
        url_for(".index"),
    )
