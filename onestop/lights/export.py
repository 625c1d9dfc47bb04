"""The overdue ledger as an Excel workbook (挂账销号台账), with openpyxl."""
from __future__ import annotations

from io import BytesIO
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from onestop.worktime.clock import SHANGHAI

from .models import LedgerEntry

HEADERS = ["编号 No.", "事项 Item", "部门 Department", "责任人 Responsible", "状态 State", "挂账时间 Opened",
           "超期时点 Deadline passed", "次数 Episodes", "原因 Reason", "整改措施 Remedy", "销号说明 Resolution",
           "销号人 Closed by", "销号时间 Closed at"]


def _when(at) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at else ""


def _name(a) -> str:
    return (a.display_name or a.username) if a else ""


def ledger_xlsx(entries: Iterable[LedgerEntry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "挂账销号"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in entries:
        ws.append([e.number, e.title, e.department.name if e.department else "", _name(e.responsible),
                   e.get_state_display(), _when(e.opened_at), _when(e.due_at), e.episodes, e.reason, e.remedy,
                   e.resolution, _name(e.closed_by), _when(e.closed_at)])
    for col, width in zip("ABCDEFGHIJKLM", (10, 36, 20, 12, 10, 17, 17, 8, 30, 30, 30, 12, 17)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
