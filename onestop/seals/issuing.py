"""Issuing sealed documents: numbering (文书编号), rendering, sealing, storing and logging the use (用印记录),
and countersigning a document already issued. Re-exported by `actions`, the app's one write side."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record
from onestop.errors import Conflict, DomainError, InvalidInput, NotFound, field_error
from onestop.org.models import Account
from onestop.seals import keystore, pki
from onestop.seals.access import require_usable, seal_for
from onestop.seals.documents import TEMPLATES, render
from onestop.seals.models import DocumentCounter, DocumentKind, IssuedDocument, KeyProtection, Seal, SealUse
from onestop.seals.tsa import TimestampUnavailable

# titles of the kinds that are not rendered from a template here (the submission is drawn by its filer)
TITLES = {"submission": "报送材料"}


class TimestampServiceDown(DomainError):
    """503: the configured external time-stamp service gave no usable token; nothing was sealed."""

    status = 503
    code = "tsa_unavailable"

    def __init__(self, exc: TimestampUnavailable) -> None:
        super().__init__(f"时间戳服务不可用（{exc.url}），未签章，请稍后重试。",
                         f"The time-stamp service ({exc.url}) is unavailable: {exc.detail}. Nothing was sealed.")


def seal_pdf(engine, pdf: bytes, **kw: Any) -> bytes:
    """engine.seal(), with an unusable external time-stamp turned into the platform's error shape (503)."""
    try:
        return engine.seal(pdf, **kw)
    except TimestampUnavailable as exc:
        raise TimestampServiceDown(exc) from exc


def open_engine(seal: Seal, passphrase: str | None = None, pin: str | None = None):
    """The seal's engine; a wrong passphrase is a 400 naming `passphrase`, a wrong PIN one naming `pin`.
    Use it as a context manager: a PKCS#11 session is closed when the sealing is done."""
    try:
        return keystore.engine(seal, pin if seal.protection == KeyProtection.PKCS11 else passphrase)
    except pki.WrongSecret as exc:
        raise field_error("passphrase", "印章口令错误。", "Wrong passphrase for this seal.") from exc


def seals_dir() -> Path:
    path = Path(getattr(settings, "SEALS_DIR", "") or Path(settings.VAR_DIR) / "seals")
    path.mkdir(parents=True, exist_ok=True)
    return path


KIND_PREFIX = {"acceptance": "受", "missing": "告", "tolerance": "容", "approval": "准", "licence": "证",
               "refusal": "驳", "appointment": "聘", "submission": "报"}


