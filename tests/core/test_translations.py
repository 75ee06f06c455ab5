"""The German catalogue is complete: every string of the code and templates is translated."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import innendienst

PACKAGE = Path(innendienst.__file__).parent
CATALOGUE = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"


def _problems(catalogue: polib.POFile) -> list[str]:
    return [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]


def test_it_has_no_gaps_in_the_committed_catalogue():
    assert _problems(polib.pofile(str(CATALOGUE))) == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext to extract strings")
def test_it_has_every_string_of_the_code_in_the_catalogue(tmp_path, settings, monkeypatch):
    copy = tmp_path / "innendienst"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["de"], no_obsolete=True, verbosity=0)
    missing = _problems(polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")))
    assert missing == [], "run `make messages` and translate these"
