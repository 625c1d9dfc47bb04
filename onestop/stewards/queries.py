"""The read side of the steward's work: the steward's home, a project's group, plan and table, exports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from onestop.enterprises.models import Project
from onestop.org.models import Account
from onestop.lights.queries import inbox, project_light
from onestop.stewards import access
from onestop.stewards.models import Assignment, Message, Receipt, Milestone, StewardRole, WorkItem, WorkState
from onestop.stewards.plan_actions import week_bounds


def my_projects(actor: Account) -> QuerySet:
    """The projects the caller stewards now (lead or helper)."""
    from django.db.models import Q

    helped = Assignment.objects.filter(steward=actor, until__isnull=True).values("project_id")
    return Project.objects.filter(Q(lead_steward=actor) | Q(pk__in=helped)).select_related("investor", "bundle")


def current_stewards(project_ids: set[int]) -> dict[int, list[int]]:
    """Every steward assigned now (lead or helper) per project: for the light sweep's red notices, which
    lights finds through `lights.subjects.register_steward_source` (see `apps`)."""
    found: dict[int, list[int]] = {}
    rows = Assignment.objects.filter(project_id__in=project_ids, until__isnull=True, steward__is_active=True)
    for project_id, steward_id in rows.order_by("project_id", "since", "id").values_list("project_id", "steward_id"):
        found.setdefault(project_id, []).append(steward_id)
    return found


@dataclass
class HomeRow:
    project: Project
    light: str | None
    open_items: int
    unread: int


def steward_home(actor: Account, now: datetime | None = None) -> dict:
    """A steward's home: projects with lights, what waits on whom, what is due this week, unread notices.

    A project's light is `lights.queries.project_light`, the same the lights API and board show.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday, sunday = week_bounds(today)
    projects = list(my_projects(actor))
    ids = [p.pk for p in projects]
    open_items = WorkItem.objects.filter(project_id__in=ids).exclude(state=WorkState.DONE)
    counts = dict(open_items.values_list("project_id").annotate(n=Count("id")).values_list("project_id", "n"))
    unread = dict(Message.objects.filter(project_id__in=ids).exclude(author=actor).exclude(receipts__reader=actor)
                  .values_list("project_id").annotate(n=Count("id")).values_list("project_id", "n"))
    rows = [HomeRow(p, project_light(p, now), counts.get(p.pk, 0), unread.get(p.pk, 0)) for p in projects]
    waiting: dict[str, list[WorkItem]] = {}
    for item in open_items.select_related("owner", "department", "project"):
        who = str(item.owner or item.department)
        waiting.setdefault(who, []).append(item)
    due_items = open_items.filter(deadline__lte=sunday).select_related("project", "owner", "department")
    due_milestones = (Milestone.objects.filter(project_id__in=ids, actual_end__isnull=True, planned_end__lte=sunday)
                      .select_related("project"))
    return {"rows": rows, "waiting": sorted(waiting.items()), "due_items": list(due_items),
            "due_milestones": list(due_milestones), "week": (monday, sunday),
            # the platform's one inbox (lights): read here or there, it is the same notice
            "notifications": inbox(actor, unread_only=True).select_related("project")[:20]}


def stewards_of(project: Project) -> dict:
    """Current lead and helpers, and the whole history."""
    rows = list(Assignment.objects.filter(project=project).select_related("steward", "assigned_by")
                .order_by("-since", "-id"))
    current = [r for r in rows if r.until is None]
    return {"lead": next((r.steward for r in current if r.role == StewardRole.LEAD), project.lead_steward),
            "helpers": [r.steward for r in current if r.role == StewardRole.HELPER], "history": rows}


def thread(actor: Account, project_id: int, after: int | None = None) -> tuple[Project, list[Message]]:
    """The project's messages (visible only to its group), with authors, mentions and receipts."""
    project = access.project_for(actor, project_id)
    qs = (Message.objects.filter(project=project).select_related("author").defer("attachment_data")
          .prefetch_related("mentions", Prefetch("receipts", queryset=Receipt.objects.select_related("reader"),
                                                          to_attr="receipt_list")))
    if after:
        qs = qs.filter(pk__gt=after)
    return project, list(qs)


def attachment(actor: Account, message_id: int) -> Message:
    from onestop.errors import NotFound

    pid = Message.objects.filter(pk=message_id).values_list("project_id", flat=True).first()
    if pid is None:
        raise NotFound("attachment", "附件")
    access.project_for(actor, pid)
    message = Message.objects.get(pk=message_id)
    if not message.attachment_name:
        raise NotFound("attachment", "附件")
    return message


def plan(actor: Account, project_id: int) -> tuple[Project, list[Milestone]]:
    project = access.project_for(actor, project_id)
    return project, list(project.milestones.select_related("owner", "department").prefetch_related("depends_on"))


def work_items(actor: Account, project_id: int) -> tuple[Project, list[WorkItem]]:
    project = access.project_for(actor, project_id)
    return project, list(project.work_items.select_related("owner", "department"))


def work_items_xlsx(project: Project, items: list[WorkItem], today: date) -> bytes:
    """The division-of-labour table as an Excel workbook (分工明细表)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "分工明细表"
    ws.append([f"{project.name}（{project.code}）分工明细表", "", "", "", "", f"导出日期 {today:%Y-%m-%d}"])
    ws.append(["序号", "任务 Task", "责任部门 Department", "责任人 Owner", "完成时限 Deadline", "状态 State", "备注 Note"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for n, item in enumerate(items, 1):
        ws.append([n, item.title, item.department.name if item.department else "", str(item.owner or ""),
                   item.deadline, item.get_state_display(), item.note])
        ws.cell(row=n + 2, column=5).number_format = "yyyy-mm-dd"
    for col, w in zip("ABCDEFG", (6, 40, 24, 14, 14, 10, 30)):
        ws.column_dimensions[col].width = w
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
