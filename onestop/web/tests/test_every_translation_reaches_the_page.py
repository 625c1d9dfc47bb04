"""Each app's Chinese wording is what the page shows.

Django merges every app's catalogue into one, and for a msgid two catalogues hold, the app listed first in
INSTALLED_APPS (or Django's own admin) wins: a stopped application read 已办结 (the clock's word) instead
of 已终止, a seal's kind 层级 (a place's). A string an app words its own way carries the app's context
(`pgettext_lazy("seals", "kind")`, `{% translate "Filter" context "catalog" %}`)."""
import gettext
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _, pgettext

import onestop

CATALOGUES = sorted(Path(onestop.__file__).parent.glob("*/locale/zh_Hans/LC_MESSAGES/django.mo"))


def entries(mo: Path) -> list[tuple[str, str, str]]:
    """(context, msgid, msgstr) of each translated singular entry of a compiled catalogue."""
    with mo.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    out = []
    for key, text in catalog.items():
        if isinstance(key, str) and key and text:
            context, _sep, msgid = key.rpartition("\x04")
            out.append((context, msgid, text))
    return out


def test_the_apps_have_catalogues():
    assert len(CATALOGUES) >= 10


@pytest.mark.parametrize("mo", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_an_app_translates_is_shown_in_its_words(mo):
    with translation.override("zh-hans"):
        shown_otherwise = [(context, msgid, text, pgettext(context, msgid) if context else _(msgid))
                           for context, msgid, text in entries(mo)]
    shown_otherwise = [row for row in shown_otherwise if row[2] != row[3]]
    assert not shown_otherwise, "another catalogue wins (give the string this app's context): " + "; ".join(
        f"{msgid!r} ({context or 'no context'}) should read {ours}, reads {got}"
        for context, msgid, ours, got in shown_otherwise)
