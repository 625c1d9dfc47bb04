"""Permission-matrix entries of the seals API (onestop/seals/api.py), with the objects they need.

The world gets a personnel seal S and an official seal S2 of the town department (platform-held keys),
both granted to the window clerk; a document D the clerk sealed with S; a batch B the clerk started.
Managers (administrators) see and manage seals but use one only with a grant; granted users see the seal
but may not manage it; everyone else gets 404 for the seal, its documents and batches.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from onestop.org.models import Role

APPOINTMENT = {"name": "张三", "unit": "青岛西海岸新区第一中学", "post": "专业技术岗位", "grade": "十级",
               "start": "2026年1月1日", "end": "2028年12月31日"}


@dataclass
class SealWorld:
    seal: Any
    seal2: Any
    document: Any
    pdf: bytes
    batch: Any


def build(w) -> SealWorld:
    from onestop.seals import actions, batch
    from onestop.seals.sheet import make_sheet, sample_rows

    admin, clerk = w.accounts[Role.ADMINISTRATOR], w.accounts[Role.WINDOW_CLERK]
    seal = actions.create_seal(admin, kind="personnel", department=w.department.pk)
    seal2 = actions.create_seal(admin, kind="official", department=w.department.pk)
    for s in (seal, seal2):
        actions.grant_use(admin, s.pk, clerk.pk)
    document = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-B")
    pdf = actions.document_path(document.number).read_bytes()
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(1)), level="B-B")
    return SealWorld(seal, seal2, document, pdf, b)


def pkcs12() -> bytes:
    """A self-signed P-256 certificate in a PKCS#12 file (password "p12-pass")."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12 as p12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "外部证书")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256()))
    return p12.serialize_key_and_certificates(b"seal", key, cert, None, BestAvailableEncryption(b"p12-pass"))


def entries(Op: type, expect: Callable, PUBLIC: dict, LOGGED_IN: dict, FILES: str, APPLICANTS: list) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name: str, data: bytes, **form: Any) -> dict:
        return {FILES: {"file": SimpleUploadedFile(name, data), **form}}

    # Granted user (the clerk) sees the seal; managers (administrators) manage it; others do not see it.
    manage = expect(404, administrator=None, window_clerk=403)
    use = expect(404, administrator=403, window_clerk=None)

    def with_status(table: dict, status: int) -> dict:
        return {role: (status if value is None else value) for role, value in table.items()}

    return {
        ("POST", "/api/seals/verify"): Op(lambda w: ("/api/seals/verify", upload("d.pdf", w.seals.pdf)), PUBLIC),
        ("GET", "/api/seals/documents/lookup"): Op(
            lambda w: (f"/api/seals/documents/lookup?number={w.seals.document.number}", None), PUBLIC),
        ("GET", "/api/seals/seals"): Op(lambda w: ("/api/seals/seals", None), LOGGED_IN),
        ("POST", "/api/seals/seals"): Op(
            lambda w: ("/api/seals/seals", {"kind": "official", "department": w.department.pk}),
            expect(403, administrator=201), audited=True),
        ("POST", "/api/seals/seals/import"): Op(
            lambda w: ("/api/seals/seals/import", upload("c.p12", pkcs12(), kind="official", password="p12-pass",
                                                         department=w.department.pk)),
            expect(403, administrator=201), audited=True),
        ("POST", "/api/seals/seals/{seal_id}/image"): Op(
            lambda w: (f"/api/seals/seals/{w.seals.seal.pk}/image", {FILES: {}}),  # no file: draw it again
            with_status(manage, 200), audited=True),
        ("POST", "/api/seals/seals/{seal_id}/revoke"): Op(
            lambda w: (f"/api/seals/seals/{w.seals.seal.pk}/revoke", {"reason": "印章遗失"}),
            with_status(manage, 200), audited=True),
        ("POST", "/api/seals/seals/{seal_id}/users"): Op(
            lambda w: (f"/api/seals/seals/{w.seals.seal.pk}/users", {"account": w.accounts[Role.APPROVER].pk}),
            with_status(manage, 201), audited=True),
        ("DELETE", "/api/seals/seals/{seal_id}/users/{account_id}"): Op(
            lambda w: (f"/api/seals/seals/{w.seals.seal.pk}/users/{w.accounts[Role.WINDOW_CLERK].pk}", None),
            with_status(manage, 204), audited=True),
        ("GET", "/api/seals/seals/{seal_id}/uses"): Op(
            lambda w: (f"/api/seals/seals/{w.seals.seal.pk}/uses", None), with_status(manage, 200)),
        ("POST", "/api/seals/documents"): Op(
            lambda w: ("/api/seals/documents", {"seal": w.seals.seal.pk, "kind": "appointment", "data": APPOINTMENT,
                                                "level": "B-B"}),
            with_status(use, 201), audited=True),
        ("POST", "/api/seals/documents/{document_id}/seals"): Op(
            lambda w: (f"/api/seals/documents/{w.seals.document.pk}/seals", {"seal": w.seals.seal2.pk}),
            with_status(use, 200), audited=True),
        ("POST", "/api/seals/batches"): Op(
            lambda w: ("/api/seals/batches", _sheet_upload(upload, w)), with_status(use, 201)),
        ("GET", "/api/seals/batches/{batch_id}"): Op(
            lambda w: (f"/api/seals/batches/{w.seals.batch.pk}", None), expect(404, administrator=200, window_clerk=200)),
        ("GET", "/api/seals/batches/{batch_id}/failures"): Op(
            lambda w: (f"/api/seals/batches/{w.seals.batch.pk}/failures", None),
            expect(404, administrator=200, window_clerk=200)),
    }


def _sheet_upload(upload: Callable, w) -> dict:
    from onestop.seals.sheet import make_sheet, sample_rows

    return upload("letters.xlsx", make_sheet(sample_rows(1)), seal=w.seals.seal.pk, level="B-B")
