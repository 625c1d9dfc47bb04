"""Seals test fixtures: a bureau with a personnel seal, a clerk allowed to use it, files under a temp dir, and
an NSS database trusting the platform root for poppler's `pdfsig`."""
import subprocess
from pathlib import Path

import pytest

from onestop import testing
from onestop.seals import actions, keystore


@pytest.fixture(autouse=True)
def _seal_files(settings, tmp_path):
    settings.SEALS_DIR = str(tmp_path / "seals")


@pytest.fixture
def admin(db):
    return testing.account("administrator")


@pytest.fixture
def bureau(places):
    return testing.department(places["district"], name="青岛西海岸新区人力资源和社会保障局", code="HRSS")


@pytest.fixture
def seal(admin, bureau):
    return actions.create_seal(admin, kind="personnel", department=bureau.pk)


@pytest.fixture
def clerk(admin, seal, bureau):
    user = testing.account("approver", department=bureau)
    actions.grant_use(admin, seal.pk, user.pk)
    return user


APPOINTMENT = {"name": "张三", "unit": "青岛西海岸新区第一中学", "post": "专业技术岗位", "grade": "十级",
               "start": "2026年1月1日", "end": "2028年12月31日"}


@pytest.fixture
def nssdir(tmp_path, db):
    d = tmp_path / "nss"
    d.mkdir()
    root = tmp_path / "root.pem"
    root.write_text(keystore.authority().root_cert_pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{d}", "-n", "onestop-root", "-t", "CT,C,C", "-i", str(root)],
                   check=True)
    return d


def pdfsig(path: Path, nssdir: Path) -> str:
    return subprocess.run(["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)], capture_output=True, text=True).stdout
