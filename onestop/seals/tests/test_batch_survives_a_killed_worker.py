"""SIGKILL a real `onestop worker` in the middle of a thousand-document batch, start another: every document
is sealed exactly once and valid."""
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from onestop.seals import actions, batch
from onestop.seals.models import Batch, BatchItem, IssuedDocument, ItemState, SealUse
from onestop.seals.sheet import make_sheet, sample_rows

ROWS = 1000


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(var: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "onestop.settings",
           "ONESTOP_VAR": str(var), "ONESTOP_SEALS_STALE_SECONDS": "2"}
    return subprocess.Popen([sys.executable, "-m", "onestop.cli", "worker", "-v", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(predicate, batch_id: int, stalled_after: float = 120) -> bool:
    """Wait until `predicate()`, as long as the batch keeps moving (a loaded machine is slow, not broken)."""
    last, moved_at = -1, time.monotonic()
    while time.monotonic() - moved_at < stalled_after:
        if predicate():
            return True
        done = Batch.objects.get(pk=batch_id).done
        if done != last:
            last, moved_at = done, time.monotonic()
        time.sleep(0.2)
    return False


def _valid(path: str, root_pem: str) -> bool:
    from onestop.seals.signing import quick_verify

    return quick_verify(Path(path).read_bytes(), root_pem)


@pytest.mark.django_db(transaction=True)
def test_killed_worker_mid_batch_every_document_sealed_once_and_valid(clerk, seal, settings, tmp_path):
    settings.SEALS_DIR = str(tmp_path / "seals")
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(ROWS)), level="B-B")
    t0 = time.monotonic()
    first = start_worker(tmp_path)
    try:
        assert wait_for(lambda: Batch.objects.get(pk=b.pk).done >= 150, b.pk), "the first worker sealed nothing"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = Batch.objects.get(pk=b.pk).done
        # rows the dead worker had claimed and not finished: the second worker must take them over
        in_flight = set(BatchItem.objects.filter(batch=b, state=ItemState.CLAIMED).values_list("pk", flat=True))
        print("killed at", killed_at, "in flight", len(in_flight), time.monotonic() - t0)
        assert killed_at < ROWS
    finally:
        if first.poll() is None:
            first.kill()
    second = start_worker(tmp_path)
    try:
        assert wait_for(lambda: Batch.objects.get(pk=b.pk).state == "done", b.pk), batch.progress(Batch.objects.get(pk=b.pk))
    finally:
        second.terminate()
        second.wait(timeout=20)

    print("done", time.monotonic() - t0)
    b.refresh_from_db()
    assert (b.done, b.failed) == (ROWS, 0)
    assert BatchItem.objects.filter(batch=b, state="done", document__isnull=False).count() == ROWS
    docs = IssuedDocument.objects.filter(batch=b)
    assert docs.count() == ROWS and docs.values("number").distinct().count() == ROWS
    assert not SealUse.objects.filter(batch=b).values("document").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert SealUse.objects.filter(batch=b).count() == ROWS
    # whether the kill caught rows in flight depends on timing; those it caught were sealed on a second attempt
    taken_over = set(BatchItem.objects.filter(batch=b, attempts__gt=1).values_list("pk", flat=True))
    assert in_flight <= taken_over
    # every archived file is the one recorded (sha256) and carries a valid, trusted signature (pyHanko)
    import hashlib

    from onestop.seals import keystore

    root_pem = keystore.authority().root_cert_pem
    paths = []
    for doc in docs:
        data = (actions.seals_dir() / doc.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        paths.append(str(actions.seals_dir() / doc.path))
    with ProcessPoolExecutor(os.cpu_count() or 2, mp_context=get_context("fork")) as pool:  # files only, no DB
        results = list(pool.map(_valid, paths, [root_pem] * len(paths), chunksize=50))
    bad = [p for p, ok in zip(paths, results) if not ok]
    assert not bad, bad[:3]
