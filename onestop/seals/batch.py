"""Batch sealing (批量签章): a spreadsheet of appointment letters in, a zip and a failure report out.

Robustness (DESIGN.md, "Background work"):
- one runner at a time per batch, taken with a conditional update on (runner, heartbeat); a runner whose
  heartbeat is stale is replaced (`periodic.resume_stale_batches` re-enqueues the batch);
- items are claimed with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL) plus a conditional update, so no
  item is sealed by two runners;
- a sealed file is written atomically under a name unique to its runner, then the item is marked done and
  its document, use and audit event recorded in one transaction: a killed runner leaves at most an orphan
  file that nothing references, never a half-sealed document and never a second record.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import socket
import uuid
import zipfile
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from onestop.audit.actions import record
from onestop.errors import Conflict, InvalidInput, NotFound, field_error
from onestop.org.access import is_admin
from onestop.org.models import Account
from onestop.seals import actions, keystore, parallel
from onestop.seals.models import (
    Batch, BatchItem, BatchSource, BatchState, DocumentCounter, IssuedDocument, ItemState, KeyProtection, Seal, SealUse,
)
from onestop.seals.sheet import parse_appointments
from onestop.seals.tsa import TimestampUnavailable

CHUNK = 16
MAX_ROWS = 5000


def stale_after() -> dt.timedelta:
    seconds = os.environ.get("ONESTOP_SEALS_STALE_SECONDS") or getattr(settings, "SEALS_BATCH_STALE_SECONDS", 30)
    return dt.timedelta(seconds=float(seconds))


def _numbers(kind: str, n: int) -> list[str]:
    """A block of n consecutive document numbers, taken under the counter's row lock."""
    year = timezone.localdate().year
    counter, _ = DocumentCounter.objects.get_or_create(kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += n
    counter.save(update_fields=["last"])
    return [f"一件事〔{year}〕{actions.KIND_PREFIX[kind]}{i:06d}号" for i in range(first, first + n)]


def _batchable(actor: Account | None, seal_id: int, level: str) -> Seal:
    """A seal the caller may use that can seal unattended: platform-held, or a token whose PIN the platform
    has (SEALS_PIN_... environment variable); never an applicant's passphrase-protected seal."""
    seal = actions.seal_for(actor, seal_id)
    actions.require_usable(actor, seal)
    if seal.protection == KeyProtection.PASSPHRASE:
        raise Conflict("申请单位印章须由持有人输入口令逐份用印，不能后台批量用印。",
                       "An applicant's seal is unlocked only by its holder for each sealing; it cannot run in a batch.",
                       state="passphrase_protected")
    if seal.protection == KeyProtection.PKCS11 and not (seal.pkcs11_pin_env and os.environ.get(seal.pkcs11_pin_env)):
        raise Conflict("该硬件令牌印章未配置PIN环境变量，不能后台批量用印。",
                       "This token seal has no PIN in its environment variable, so it cannot seal in a batch.",
                       state="pin_not_configured")
    if level not in ("B-B", "B-T", "B-LT"):
        raise field_error("level", "签章级别无效。", "Unknown level.")
    return seal


def start_batch(actor: Account | None, *, seal_id: int, sheet: bytes, level: str = "B-LT") -> Batch:
    """开始批量签章: every row is validated first; one bad row rejects the whole sheet (nothing is sealed)."""
    seal = _batchable(actor, seal_id, level)
    rows = parse_appointments(sheet, max_rows=MAX_ROWS)
    with transaction.atomic():
        batch = Batch.objects.create(seal=seal, kind="appointment", level=level, created_by=actor, total=len(rows))
        numbers = _numbers("appointment", len(rows))
        BatchItem.objects.bulk_create(
            [BatchItem(batch=batch, row=r, number=num, data=data) for (r, data), num in zip(rows, numbers)],
            batch_size=500,
        )
        record(batch, "batch.created", actor, after={"seal": seal.pk, "total": len(rows), "level": level})
        from onestop.seals.tasks import run_batch_task

        transaction.on_commit(lambda: run_batch_task.enqueue(batch.pk))
    return batch


def _pick(refs: list[Any], seal: Seal) -> list[IssuedDocument]:
    """The issued documents named by id or number, each once, none already bearing `seal`; every bad
    reference named (`documents.<n>`, n from 1) and nothing started if there is one."""
    if not isinstance(refs, list) or not refs:
        raise field_error("documents", "请选择至少一份已签发文书。", "Pick at least one issued document.")
    if len(refs) > MAX_ROWS:
        raise field_error("documents", f"一批最多{MAX_ROWS}份。", f"At most {MAX_ROWS} documents per batch.")
    ids = [r for r in refs if isinstance(r, int) or (isinstance(r, str) and r.isdigit())]
    numbers = [r.strip() for r in refs if isinstance(r, str) and not r.isdigit()]
    found = {str(d.pk): d for d in IssuedDocument.objects.filter(pk__in=[int(i) for i in ids])}
    found.update({d.number: d for d in IssuedDocument.objects.filter(number__in=numbers)})
    already = set(IssuedDocument.objects.filter(pk__in=[d.pk for d in found.values()], seals=seal)
                  .values_list("pk", flat=True))
    docs, seen, errors = [], set(), {}
    for n, ref in enumerate(refs, start=1):
        doc = found.get(str(ref).strip()) if isinstance(ref, (int, str)) else None
        if doc is None:
            errors[f"documents.{n}"] = "no such issued document"
        elif doc.pk in seen:
            errors[f"documents.{n}"] = "picked twice"
        elif doc.pk in already:
            errors[f"documents.{n}"] = "already bears this seal"
        else:
            seen.add(doc.pk)
            docs.append(doc)
    if errors:
        raise InvalidInput("所选文书有误，未开始批量用印。", "Some picked documents cannot be sealed; nothing was started.",
                           fields=errors)
    return docs


def start_documents_batch(actor: Account | None, *, seal_id: int, documents: list[Any], level: str = "B-LT") -> Batch:
    """选取已签发文书批量加盖印章: e.g. the bureau's seal on documents an applicant already sealed. The same
    background runner as a spreadsheet batch (resumable, each document sealed exactly once, a zip and a
    report); every earlier signature stays valid (an incremental update)."""
    seal = _batchable(actor, seal_id, level)
    docs = _pick(documents, seal)
    kinds = {d.kind for d in docs}
    with transaction.atomic():
        batch = Batch.objects.create(seal=seal, source=BatchSource.DOCUMENTS, kind=kinds.pop() if len(kinds) == 1 else "",
                                     level=level, created_by=actor, total=len(docs))
        BatchItem.objects.bulk_create(
            [BatchItem(batch=batch, row=r, number=d.number, data={"document_id": d.pk, "kind": d.kind})
             for r, d in enumerate(docs, start=1)], batch_size=500)
        record(batch, "batch.created", actor, after={"seal": seal.pk, "total": len(docs), "level": level,
                                                     "source": BatchSource.DOCUMENTS})
        from onestop.seals.tasks import run_batch_task

        transaction.on_commit(lambda: run_batch_task.enqueue(batch.pk))
    return batch


def batch_for(actor: Account | None, pk: int) -> Batch:
    batch = Batch.objects.select_related("seal").filter(pk=pk).first()
    if batch is None or not (is_admin(actor) or batch.created_by_id == getattr(actor, "pk", None)):
        raise NotFound("batch", "批次")
    return batch


# --- the runner ---------------------------------------------------------------------------------------------


def _take(batch_id: int, token: str) -> bool:
    now = timezone.now()
    taken = (Batch.objects.filter(pk=batch_id).exclude(state=BatchState.DONE)
             .filter(Q(runner="") | Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True))
             .update(runner=token, heartbeat_at=now, state=BatchState.RUNNING))
    if taken:
        Batch.objects.filter(pk=batch_id, started_at__isnull=True).update(started_at=now)
        # claims of a runner that died go back to the pool
        BatchItem.objects.filter(batch_id=batch_id, state=ItemState.CLAIMED).exclude(claimed_by=token).update(
            state=ItemState.PENDING, claimed_by="", claimed_at=None)
    return bool(taken)


