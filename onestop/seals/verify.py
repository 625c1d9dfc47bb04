"""Public verification (验章): every signature of a PDF checked with pyHanko's validator against the platform root.

`valid` is true only when every signature is intact and trusted, nothing but validation data was added
after the last one, and no seal was revoked before it sealed. Revocation is judged from the platform's own
records (the CA knows exactly when it revoked a seal): a seal revoked after it sealed leaves the document
valid and says `revoked: true`.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from onestop.errors import field_error
from onestop.seals import aio, keystore, pki, tsa
from onestop.seals.signing import to_asn1

MAX_UPLOAD = 20 * 1024 * 1024


def check_upload(data: bytes) -> None:
    if len(data) > MAX_UPLOAD:
        raise field_error("file", f"文件过大（上限{MAX_UPLOAD // 1024 // 1024}MB）。",
                          f"The file is too large (limit {MAX_UPLOAD // 1024 // 1024} MB).", code="too_large")
    if b"%PDF-" not in data[:1024]:
        raise field_error("file", "不是PDF文件。", "The file is not a PDF.", code="not_pdf")


def _context() -> ValidationContext:
    """The platform root, and the roots of a configured external time-stamp service (SEALS_TSA_ROOTS)."""
    root = pki.load_cert(keystore.authority().root_cert_pem)
    config = tsa.configured()
    roots = [root, *(config.roots() if config else [])]
    return ValidationContext(trust_roots=[to_asn1(r) for r in roots], allow_fetching=False, revocation_mode="soft-fail")


def _number(reader: PdfFileReader) -> str | None:
    try:
        info = reader.trailer_view["/Info"]
        subject = info.get("/Subject")
        return str(subject) if subject else None
    except Exception:
        return None


def _seal_of(cert: asn1_x509.Certificate):
    from onestop.seals.models import Seal

    return Seal.objects.filter(serial_hex=format(cert.serial_number, "x")).first()


def _one(sig, vc: ValidationContext, last: bool) -> dict[str, Any]:
    problems: list[str] = []
    status = aio.call(validate_pdf_signature, sig, signer_validation_context=vc)
    cert = status.signing_cert
    ts = status.timestamp_validity
    sealed_at: dt.datetime | None = ts.timestamp if ts is not None else status.signer_reported_dt
    intact, trusted = bool(status.intact and status.valid), bool(status.trusted)
    if not status.intact:
        problems.append("digest mismatch: the signed bytes were changed after sealing")
    elif not status.valid:
        problems.append("the signature value does not verify")
    if not trusted:
        problems.append("the certificate does not chain to the platform root CA")
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        problems.append("the time-stamp is not valid")
        trusted = False
    if last:
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not status.docmdp_ok:
            problems.append("the file was changed after the last signature")
    elif not status.docmdp_ok:
        problems.append("later revisions make changes that are not allowed after this signature")
    seal = _seal_of(cert)
    revoked = bool(seal and seal.revoked_at)
    # time-stamps count whole seconds: a signature in the same second as the revocation counts as after it
    if seal and seal.revoked_at and (sealed_at is None or seal.revoked_at.replace(microsecond=0) <= sealed_at):
        problems.append("the seal was revoked before it sealed this document")
    return {
        "intact": intact, "trusted": trusted, "signer": cert.subject.human_friendly,
        "seal": str(seal) if seal else None, "seal_id": seal.pk if seal else None,
        "sealed_at": sealed_at.isoformat() if sealed_at else None, "timestamped": ts is not None,
        "revoked": revoked, "field": sig.field_name, "problems": problems,
    }


def verify_pdf(data: bytes) -> dict[str, Any]:
    """The verification report of DESIGN/issue §5 for a PDF's bytes (400 for what is not a PDF)."""
    check_upload(data)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:
        raise field_error("file", "PDF文件无法解析。", "The PDF cannot be read.", code="not_pdf") from exc
    problems: list[str] = []
    if not sigs:
        problems.append("the document carries no signature")
    vc = _context()
    results = []
    for i, sig in enumerate(sigs):
        try:
            results.append(_one(sig, vc, last=i == len(sigs) - 1))
        except Exception as exc:  # a broken signature container is a finding, not a crash
            results.append({"intact": False, "trusted": False, "signer": None, "seal": None, "seal_id": None,
                            "sealed_at": None, "timestamped": False, "revoked": False,
                            "field": getattr(sig, "field_name", None), "problems": [f"unreadable signature: {exc}"]})
    valid = bool(sigs) and all(not r["problems"] and r["intact"] and r["trusted"] for r in results)
    return {"valid": valid, "document_number": _number(reader), "signatures": results, "problems": problems}
