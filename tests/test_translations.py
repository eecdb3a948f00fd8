"""Dutch and French are complete: every message of the code is in the catalogs, translated."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr")


def catalog(language: str):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


@pytest.fixture(scope="module")
def messages_in_code(tmp_path_factory) -> set[str]:
    """Extract the messages of the code and templates, as `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "--ignore-dirs=.*",  # the default also skips _partials/
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_code_is_in_the_catalog(language, messages_in_code):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(language) if m.id}
    missing = sorted(messages_in_code - known)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_not_fuzzy(language):
    problems = []
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == [], f"{len(problems)} untranslated or fuzzy in {language}: {problems[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match(language):
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog(language).check()]
    assert errors == []
