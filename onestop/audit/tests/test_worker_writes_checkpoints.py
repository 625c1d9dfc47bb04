"""`onestop worker` (a real process) writes audit checkpoints on its own once something was written."""
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from onestop.audit.actions import record
from onestop.audit.models import Checkpoint


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_process_checkpoints_chains_that_moved():
    record(("x.Thing", "1"), "test.changed", None, after={"v": 1})
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "onestop.settings"}
    worker = subprocess.Popen([sys.executable, "-m", "onestop.cli", "worker", "-v", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not Checkpoint.objects.exists():
            time.sleep(0.2)
        assert Checkpoint.objects.count() == 1, worker.stdout.read1().decode() if worker.poll() is not None else ""
        assert list(Checkpoint.objects.get().heads.values())[0][0] == 1
    finally:
        worker.terminate()
        worker.wait(timeout=10)
