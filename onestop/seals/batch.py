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
from onestop.seals.models import Batch, BatchItem, BatchState, DocumentCounter, ItemState, KeyProtection
from onestop.seals.sheet import parse_appointments

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


def start_batch(actor: Account | None, *, seal_id: int, sheet: bytes, level: str = "B-LT") -> Batch:
    """开始批量签章: every row is validated first; one bad row rejects the whole sheet (nothing is sealed)."""
    seal = actions.seal_for(actor, seal_id)
    actions.require_usable(actor, seal)
    if seal.protection != KeyProtection.PLATFORM:
        raise Conflict("申请单位印章须由持有人输入口令逐份用印，不能后台批量用印。",
                       "An applicant's seal is unlocked only by its holder for each sealing; it cannot run in a batch.",
                       state="passphrase_protected")
    if level not in ("B-B", "B-T", "B-LT"):
        raise field_error("level", "签章级别无效。", "Unknown level.")
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


def _record(batch: Batch, item: BatchItem, token: str, result: tuple[str, str] | BaseException) -> None:
    """Mark the item done (with its document, use and audit event) or failed, in one transaction."""
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


def _seal_items(batch: Batch, items: list[BatchItem], token: str, pool) -> None:
    if pool is not None:
        results = pool.run([(i.number, i.data) for i in items], token)
    else:
        engine = keystore.engine(batch.seal)  # once per chunk: picks up a new CRL, costs no query per item
        results = []
        for i in items:
            try:
                results.append(produce_item(engine, batch.seal, batch.kind, batch.level, i.number, i.data, token))
            except Exception as exc:  # a row that cannot be sealed is reported, the batch goes on
                results.append(exc)
    for item, result in zip(items, results):
        _record(batch, item, token, result)


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
            _seal_items(batch, items, token, pool)
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
                state=BatchState.DONE, finished_at=timezone.now(), zip_path=str(path.relative_to(actions.seals_dir()))):
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
            "stalled": bool(stale), "zip_ready": bool(batch.zip_path)}


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
