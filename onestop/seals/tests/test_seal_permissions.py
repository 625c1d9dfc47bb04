"""Who may seal: a user without a grant gets 403, a wrong passphrase 400, a revoked seal 409; nothing is
sealed from a refused request; every action is audited."""
import json

import pytest

from onestop import testing
from onestop.audit.models import Event
from onestop.seals import actions, verify
from onestop.seals.models import IssuedDocument, SealUse
from onestop.seals.tests.conftest import APPOINTMENT


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_user_without_grant_gets_403_and_nothing_is_sealed(client, admin, seal, bureau):
    stranger = testing.account("approver", department=bureau)
    client.force_login(admin)  # the administrator manages the seal but has no grant to use it
    r = post(client, "/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": APPOINTMENT})
    assert r.status_code == 403, r.content
    client.force_login(stranger)  # without a grant the seal is not even visible
    r = post(client, "/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": APPOINTMENT})
    assert r.status_code == 404
    assert not IssuedDocument.objects.exists() and not SealUse.objects.exists()


def test_granted_user_seals_and_the_use_is_logged(client, clerk, seal):
    client.force_login(clerk)
    r = post(client, "/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": APPOINTMENT,
                                              "level": "B-B"})
    assert r.status_code == 201, r.content
    use = SealUse.objects.get()
    assert use.account == clerk and use.document.number == r.json()["number"]
    assert Event.objects.filter(action="document.issued").count() == 1
    assert client.get(r.json()["file"]).status_code == 200


def test_missing_fields_are_named(client, clerk, seal):
    client.force_login(clerk)
    r = post(client, "/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": {"name": "张三"}})
    assert r.status_code == 400 and set(r.json()["fields"]) == {"unit", "post"}


def test_wrong_passphrase_is_400_and_nothing_is_sealed(client, admin):
    org = testing.enterprise(name="海格尔科技(青岛)有限公司")
    holder = testing.account("enterprise", organisation=org)
    client.force_login(holder)
    r = post(client, "/api/seals/seals", {"kind": "official", "organisation": org.pk, "passphrase": "holder-secret-1"})
    assert r.status_code == 201, r.content
    seal_id = r.json()["id"]
    assert post(client, f"/api/seals/seals/{seal_id}/users", {"account": holder.pk}).status_code == 201
    body = {"seal": seal_id, "kind": "acceptance", "data": {"recipient": org.name, "matter": "企业投资项目备案"}}
    r = post(client, "/api/seals/documents", {**body, "passphrase": "wrong-passphrase"})
    assert r.status_code == 400 and "passphrase" in r.json()["fields"]
    assert not IssuedDocument.objects.exists()
    r = post(client, "/api/seals/documents", {**body, "passphrase": "holder-secret-1"})
    assert r.status_code == 201


def test_applicant_seal_needs_a_passphrase_and_only_its_own(client, db):
    org, other = testing.enterprise(), testing.enterprise()
    holder = testing.account("enterprise", organisation=org)
    client.force_login(holder)
    r = post(client, "/api/seals/seals", {"kind": "official", "organisation": org.pk})
    assert r.status_code == 400 and "passphrase" in r.json()["fields"]
    r = post(client, "/api/seals/seals", {"kind": "official", "organisation": other.pk, "passphrase": "x" * 10})
    assert r.status_code == 403


def test_revoked_seal_is_refused_and_listed_in_the_crl(client, admin, clerk, seal):
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-B")
    client.force_login(admin)
    assert post(client, f"/api/seals/seals/{seal.pk}/revoke", {"reason": "印章遗失"}).status_code == 200
    client.force_login(clerk)
    r = post(client, "/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": APPOINTMENT})
    assert r.status_code == 409 and r.json()["state"] == "revoked"
    from cryptography import x509

    crl = x509.load_der_x509_crl(client.get("/seals/ca.crl").content)
    assert crl.get_revoked_certificate_by_serial_number(int(seal.serial_hex, 16)) is not None
    # sealed before the revocation: still valid, but the report says the seal is now revoked
    report = verify.verify_pdf((actions.seals_dir() / doc.path).read_bytes())
    assert report["signatures"][0]["revoked"] is True