def _claim(batch_id: int, token: str, n: int = CHUNK) -> list[BatchItem]:
    with transaction.atomic():
        qs = BatchItem.objects.filter(batch_id=batch_id, state=ItemState.PENDING).order_by("row")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:n])
        BatchItem.objects.filter(pk__in=ids, state=ItemState.PENDING).update(
            state=ItemState.CLAIMED, claimed_by=token, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    return list(BatchItem.objects.filter(pk__in=ids, state=ItemState.CLAIMED, claimed_by=token).order_by("row"))


def item_path(number: str, token: str):
    """Where a runner writes an item's sealed file: unique per runner, so a taken-over runner's late write
    can never replace the file that the database records."""
    base = actions.document_path(number)
    return base.with_name(f"{base.stem}-{uuid.uuid5(uuid.NAMESPACE_OID, token).hex[:8]}.pdf")


def produce_item(engine, seal, kind: str, level: str, number: str, data: dict, token: str) -> tuple[str, str]:
    """Render, seal and write one document atomically (no database): (relative path, sha256)."""
    pdf = actions.produce(seal, kind, number, data, level=level, engine=engine)
    path = item_path(number, token)
    actions.write_atomically(path, pdf)
    return str(path.relative_to(actions.seals_dir())), hashlib.sha256(pdf).hexdigest()


def countersign_item(engine, batch: Batch, item: BatchItem, token: str) -> tuple[str, str, str]:
    """One more seal on an issued document, written atomically beside it (no database writes):
    (relative path, sha256, the sha256 it was sealed over). The file must still be what was issued."""
    doc = IssuedDocument.objects.get(pk=item.data["document_id"])
    current = (actions.seals_dir() / doc.path).read_bytes()
    if hashlib.sha256(current).hexdigest() != doc.sha256:
        raise ValueError("存档文件与登记的摘要不符 the archived file does not match its recorded SHA-256")
    slot = doc.seals.count()
    sealed = actions.seal_pdf(engine, current, level=batch.level, slot=slot, location=batch.seal.owner_name)
    path = actions.countersigned_path(doc.number, slot, uuid.uuid5(uuid.NAMESPACE_OID, token).hex[:8])
    actions.write_atomically(path, sealed)
    return str(path.relative_to(actions.seals_dir())), hashlib.sha256(sealed).hexdigest(), doc.sha256


def _fail(batch: Batch, item: BatchItem, token: str, error: str) -> None:
    if BatchItem.objects.filter(pk=item.pk, state=ItemState.CLAIMED, claimed_by=token).update(
            state=ItemState.FAILED, error=error):
        Batch.objects.filter(pk=batch.pk).update(failed=F("failed") + 1)


def _record_countersigned(batch: Batch, item: BatchItem, token: str, result: tuple[str, str, str]) -> None:
    """The document's new file, seal, use and audit event, and the item done, in one transaction; a
    document changed by someone else since it was read is not overwritten (the item fails, saying so)."""
    rel, sha, base = result
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().get(pk=item.data["document_id"])
        if doc.sha256 != base or doc.seals.filter(pk=batch.seal_id).exists():
            _fail(batch, item, token, "文书在用印期间已被更改 the document changed while it was being sealed")
            return
        if not BatchItem.objects.filter(pk=item.pk, state=ItemState.CLAIMED, claimed_by=token).update(
                state=ItemState.DONE, document=doc):
            return  # another runner took it over; our file is an unreferenced orphan
        before = {"sha256": doc.sha256, "path": doc.path}
        doc.sha256, doc.path = sha, rel
        doc.save(update_fields=["sha256", "path"])
        doc.seals.add(batch.seal)
        SealUse.objects.create(seal=batch.seal, account=batch.created_by, at=timezone.now(), document=doc,
                               batch=batch, sha256=sha)
        record(doc, "document.countersigned", batch.created_by, before=before,
               after={"sha256": sha, "seal": batch.seal_id, "batch": batch.pk})
        Batch.objects.filter(pk=batch.pk).update(done=F("done") + 1)


def _record(batch: Batch, item: BatchItem, token: str, result: tuple | BaseException) -> None:
    """Mark the item done (with its document, use and audit event) or failed, in one transaction."""
    if batch.source == BatchSource.DOCUMENTS and not isinstance(result, BaseException):
        _record_countersigned(batch, item, token, result)
        return
    with transaction.atomic():
        if isinstance(result, BaseException):
            if BatchItem.objects.filter(pk=item.pk, state=ItemState.CLAIMED, claimed_by=token).update(
                    state=ItemState.FAILED, error=str(getattr(result, "zh", "") or result) or repr(result)):
                Batch.objects.filter(pk=batch.pk).update(failed=F("failed") + 1)
            return
        if not BatchItem.objects.filter(pk=item.pk, state=ItemState.CLAIMED, claimed_by=token).update(
                state=ItemState.DONE):
            transaction.set_rollback(True)  # another runner took it over; our file is an unreferenced orphan
            return
        rel, sha = result
        doc = actions.store(batch.created_by, batch.seal, batch.kind, item.number, item.data, sha,
                            actions.seals_dir() / rel, batch=batch)
        BatchItem.objects.filter(pk=item.pk).update(document=doc)
        Batch.objects.filter(pk=batch.pk).update(done=F("done") + 1)


def _tsa_down(result: Any) -> bool:
    return isinstance(result, (TimestampUnavailable, actions.TimestampServiceDown))


def _one(engine, batch: Batch, item: BatchItem, token: str):
    if batch.source == BatchSource.DOCUMENTS:
        return countersign_item(engine, batch, item, token)
    return produce_item(engine, batch.seal, batch.kind, batch.level, item.number, item.data, token)


def _seal_items(batch: Batch, items: list[BatchItem], token: str, pool) -> str:
    """Seal and record a chunk. Returns "" or, when the time-stamp service gave no usable token, its error:
    the items it hit go back to the pool untouched (they are not failures of their rows)."""
    if pool is not None:
        results = pool.run([(i.number, i.data) for i in items], token)
    else:
        results = []
        # once per chunk: picks up a new CRL, costs no query per item; a token's session is closed after
        with keystore.engine(batch.seal) as engine:
            for i in items:
                try:
                    results.append(_one(engine, batch, i, token))
                except Exception as exc:  # a row that cannot be sealed is reported, the batch goes on
                    results.append(exc)
                    if _tsa_down(exc):
                        break
    tsa_error = ""
    for item, result in zip(items, results):
        if _tsa_down(result):
            tsa_error = tsa_error or str(getattr(result, "en", "") or result)
            continue
        _record(batch, item, token, result)
    leftover = [i.pk for i, r in zip(items, results) if _tsa_down(r)] + [i.pk for i in items[len(results):]]
    if leftover:
        BatchItem.objects.filter(pk__in=leftover, state=ItemState.CLAIMED, claimed_by=token).update(
            state=ItemState.PENDING, claimed_by="", claimed_at=None)
    return tsa_error


def _fail_rest(batch_id: int, reason: str) -> None:
    """Every item not yet sealed fails with `reason` (e.g. the seal was revoked mid-batch)."""
    with transaction.atomic():
        n = BatchItem.objects.filter(batch_id=batch_id, state=ItemState.PENDING).update(
            state=ItemState.FAILED, error=reason)
        Batch.objects.filter(pk=batch_id).update(failed=F("failed") + n)


def _beat(batch_id: int, token: str) -> bool:
    return bool(Batch.objects.filter(pk=batch_id, runner=token).update(heartbeat_at=timezone.now()))


def run_batch(batch_id: int) -> str:
    """Seal every pending item of the batch; safe to call from any number of workers at once."""
    token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not _take(batch_id, token):
        return "busy"
    batch = Batch.objects.select_related("seal", "created_by").get(pk=batch_id)
    record(batch, "batch.runner_started", None, after={"runner": token, "done": batch.done})
    left = BatchItem.objects.filter(batch_id=batch_id, state=ItemState.PENDING).count()
    with parallel.SealPool.for_batch(batch, left) as pool:
        while True:
            batch.seal.refresh_from_db(fields=["revoked_at"])
            if batch.seal.revoked_at is not None:
                _fail_rest(batch_id, "印章已被吊销 the seal was revoked")
            items = _claim(batch_id, token, CHUNK * (pool.size if pool else 1))
            if not items:
                break
            tsa_error = _seal_items(batch, items, token, pool)
            if tsa_error:
                # stop without finishing: the heartbeat goes stale and periodic.resume_stale_batches retries
                Batch.objects.filter(pk=batch_id, runner=token).update(error=tsa_error[:1000])
                record(batch, "batch.paused", None, after={"runner": token, "error": tsa_error[:300]})
                return "tsa_unavailable"
            if not _beat(batch_id, token):
                return "lost"
    if BatchItem.objects.filter(batch_id=batch_id, state__in=[ItemState.PENDING, ItemState.CLAIMED]).exists():
        return "lost"
    finish(batch_id, token)
    return "done"


def finish(batch_id: int, token: str) -> None:
    """Zip every sealed document and mark the batch done."""
    path = actions.seals_dir() / "batches" / f"batch-{batch_id}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:
        for row, number, doc_path, name in BatchItem.objects.filter(
                batch_id=batch_id, state=ItemState.DONE).values_list(
                "row", "document__number", "document__path", "data__name").order_by("row"):
            zf.write(actions.seals_dir() / doc_path, f"{row:05d}-{name or number}.pdf")
        zf.writestr("failures.csv", failure_csv(batch_id))
    os.replace(tmp, path)
    with transaction.atomic():
        if Batch.objects.filter(pk=batch_id, runner=token).update(
                state=BatchState.DONE, finished_at=timezone.now(), error="",
                zip_path=str(path.relative_to(actions.seals_dir()))):
            batch = Batch.objects.get(pk=batch_id)
            record(batch, "batch.finished", None, after={"done": batch.done, "failed": batch.failed})


def failures(batch_id: int) -> list[dict[str, Any]]:
    return [{"row": r, "number": n, "name": (d or {}).get("name"), "error": e} for r, n, d, e in
            BatchItem.objects.filter(batch_id=batch_id, state=ItemState.FAILED)
            .values_list("row", "number", "data", "error").order_by("row")]


def failure_csv(batch_id: int) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["row", "number", "name", "error"])
    for f in failures(batch_id):
        w.writerow([f["row"], f["number"], f["name"], f["error"]])
    return buf.getvalue()


