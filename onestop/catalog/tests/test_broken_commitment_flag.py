"""失信即终止 (`Matter.broken_commitment_stops`): set through the API, the Excel and JSON import and export,
shown on the matter's page; an older file without the column keeps the default (stop)."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from onestop.catalog import actions, layout
from onestop.catalog.export import export_json, export_xlsx
from onestop.catalog.models import Matter

pytestmark = pytest.mark.django_db


def test_the_flag_round_trips_through_excel_and_json(catalogue, admin):
    actions.update_matter(admin, "BL-001", {"broken_commitment_stops": False}, reason="只记录失信")
    book = load_workbook(BytesIO(export_xlsx()))
    sheet = book[layout.MATTERS.title]
    headers = [c.value for c in sheet[1]]
    column = headers.index("失信即终止")
    flags = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert flags == {"BL-001": "否", "BL-002": "是", "CN-001": "是"}
    document = json.loads(export_json())
    assert {m["code"]: m["broken_commitment_stops"] for m in document["matters"]}["BL-001"] is False

    sheet.cell(row=[r[0].value for r in sheet.iter_rows(min_row=1)].index("BL-002") + 1, column=column + 1,
               value="否")
    out = BytesIO()
    book.save(out)
    report = actions.import_catalogue(admin, out.getvalue(), "catalogue.xlsx")
    assert report.updated == ["BL-002"]
    assert dict(Matter.objects.values_list("code", "broken_commitment_stops")) == {
        "BL-001": False, "BL-002": False, "CN-001": True}


def test_a_file_without_the_column_keeps_the_default_stop(catalogue, admin):
    document = json.loads(export_json())
    for m in document["matters"]:
        del m["broken_commitment_stops"]
    document["matters"][0]["code"] = "NEW-1"
    actions.import_catalogue(admin, json.dumps(document, ensure_ascii=False).encode(), "catalogue.json")
    assert Matter.objects.get(code="NEW-1").broken_commitment_stops is True


def test_the_api_sets_it_and_the_page_shows_it(catalogue, admin, client):
    client.force_login(admin)
    r = client.patch("/api/catalog/matters/BL-001", {"broken_commitment_stops": False}, content_type="application/json")
    assert r.status_code == 200 and r.json()["broken_commitment_stops"] is False
    page = client.get("/catalog/matters/BL-001/").content.decode()
    assert 'data-testid="broken-commitment">仅记录在案<' in page
    assert client.get("/api/catalog/matters/BL-002").json()["broken_commitment_stops"] is True
