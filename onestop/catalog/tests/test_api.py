"""The catalogue API: public reads, administrator writes, errors in the DESIGN.md shape, nothing half-written."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from onestop.audit.models import Event
from onestop.catalog.export import export_json, export_xlsx
from onestop.catalog.models import Material, Matter
from onestop.catalog.tests.conftest import matter_data
from onestop.org.models import Role
from onestop.testing import account, enterprise

pytestmark = pytest.mark.django_db


def rows() -> tuple[int, int, int]:
    return Matter.objects.count(), Material.objects.count(), Event.objects.count()


def post_json(client, url: str, body: dict, method: str = "post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_anonymous_reads_matters_with_filters_and_pages(client, catalogue):
    body = client.get("/api/catalog/matters").json()
    assert body["count"] == 3 and [m["code"] for m in body["items"]] == ["BL-001", "BL-002", "CN-001"]
    assert client.get("/api/catalog/matters?source=village").json()["count"] == 1
    assert client.get("/api/catalog/matters?department=GH").json()["items"][0]["department"] == {
        "code": "GH", "name": "规划建设办公室"}
    assert client.get("/api/catalog/matters?lowest_level=village").json()["items"][0]["code"] == "CN-001"
    assert client.get("/api/catalog/matters?q=备案").json()["items"][0]["code"] == "BL-002"
    bad = client.get("/api/catalog/matters?source=nowhere")
    assert bad.status_code == 400 and "source" in bad.json()["fields"]
    page = client.get("/api/catalog/matters?page=2&page_size=2").json()
    assert page["count"] == 3 and [m["code"] for m in page["items"]] == ["CN-001"]


def test_anonymous_reads_a_matter_and_bundles(client, catalogue):
    matter = client.get("/api/catalog/matters/BL-001").json()
    assert matter["legal_limit"] == 20 and matter["promised_limit"] == 5 and matter["limit_unit"] == "workday"
    assert [(m["name"], m["may_defer"], m["may_commit"]) for m in matter["materials"]] == [
        ("申请书", False, False), ("营业执照复印件", True, False), ("环境影响承诺书", False, True)]
    assert matter["stages"] == [{"bundle": "XMLD", "bundle_name": "项目落地一件事", "stage": "建设施工", "position": 2}]
    bundle = client.get("/api/catalog/bundles/XMLD").json()
    assert [(s["position"], s["name"], [m["code"] for m in s["matters"]]) for s in bundle["stages"]] == [
        (1, "项目立项", ["BL-002"]), (2, "建设施工", ["BL-001", "CN-001"])]
    assert [b["code"] for b in client.get("/api/catalog/bundles").json()] == ["XMLD"]
    missing = client.get("/api/catalog/matters/NOPE")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_anonymous_write_is_401_and_writes_nothing(client, catalogue):
    before = rows()
    response = post_json(client, "/api/catalog/matters", matter_data("BL-500", "GH"))
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"
    assert client.post("/api/catalog/import", {"file": SimpleUploadedFile("c.json", export_json())}).status_code == 401
    assert client.get("/api/catalog/export?format=json").status_code == 401
    assert rows() == before


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.STEWARD, Role.RESIDENT])
def test_non_administrator_write_is_403_and_writes_nothing(client, catalogue, role):
    client.force_login(account(role))
    before = rows()
    response = post_json(client, "/api/catalog/matters", matter_data("BL-500", "GH"))
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert post_json(client, "/api/catalog/matters/BL-001", {"active": False}, "patch").status_code == 403
    assert client.post("/api/catalog/import", {"file": SimpleUploadedFile("c.json", export_json())}).status_code == 403
    assert post_json(client, "/api/catalog/bundles", {}).status_code == 403  # refused before the body is read
    assert rows() == before


def test_administrator_creates_updates_and_deactivates(client, catalogue, admin):
    client.force_login(admin)
    created = post_json(client, "/api/catalog/matters", matter_data("BL-500", "GH", warn_days=2))
    assert created.status_code == 201 and created.json()["warn_days"] == 2
    patched = post_json(client, "/api/catalog/matters/BL-500", {"promised_limit": 3, "materials": [
        {"name": "申请书", "may_commit": True}], "reason": "压缩时限"}, "patch")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["promised_limit"] == 3 and len(patched.json()["materials"]) == 1
    assert Event.objects.filter(action="catalog.matter.updated", reason="压缩时限").count() == 1
    off = post_json(client, "/api/catalog/matters/BL-500", {"active": False}, "patch")
    assert off.json()["active"] is False
    assert client.get("/api/catalog/matters?q=BL-500").json()["count"] == 0  # administrators see it only if asked
    assert client.get("/api/catalog/matters?q=BL-500&include_inactive=true").json()["count"] == 1
    client.logout()
    assert client.get("/api/catalog/matters/BL-500").status_code == 404
    assert client.get("/api/catalog/matters?q=BL-500&include_inactive=true").json()["count"] == 0


@pytest.mark.parametrize("body, field, code", [
    (matter_data("BL-001", "GH"), "code", "duplicate"),
    (matter_data("BL-501", "NOPE"), "department", "invalid"),
    (matter_data("BL-501", "GH", promised_limit=25), "promised_limit", "invalid"),
    (matter_data("BL-501", "GH", form_fields=[{"name": "9x", "label": "x"}]), "form_fields.0.name", "invalid"),
    (matter_data("BL-501", "GH", limit_unit="weeks"), "limit_unit", "invalid"),
    ({"code": "BL-501"}, "name", "invalid"),
])
def test_bad_matter_gets_the_json_error_naming_the_field_and_writes_nothing(client, catalogue, admin, body, field, code):
    client.force_login(admin)
    before = rows()
    response = post_json(client, "/api/catalog/matters", body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == code and field in error["fields"]
    assert set(error["message"]) == {"zh", "en"}
    assert rows() == before


def test_bundle_stage_with_unknown_matter_is_400(client, catalogue, admin):
    client.force_login(admin)
    response = post_json(client, "/api/catalog/bundles", {"code": "QYKB", "name": "企业开办", "stages": [
        {"name": "登记", "promised_limit": 1, "matters": ["NOPE"]}]})
    assert response.status_code == 400 and "stages.0.matters" in response.json()["fields"]
    ok = post_json(client, "/api/catalog/bundles", {"code": "QYKB", "name": "企业开办", "stages": [
        {"name": "登记", "promised_limit": 1, "matters": ["BL-002"]}]})
    assert ok.status_code == 201 and ok.json()["stages"][0]["matters"][0]["code"] == "BL-002"


def test_bad_import_file_is_400_with_row_errors_and_writes_nothing(client, catalogue, admin):
    client.force_login(admin)
    book = load_workbook(BytesIO(export_xlsx()))
    book["事项"].cell(row=3, column=3, value="NOPE")
    book["材料"].cell(row=2, column=3).value = None
    out = BytesIO()
    book.save(out)
    before = rows()
    response = client.post("/api/catalog/import", {"file": SimpleUploadedFile("c.xlsx", out.getvalue())})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_import"
    assert {(r["sheet"], r["row"], r["field"]) for r in body["rows"]} == {("事项", 3, "department"), ("材料", 2, "materials.0.name")}
    assert body["fields"]["事项[3].department"] == "Unknown department code 'NOPE'."
    assert rows() == before
    unreadable = client.post("/api/catalog/import", {"file": SimpleUploadedFile("c.xlsx", b"garbage")})
    assert unreadable.status_code == 400 and "file" in unreadable.json()["fields"]


def test_good_import_over_the_api(client, catalogue, admin):
    client.force_login(admin)
    doc = json.loads(export_json())
    doc["matters"][0]["name"] = "新名称"
    response = client.post("/api/catalog/import", {"file": SimpleUploadedFile("c.json", json.dumps(doc).encode())})
    assert response.status_code == 200 and response.json()["updated"] == ["BL-001"]
    assert Matter.objects.get(code="BL-001").name == "新名称"


def test_export_is_for_staff(client, catalogue):
    client.force_login(account(Role.ENTERPRISE, organisation=enterprise()))
    assert client.get("/api/catalog/export?format=json").status_code == 403
    client.force_login(account(Role.COMMISSIONER))
    response = client.get("/api/catalog/export?format=json")
    assert response.status_code == 200 and [m["code"] for m in json.loads(response.content)["matters"]] == [
        "BL-001", "BL-002", "CN-001"]
    xlsx = client.get("/api/catalog/export")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "事项" in load_workbook(BytesIO(xlsx.content)).sheetnames
