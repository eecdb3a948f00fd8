"""Suggest mentor cities for a mentee city, best first, each with its reasons in words.

The score is a deterministic function of two city profiles, out of 100:

  theme fit        50  the share of the mentee's needs that the candidate answers: a need the
                       candidate lists as a strength counts fully, a need answered only by one
                       of its published practices counts half
  shared language  15  the two cities share at least one working language
  comparable size  20  20 x smaller population / larger population (0 when one is unknown)
  free capacity    15  15 with no active mentorship, 10 with one, 5 with two, 0 with three or more

Only candidates that answer at least one need are suggested. Ties are broken by name, then
id, so the same data always gives the same order.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from exchange.themes import theme_label

THEME_POINTS = 50
LANGUAGE_POINTS = 15
SIZE_POINTS = 20
CAPACITY_POINTS = 15
FULL_CAPACITY = 3  # active mentorships from which a mentor has no capacity left
SIMILAR_SIZE_RATIO = 0.5  # populations within a factor two are "comparable"


@dataclass(frozen=True)
class CityProfile:
    id: int
    name: str
    needs: frozenset = frozenset()
    strengths: frozenset = frozenset()
    practice_themes: frozenset = frozenset()  # themes of its published practices
    languages: frozenset = frozenset()
    population: int | None = None
    active_mentorships: int = 0


@dataclass
class Suggestion:
    mentor: CityProfile
    score: int
    reasons: list = field(default_factory=list)


def _themes(codes) -> str:
    return ", ".join(theme_label(code) for code in sorted(codes))


def score(mentee: CityProfile, mentor: CityProfile, language_name=str) -> Suggestion:
    """Score `mentor` for `mentee`; `language_name` turns a language code into words."""
    reasons = []
    points = 0.0

    by_strength = mentee.needs & mentor.strengths
    by_practice = (mentee.needs & mentor.practice_themes) - by_strength
    if mentee.needs:
        points += THEME_POINTS * (len(by_strength) + 0.5 * len(by_practice)) / len(mentee.needs)
    if by_strength:
        reasons.append(
            _l(
                "Strong in %(themes)s, which %(mentee)s wants to learn about.",
                themes=_themes(by_strength),
                mentee=mentee.name,
            )
        )
    if by_practice:
        reasons.append(_l("Has published practices on %(themes)s.", themes=_themes(by_practice)))

    shared = mentee.languages & mentor.languages
    if shared:
        points += LANGUAGE_POINTS
        reasons.append(
            _l(
                "Works in %(languages)s, like %(mentee)s.",
                languages=", ".join(sorted(language_name(code) for code in shared)),
                mentee=mentee.name,
            )
        )
    else:
        reasons.append(_l("No working language in common: plan for interpreting."))

    if mentee.population and mentor.population:
        ratio = min(mentee.population, mentor.population) / max(
            mentee.population, mentor.population
        )
        points += SIZE_POINTS * ratio
        if ratio >= SIMILAR_SIZE_RATIO:
            reasons.append(_l("Comparable in size."))
        elif mentor.population > mentee.population:
            reasons.append(_l("Much larger than %(mentee)s.", mentee=mentee.name))
        else:
            reasons.append(_l("Much smaller than %(mentee)s.", mentee=mentee.name))

    load = mentor.active_mentorships
    points += CAPACITY_POINTS * max(0, FULL_CAPACITY - load) / FULL_CAPACITY
    if load == 0:
        reasons.append(_l("Mentors no other city at the moment."))
    else:
        reasons.append(
            lazy_ngettext("Already mentors %(num)d city.", "Already mentors %(num)d cities.", load)
        )
    return Suggestion(mentor=mentor, score=round(points), reasons=reasons)


def answers_a_need(mentee: CityProfile, mentor: CityProfile) -> bool:
    return bool(mentee.needs & (mentor.strengths | mentor.practice_themes))


def rank(mentee: CityProfile, candidates, language_name=str, limit: int = 10) -> list[Suggestion]:
    """Return the best `limit` suggestions among `candidates` (never the mentee itself)."""
    suggestions = [
        score(mentee, candidate, language_name)
        for candidate in candidates
        if candidate.id != mentee.id and answers_a_need(mentee, candidate)
    ]
    suggestions.sort(key=lambda s: (-s.score, s.mentor.name.casefold(), s.mentor.id))
    return suggestions[:limit]
