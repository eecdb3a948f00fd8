"""The shared taxonomy of themes, used by organisations, pairings, practices and resources."""

from flask_babel import lazy_gettext as _l

THEMES = {
    "reception": _l("Reception and orientation"),
    "housing": _l("Housing"),
    "employment": _l("Employment and entrepreneurship"),
    "language": _l("Language learning"),
    "education": _l("Education and training"),
    "health": _l("Health"),
    "participation": _l("Civic participation"),
    "cohesion": _l("Social cohesion and anti-discrimination"),
    "gender": _l("Gender"),
    "youth": _l("Children and youth"),
    "basic_services": _l("Access to basic services"),
}

# The wording used in the IncluCities facts, mapped onto our codes.
THEME_BY_NAME = {
    "reception and orientation": "reception",
    "housing": "housing",
    "employment and entrepreneurship": "employment",
    "language learning": "language",
    "education and training": "education",
    "health": "health",
    "civic participation": "participation",
    "social cohesion and anti-discrimination": "cohesion",
    "gender": "gender",
    "children and youth": "youth",
    "access to basic services": "basic_services",
}


def theme_label(code: str) -> str:
    """Return the translated label of a theme code, or the code itself if unknown."""
    return str(THEMES.get(code, code))


def theme_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in THEMES.items()]