def progress(batch: Batch) -> dict[str, Any]:
    """done / total, documents per second, seconds left."""
    now = timezone.now()
    processed = batch.done + batch.failed
    elapsed = ((batch.finished_at or now) - batch.started_at).total_seconds() if batch.started_at else 0.0
    rate = processed / elapsed if elapsed > 0 else 0.0
    left = (batch.total - processed) / rate if rate > 0 else None
    stale = batch.state == BatchState.RUNNING and batch.heartbeat_at and batch.heartbeat_at < now - stale_after()
    return {"id": batch.pk, "state": batch.state, "total": batch.total, "done": batch.done, "failed": batch.failed,
            "percent": round(100 * processed / batch.total, 1) if batch.total else 100.0,
            "docs_per_second": round(rate, 1), "seconds_left": round(left, 1) if left is not None else None,
            "stalled": bool(stale), "zip_ready": bool(batch.zip_path), "source": batch.source,
            "error": batch.error or None}


def resume_stale() -> list[int]:
    """Re-enqueue every running batch whose runner stopped beating (one enqueue per stale heartbeat)."""
    from onestop.seals.tasks import run_batch_task

    resumed = []
    limit = timezone.now() - stale_after()
    for pk, beat in Batch.objects.filter(state=BatchState.RUNNING, heartbeat_at__lt=limit).values_list(
            "pk", "heartbeat_at"):
        with transaction.atomic():
            if Batch.objects.filter(pk=pk, heartbeat_at=beat).update(runner="", heartbeat_at=timezone.now()):
                record(("seals.Batch", pk), "batch.resumed", None, after={"stale_since": beat.isoformat()})
                transaction.on_commit(lambda pk=pk: run_batch_task.enqueue(pk))
                resumed.append(pk)
    return resumed
