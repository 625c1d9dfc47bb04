"""The catalogue pages render in Chinese (English by switch), and the import page shows row errors."""
from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from onestop.catalog.export import export_xlsx
from onestop.catalog.models import Matter
from onestop.org.models import Role
from onestop.testing import account

pytestmark = pytest.mark.django_db


def test_catalogue_list_filters(client, catalogue):
    page = client.get("/catalog/").content.decode()
    assert "事项清单" in page and "建设工程规划许可" in page and "项目落地一件事" in page
    village = client.get("/catalog/?source=village").content.decode()
    assert "代办居住证明" in village and "建设工程规划许可" not in village


def test_matter_page_marks_deferrable_and_commitment_materials(client, catalogue):
    page = client.get("/catalog/matters/BL-001/").content.decode()
    assert "可容缺" in page and "告知承诺" in page and "营业执照复印件" in page
    assert "20 工作日" in page and "5 工作日" in page
    assert client.get("/catalog/matters/NOPE/").status_code == 404


def test_bundle_page_lists_stages_in_order(client, catalogue):
    page = client.get("/catalog/bundles/XMLD/").content.decode()
    assert page.index("项目立项") < page.index("建设施工") < page.index("代办居住证明")


def test_pages_switch_to_english(client, catalogue):
    client.cookies["django_language"] = "en"
    page = client.get("/catalog/matters/BL-001/").content.decode()
    assert "Materials" in page and "Working days" in page


def test_import_page_is_for_administrators(client, catalogue, admin):
    assert client.get("/catalog/import/").status_code == 302  # to the login page
    client.force_login(account(Role.COMMISSIONER))
    assert client.get("/catalog/import/").status_code == 403
    client.force_login(admin)
    assert client.get("/catalog/import/").status_code == 200


def test_import_page_shows_each_problem_beside_its_row(client, catalogue, admin):
    client.force_login(admin)
    book = load_workbook(BytesIO(export_xlsx()))
    book["事项"].cell(row=3, column=5, value=50)  # promised 50 > legal 20
    out = BytesIO()
    book.save(out)
    response = client.post("/catalog/import/", {"file": SimpleUploadedFile("c.xlsx", out.getvalue())})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-row="3"' in page and "承诺时限（50天）不能超过法定时限（20天）" in page and 'class="bad"' in page
    assert Matter.objects.get(code="BL-002").promised_limit == 1


def test_import_page_imports_a_good_file(client, catalogue, admin):
    client.force_login(admin)
    response = client.post("/catalog/import/", {"file": SimpleUploadedFile("c.xlsx", export_xlsx())})
    assert response.status_code == 200 and 'data-testid="import-report"' in response.content.decode()


def test_admin_pages_render(client, catalogue):
    client.force_login(account(Role.ADMINISTRATOR, is_staff=True))
    for url in ("/admin/catalog/matter/", f"/admin/catalog/matter/{catalogue['matters'][0].pk}/change/",
                "/admin/catalog/bundle/", f"/admin/catalog/bundle/{catalogue['bundle'].pk}/change/"):
        assert client.get(url).status_code == 200, url


def test_import_page_lists_json_problems_by_entry(client, catalogue, admin):
    import json

    from onestop.catalog import queries
    client.force_login(admin)
    doc = queries.catalogue_document()
    doc["bundles"][0]["stages"][1]["matters"] = ["NOPE"]
    response = client.post("/catalog/import/", {"file": SimpleUploadedFile("c.json", json.dumps(doc).encode())})
    page = response.content.decode()
    assert response.status_code == 400 and "bundles" in page and "事项编码“NOPE”不存在。" in page


def test_import_page_names_an_unreadable_file(client, catalogue, admin):
    client.force_login(admin)
    response = client.post("/catalog/import/", {"file": SimpleUploadedFile("c.xlsx", b"garbage")})
    assert response.status_code == 400 and 'data-testid="file-error"' in response.content.decode()
