"""Two loads into fresh databases give identical data, whatever the process's hash seed or the engine."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onestop.demo import loader

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from onestop.demo import loader
loader.load()
print(loader.digest())
"""


def _fresh_sqlite_load(var_dir: Path, hash_seed: int) -> subprocess.Popen:
    """Migrate a new SQLite database in its own process (its own PYTHONHASHSEED) and load the demo."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ONESTOP_VAR=str(var_dir), PYTHONHASHSEED=str(hash_seed))
    return subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.django_db
def test_fresh_databases_get_the_same_demo(tmp_path):
    runs = [_fresh_sqlite_load(tmp_path / f"db{seed}", seed) for seed in (1, 2)]
    loader.load()  # this test database: SQLite or PostgreSQL, this process's hash seed
    here = loader.digest()
    digests = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        digests.append(out.strip().splitlines()[-1])
    assert digests[0] == digests[1] == here


@pytest.mark.django_db
def test_digest_changes_when_a_row_changes():
    from onestop.enterprises.models import Project

    loader.load()
    before = loader.digest()
    Project.objects.filter(name="青钢小镇明渠迁改工程").update(investment="468.00")
    assert loader.digest() != before