def next_number(kind: str, year: int | None = None) -> str:
    """一件事〔2026〕聘000123号: a serial per kind and year, taken under a row lock."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        counter, _ = DocumentCounter.objects.get_or_create(kind=kind, year=year)
        counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"一件事〔{year}〕{KIND_PREFIX[kind]}{counter.last:06d}号"


def document_path(number: str) -> Path:
    digest = hashlib.sha256(number.encode()).hexdigest()
    return seals_dir() / "docs" / digest[:2] / f"{digest}.pdf"


def countersigned_path(number: str, slot: int, runner: str = "") -> Path:
    """The file of a document after its (slot+1)-th seal; a batch runner adds its own suffix."""
    base = document_path(number)
    return base.with_name(f"{base.stem}-{slot + 1}{'-' + runner if runner else ''}.pdf")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename: a reader sees all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def validate_data(kind: str, data: dict[str, Any]) -> None:
    if kind not in DocumentKind.values:
        raise field_error("kind", "文书类型无效。", "Unknown document kind.")
    need = {"appointment": ("name", "unit", "post")}.get(kind, ("recipient", "matter"))
    missing = {f: "required" for f in need if not str(data.get(f) or "").strip()}
    if missing:
        raise InvalidInput("文书内容不完整。", "The document is missing required fields.", fields=missing)


def produce(seal: Seal, kind: str, number: str, data: dict[str, Any], *, passphrase: str | None = None,
            level: str = "B-LT", issued_on: dt.date | None = None, engine=None, pin: str | None = None) -> bytes:
    """Render and seal one document (no database writes). A batch passes the engine it holds."""
    day = issued_on or timezone.localdate()
    pdf = render(kind, number, seal.owner_name, f"{day.year}年{day.month}月{day.day}日", data)
    if engine is not None:
        return seal_pdf(engine, pdf, level=level, reason=TEMPLATES[kind].title, location=seal.owner_name)
    with open_engine(seal, passphrase, pin) as own:
        return seal_pdf(own, pdf, level=level, reason=TEMPLATES[kind].title, location=seal.owner_name)


def issue_document(actor: Account | None, *, seal_id: int, kind: str, data: dict[str, Any],
                   passphrase: str | None = None, level: str = "B-LT", pin: str | None = None) -> IssuedDocument:
    """出具文书: render, seal, archive, log the use (用印记录)."""
    seal = seal_for(actor, seal_id)
    require_usable(actor, seal)
    if kind in TITLES:
        raise field_error("kind", "该类文书不由模板出具。", "This kind of document is not rendered from a template.")
    validate_data(kind, data)
    number = next_number(kind)
    sealed = produce(seal, kind, number, data, passphrase=passphrase, level=level, pin=pin)
    path = document_path(number)
    write_atomically(path, sealed)
    with transaction.atomic():
        doc = store(actor, seal, kind, number, data, hashlib.sha256(sealed).hexdigest(), path)
    return doc


def store(actor: Account | None, seal: Seal, kind: str, number: str, data: dict[str, Any], sha: str, path: Path,
          batch=None, title: str | None = None) -> IssuedDocument:
    """The database side of issuing (call inside the transaction that also marks a batch item done)."""
    now = timezone.now()
    title = title or (TEMPLATES[kind].title if kind in TEMPLATES else TITLES[kind])
    doc = IssuedDocument.objects.create(
        number=number, kind=kind, title=title[:128], recipient=str(data.get("recipient") or data.get("name") or "")[:128],
        data=data, sha256=sha, path=str(path.relative_to(seals_dir())), issued_at=now, issued_by=actor, batch=batch,
    )
    doc.seals.add(seal)
    SealUse.objects.create(seal=seal, account=actor, at=now, document=doc, batch=batch, sha256=sha)
    record(doc, "document.issued", actor, after={"number": number, "kind": kind, "sha256": sha, "seal": seal.pk,
                                                 "batch": getattr(batch, "pk", None)})
    return doc


def countersign(actor: Account | None, *, document_id: int, seal_id: int, passphrase: str | None = None,
                level: str = "B-LT", pin: str | None = None) -> IssuedDocument:
    """加盖印章: one more seal on an issued document (e.g. the applicant's and the bureau's); earlier ones stay valid."""
    seal = seal_for(actor, seal_id)
    require_usable(actor, seal)
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().filter(pk=document_id).first()
        if doc is None:
            raise NotFound("document", "文书")
        if doc.seals.filter(pk=seal.pk).exists():
            raise Conflict("该文书已加盖此印章。", "This seal is already on the document.", state="sealed")
        slot = doc.seals.count()
        with open_engine(seal, passphrase, pin) as engine:
            sealed = seal_pdf(engine, (seals_dir() / doc.path).read_bytes(), level=level, slot=slot,
                              location=seal.owner_name)
        path = countersigned_path(doc.number, slot)
        write_atomically(path, sealed)  # a new file: the previous one stays as it was until this commits
        before = {"sha256": doc.sha256, "path": doc.path}
        doc.sha256, doc.path = hashlib.sha256(sealed).hexdigest(), str(path.relative_to(seals_dir()))
        doc.save(update_fields=["sha256", "path"])
        doc.seals.add(seal)
        SealUse.objects.create(seal=seal, account=actor, at=timezone.now(), document=doc, sha256=doc.sha256)
        record(doc, "document.countersigned", actor, before=before, after={"sha256": doc.sha256, "seal": seal.pk})
    return doc
