"""The demo catalogue (194 matters of 泊里镇) passes the import's rules and survives an Excel round trip."""
from __future__ import annotations

import pytest

from onestop.audit.models import Event
from onestop.catalog import actions, queries
from onestop.catalog.export import export_xlsx
from onestop.demo import loader
from onestop.org.models import Account, Role

pytestmark = pytest.mark.django_db


def test_demo_catalogue_exports_and_imports_unchanged():
    loader.load()
    admin = Account.objects.filter(role=Role.ADMINISTRATOR).first()
    before = queries.catalogue_document()
    events = Event.objects.count()
    report = actions.import_catalogue(admin, export_xlsx(), "demo.xlsx")
    assert report.created == report.updated == report.bundles_updated == []
    assert len(report.unchanged) == len(before["matters"]) >= 179
    assert queries.catalogue_document() == before
    assert Event.objects.count() == events + 1
