"""The project's route (办理路径, "一次上门、全面讲解"): what the steward hands over on the first visit.

Generated from the catalogue for the project's bundle (一件事): the stages in order, the matters of each
(handled in parallel), their departments, promised and legal limits, the materials with what may come
later (容缺) or be replaced by a signed commitment (告知承诺), and the expected dates on the official
calendar: a stage starts the working day after the previous one ends and lasts its promised limit. A
project whose land is certified skips nothing but is marked 拿地即开工 (construction may start on the day).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from django.utils import timezone

from onestop.enterprises.models import Project, ProjectStage
from onestop.worktime import workdays

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "WenQuanYiZenHei"
#: the bundle's stage names as the project's stages (the project-landing bundle of MISSION.md)
STAGE_OF = {"项目立项": ProjectStage.APPROVAL, "企业登记注册": ProjectStage.REGISTRATION,
            "建设施工": ProjectStage.CONSTRUCTION, "竣工验收": ProjectStage.ACCEPTANCE}
ORDER = list(ProjectStage.values)


def _passed(project: Project, stage_name: str) -> bool:
    mapped = STAGE_OF.get(stage_name)
    return mapped is not None and ORDER.index(mapped) < ORDER.index(project.stage)


@dataclass
class RouteMaterial:
    name: str
    required: bool
    may_defer: bool
    may_commit: bool
    note: str


@dataclass
class RouteMatter:
    code: str
    name: str
    department: str
    promised_limit: int
    legal_limit: int
    limit_unit: str
    expected_done: date
    legal_basis: str
    materials: list[RouteMaterial] = field(default_factory=list)


@dataclass
class RouteStage:
    position: int
    name: str
    promised_limit: int
    limit_unit: str
    expected_start: date
    expected_end: date | None
    matters: list[RouteMatter] = field(default_factory=list)
    done: bool = False  # a stage the project has already passed (its stage is later)


@dataclass
class Route:
    project: Project
    bundle: str
    start: date
    stages: list[RouteStage]
    notes: list[str]
    provisional: bool

    @property
    def expected_end(self) -> date | None:
        return self.stages[-1].expected_end if self.stages else None


def build(project: Project, start: date | None = None) -> Route:
    """The route from `start` (default today); empty stages when the project has no bundle."""
    cal = workdays.current()
    start = start or timezone.localdate()
    stages: list[RouteStage] = []
    notes: list[str] = []
    day = start
    if project.bundle_id is None:
        notes.append("该项目尚未选定“一件事”套餐，请管家先选定。 / The project has no bundle yet.")
        return Route(project, "", start, [], notes, False)
    for stage in project.bundle.stages.prefetch_related("matters__materials", "matters__department").order_by("position"):
        if _passed(project, stage.name):
            stages.append(RouteStage(stage.position, stage.name, stage.promised_limit, stage.limit_unit, None, None,
                                     done=True))
            continue
        end = cal.add(day, stage.promised_limit, stage.limit_unit)
        first = day if not any(not s.done for s in stages) else cal.add_workdays(day, 1)
        if not cal.is_workday(first):
            first = cal.roll(first)
        rs = RouteStage(stage.position, stage.name, stage.promised_limit, stage.limit_unit, min(first, end), end)
        for matter in sorted(stage.matters.all(), key=lambda m: m.code):
            rs.matters.append(RouteMatter(
                matter.code, matter.name, matter.department.name, matter.promised_limit, matter.legal_limit,
                matter.limit_unit, cal.add(day, matter.promised_limit, matter.limit_unit), matter.legal_basis,
                [RouteMaterial(m.name, m.required, m.may_defer, m.may_commit, m.note)
                 for m in sorted(matter.materials.all(), key=lambda m: m.position)],
            ))
        stages.append(rs)
        day = end
    if project.land_status == "certified":
        notes.append("已取得不动产权证：拿地即开工，施工许可可与用地手续同日办结。")
    notes.append("标“容缺”的材料可先受理后补交；标“承诺”的材料可由申请人签署告知承诺书代替。")
    notes.append("日期按法定工作日推算（含调休），为预计日期，以实际受理为准。")
    if any(s.done for s in stages):
        notes.append("已完成的阶段不再列出办理日期，预计日期自当前阶段起算。")
    provisional = bool(stages) and stages[-1].expected_end is not None and cal.provisional(start, stages[-1].expected_end)
    if provisional:
        notes.append("部分日期所在年度的节假日安排尚未发布，日期为暂定。")
    return Route(project, project.bundle.name, start, stages, notes, provisional)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))
    return FONT_NAME


def pdf(route: Route) -> bytes:
    """The route as a PDF in Chinese, the CJK font embedded as a subset (reportlab)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=6)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"{route.project.name} 办理路径", author="OneStop")
    p = route.project
    story = [Paragraph(f"{p.name} · 项目办理路径", title),
             Paragraph(f"项目编号：{p.code}　投资主体：{p.investor.name}　“一件事”：{route.bundle or '—'}", body),
             Paragraph(f"牵头管家：{p.lead_steward or '—'}　起算日期：{route.start:%Y-%m-%d}　"
                       f"预计完成：{route.expected_end or '—'}", body)]
    for stage in route.stages:
        if stage.done:
            story.append(Paragraph(f"第{stage.position}阶段　{stage.name}（已完成）", head))
            continue
        story.append(Paragraph(f"第{stage.position}阶段　{stage.name}（承诺{stage.promised_limit}个工作日，"
                               f"预计 {stage.expected_start:%Y-%m-%d} 至 {stage.expected_end:%Y-%m-%d}）", head))
        rows = [[Paragraph(x, body) for x in ("事项", "部门", "承诺/法定时限", "预计办结", "材料（容缺/承诺）")]]
        for m in stage.matters:
            mats = "；".join(
                m2.name + ("（容缺）" if m2.may_defer else "") + ("（承诺）" if m2.may_commit else "")
                + ("" if m2.required else "（非必需）") for m2 in m.materials) or "—"
            rows.append([Paragraph(f"{m.name}<br/>{m.code}", body), Paragraph(m.department, body),
                         Paragraph(f"{m.promised_limit}/{m.legal_limit}", body),
                         Paragraph(f"{m.expected_done:%Y-%m-%d}", body), Paragraph(mats, body)])
        table = Table(rows, colWidths=[45 * mm, 30 * mm, 20 * mm, 22 * mm, 63 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("说明", head))
    story.extend(Paragraph(f"· {n}", body) for n in route.notes)
    doc.build(story)
    return out.getvalue()
