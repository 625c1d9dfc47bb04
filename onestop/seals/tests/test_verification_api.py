"""The public verification API and page: no login, valid/invalid reports, 400 for what is not a PDF or too big."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.seals import actions, verify
from onestop.seals.tests.conftest import APPOINTMENT
from onestop.seals.tests.test_sealed_document_verifies import flip_a_byte


@pytest.fixture
def sealed(clerk, seal):
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT)
    return doc, (actions.seals_dir() / doc.path).read_bytes()


def test_anyone_can_verify_a_sealed_pdf(client, sealed):
    doc, data = sealed
    r = client.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["valid"] is True and body["document_number"] == doc.number
    assert body["signatures"][0]["seal"] == "青岛西海岸新区人力资源和社会保障局人事专用章"


def test_a_changed_byte_is_reported_invalid_with_why(client, sealed):
    _, data = sealed
    r = client.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", flip_a_byte(data))})
    body = r.json()
    assert r.status_code == 200 and body["valid"] is False
    assert any("digest mismatch" in p for p in body["signatures"][0]["problems"])


def test_not_a_pdf_is_400(client, db):
    r = client.post("/api/seals/verify", {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert r.status_code == 400 and r.json()["fields"]["file"] == "The file is not a PDF."


def test_too_large_is_400(client, db, monkeypatch):
    monkeypatch.setattr(verify, "MAX_UPLOAD", 1000)
    r = client.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"0" * 2000)})
    assert r.status_code == 400 and r.json()["error"] == "too_large"


def test_unsigned_pdf_is_not_valid(client, db):
    from onestop.seals.documents import render

    r = client.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", render("appointment", "X1", "某单位", "2026年1月1日", APPOINTMENT))})
    assert r.status_code == 200 and r.json()["valid"] is False and r.json()["problems"]


def test_lookup_by_number_and_verify_page(client, sealed):
    doc, data = sealed
    r = client.get("/api/seals/documents/lookup", {"number": doc.number})
    assert r.status_code == 200 and r.json()["recipient"] == "张*"
    assert client.get("/api/seals/documents/lookup", {"number": "nope"}).status_code == 404
    page = client.get("/seals/verify", {"number": doc.number})
    assert page.status_code == 200 and doc.number in page.content.decode()
    assert "电子文书验章" in page.content.decode()  # Chinese by default
    page = client.post("/seals/verify", {"file": SimpleUploadedFile("a.pdf", data)})
    assert page.status_code == 200 and 'data-testid="report"' in page.content.decode()
    assert client.post("/seals/verify", {"file": SimpleUploadedFile("a.txt", b"x")}).status_code == 400


def test_ca_certificate_and_crl_are_published(client, seal):
    from cryptography import x509

    crl = x509.load_der_x509_crl(client.get("/seals/ca.crl").content)
    root = x509.load_pem_x509_certificate(client.get("/seals/ca.pem").content)
    assert crl.issuer == root.subject
