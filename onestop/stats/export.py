"""The statistics as an Excel workbook (报表): one sheet of the headline figures, one per breakdown."""
from __future__ import annotations

from io import BytesIO
from typing import Any


def xlsx(figures: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    apps, sat, time, trips, aid = (figures[k] for k in ("applications", "satisfaction", "time", "trips", "help"))
    period = f"{figures['period']['date_from']} — {figures['period']['date_to']}"
    wb = Workbook()
    sheets = [
        ("概况 Summary", ["指标 Figure", "数值 Value"], [
            ["统计期间 Period", period],
            ["地区 Area", figures["area"] or "全部 All"],
            ["受理办件 Applications received", apps["received"]],
            ["办结出件 Applications issued", apps["issued"]],
            ["新设立企业 Enterprises registered", figures["enterprises"]["registered"]],
            ["评价数 Ratings", sat["ratings"]],
            ["满意率 Satisfaction (%)", _number(sat["rate"])],
            ["平均得分 Mean score", _number(sat["mean_score"])],
            ["法定时限合计(天) Legal days", time["legal_days"]],
            ["实际用时(天) Days used", time["used_days"]],
            ["节省时间(天) Days saved", time["saved_days"]],
            ["提速率 Share saved (%)", _number(time["saved_rate"])],
            ["承诺时限内办结 Within the promise", time["within_promise"]],
            ["少跑腿(次) Trips saved", trips["saved"]],
            ["帮办代办请求 Help requests raised", aid["help_raised"]],
            ["帮办代办办结 Help requests done", aid["help_done"]],
            ["企业诉求 Demands raised", aid["demands_raised"]],
            ["诉求解决 Demands resolved", aid["demands_resolved"]],
        ]),
        ("月度 By month", ["月份 Month", "受理 Received"], [[r["month"], r["count"]] for r in apps["by_month"]]),
        ("渠道 By channel", ["渠道 Channel", "受理 Received"], [[r["label"], r["count"]] for r in apps["by_channel"]]),
        ("事项 By matter", ["事项或阶段 Matter or stage", "受理 Received"], [[r["name"], r["count"]] for r in apps["by_item"]]),
        ("评价 Ratings", ["等级 Level", "条数 Count"], [[r["label"], r["count"]] for r in sat["by_level"]]),
        ("亮灯 Lights", ["部门 Department", "绿灯 Green", "黄灯 Yellow", "红灯 Red", "暂停 Paused"],
         [[r["department"], r["green"], r["yellow"], r["red"], r["paused"]] for r in figures["lights"]]),
    ]
    for k, (title, header, rows) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 36
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
