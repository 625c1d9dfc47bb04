from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from onestop.approvals.builders import build

SH = ZoneInfo("Asia/Shanghai")


def day(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def w(db):
    return build()
