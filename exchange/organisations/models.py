"""Organisations (municipalities, associations, ...) and invitations to join them."""

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow


class OrgKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    ASSOCIATION = "association"
    NETWORK_LEAD = "network_lead"
    EXPERT = "expert"
    STAKEHOLDER = "stakeholder"


ORG_KIND_LABELS = {
    OrgKind.MUNICIPALITY: _l("Municipality"),
    OrgKind.ASSOCIATION: _l("Association of local governments"),
    OrgKind.NETWORK_LEAD: _l("Network lead"),
    OrgKind.EXPERT: _l("Expert or facilitator"),
    OrgKind.STAKEHOLDER: _l("Local stakeholder"),
}

# Kinds whose members act as association officers (they monitor member cities).
OFFICER_KINDS = {OrgKind.ASSOCIATION, OrgKind.NETWORK_LEAD}


class ThemeRelation(enum.StrEnum):
    NEED = "need"
    STRENGTH = "strength"


class OrganisationTheme(db.Model):
    """A theme an organisation needs help with or is strong in."""

    __tablename__ = "organisation_themes"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    theme: Mapped[str] = mapped_column(sa.String(32), primary_key=True, index=True)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str | None] = mapped_column(sa.String(32))
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    region: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    population: Mapped[int | None]
    foreign_origin_pct: Mapped[float | None]
    profile_text: Mapped[str | None] = mapped_column(sa.Text)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    is_verified: Mapped[bool] = mapped_column(default=False, index=True)
    verified_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Organisation | None"] = relationship(
        remote_side="Organisation.id", back_populates="member_organisations"
    )
    member_organisations: Mapped[list["Organisation"]] = relationship(
        back_populates="parent", order_by="Organisation.name"
    )
    theme_links: Mapped[list[OrganisationTheme]] = relationship(
        cascade="all, delete-orphan", order_by=OrganisationTheme.theme
    )
    members: Mapped[list["User"]] = relationship(  # noqa: F821
        back_populates="organisation", order_by="User.name"
    )

    __table_args__ = (
        sa.CheckConstraint("population IS NULL OR population >= 0", name="population_not_negative"),
        sa.CheckConstraint(
            "foreign_origin_pct IS NULL OR (foreign_origin_pct >= 0 AND foreign_origin_pct <= 100)",
            name="foreign_origin_pct_range",
        ),
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def kind_label(self) -> str:
        return str(ORG_KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_association(self) -> bool:
        return self.kind in OFFICER_KINDS

    @property
    def needs(self) -> list[str]:
        return [t.theme for t in self.theme_links if t.relation == ThemeRelation.NEED]

    @property
    def strengths(self) -> list[str]:
        return [t.theme for t in self.theme_links if t.relation == ThemeRelation.STRENGTH]

    def set_themes(self, relation: ThemeRelation, themes: list[str]) -> None:
        """Replace the themes of one relation, keeping the other."""
        kept = [t for t in self.theme_links if t.relation != relation]
        added = [
            OrganisationTheme(relation=relation, theme=theme) for theme in dict.fromkeys(themes)
        ]
        self.theme_links = kept + added

    # Permission questions. `user` may be anonymous.

    def can_view(self, user) -> bool:
        """Verified organisations are public; others only to their members and admins."""
        return self.is_verified or _is_admin(user) or _belongs_to(user, self)

    def can_edit(self, user) -> bool:
        return _is_admin(user) or (_belongs_to(user, self) and user.is_coordinator)

    def can_manage_members(self, user) -> bool:
        return self.can_edit(user)

    def can_see_members(self, user) -> bool:
        """Members, officers of the parent association (once verified) and admins see who
        works here."""
        if _is_admin(user) or _belongs_to(user, self):
            return True
        return self.is_verified and self.parent_id is not None and _belongs_to(user, self.parent)


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def _belongs_to(user, organisation) -> bool:
    """Is `user` an approved member of `organisation`?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and organisation is not None
        and user.organisation_id == organisation.id
        and user.is_approved_member
    )


class Invitation(db.Model):
    """A coordinator's invitation of a colleague, accepted through a link sent by e-mail."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    role: Mapped[str] = mapped_column(sa.String(16), default="participant")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped["User | None"] = relationship()  # noqa: F821

    def is_open(self, now: dt.datetime) -> bool:
        return self.accepted_dt is None and self.revoked_dt is None and now < self.expires_dt