def test_use_log_lists_and_exports_for_managers_only(client, admin, clerk, seal):
    actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-B")
    client.force_login(clerk)
    assert client.get(f"/api/seals/seals/{seal.pk}/uses").status_code == 403
    client.force_login(admin)
    r = client.get(f"/api/seals/seals/{seal.pk}/uses")
    assert r.status_code == 200 and len(r.json()) == 1
    csv_text = client.get(f"/seals/{seal.pk}/uses.csv").content.decode("utf-8-sig")
    assert r.json()[0]["document"] in csv_text


def test_pkcs12_import_with_wrong_password_is_400(client, admin, bureau):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from onestop.seals import pki

    key = pki.new_key("ec_p256")
    auth = actions.keystore.authority()
    cert = pki.issue(pki.load_cert(auth.root_cert_pem), actions.keystore.root_key(auth), key.public_key(),
                     pki.seal_subject("外部单位", "公章"), days=30)
    blob = pkcs12.serialize_key_and_certificates(b"x", key, cert, None, BestAvailableEncryption(b"right-pass"))
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"kind": "official", "department": bureau.pk, "password": "wrong"}
    r = client.post("/api/seals/seals/import", {**form, "file": SimpleUploadedFile("s.p12", blob)})
    assert r.status_code == 400 and "password" in r.json()["fields"]
    r = client.post("/api/seals/seals/import", {**form, "password": "right-pass", "file": SimpleUploadedFile("s.p12", blob)})
    assert r.status_code == 201, r.content


def test_signature_made_after_revocation_is_invalid(admin, clerk, seal):
    """Even bypassing the platform's refusal (the key used directly), a seal revoked before it sealed makes
    the document invalid, and the report says why."""
    from onestop.seals import keystore
    from onestop.seals.documents import render

    actions.revoke_seal(admin, seal.pk, "密钥泄露")
    seal.refresh_from_db()
    forged = keystore.engine(seal).seal(render("appointment", "X-1", seal.owner_name, "2026年1月1日", APPOINTMENT))
    report = verify.verify_pdf(forged)
    assert report["valid"] is False
    assert report["signatures"][0]["revoked"] is True
    assert any("revoked before it sealed" in p for p in report["signatures"][0]["problems"])


def test_batch_stops_sealing_when_its_seal_is_revoked(admin, clerk, seal):
    from onestop.seals import batch
    from onestop.seals.sheet import make_sheet, sample_rows

    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(3)), level="B-B")
    actions.revoke_seal(admin, seal.pk, "印章遗失")
    assert batch.run_batch(b.pk) == "done"
    b.refresh_from_db()
    assert (b.done, b.failed) == (0, 3) and not IssuedDocument.objects.exists()
    assert all("revoked" in f["error"] for f in batch.failures(b.pk))


def test_uploaded_image_replaces_the_drawn_one(client, admin, clerk, seal):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (120, 80), (200, 0, 0, 255)).save(buf, "PNG")
    client.force_login(clerk)
    assert client.post(f"/api/seals/seals/{seal.pk}/image", {"file": SimpleUploadedFile("s.png", buf.getvalue())}).status_code == 403
    client.force_login(admin)
    r = client.post(f"/api/seals/seals/{seal.pk}/image", {"file": SimpleUploadedFile("s.txt", b"not an image")})
    assert r.status_code == 400 and "image" in r.json()["fields"]
    r = client.post(f"/api/seals/seals/{seal.pk}/image", {"file": SimpleUploadedFile("s.png", buf.getvalue())})
    assert r.status_code == 200
    seal.refresh_from_db()
    assert seal.image_uploaded and Image.open(io.BytesIO(seal.image_png)).size == (120, 120)
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-B")
    assert verify.verify_pdf((actions.seals_dir() / doc.path).read_bytes())["valid"]
