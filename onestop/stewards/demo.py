"""A few months of steward history for the demo, so the ranking page and the timelines are not empty.

`load_history(months=3)` walks every project that has a lead steward and writes, through the real actions
(so every row is audited and every clock replayable): the lead's assignment row (and a helper on every
third project), liaison-group messages, a battle plan of four milestones (some done on time, some late,
the last open), a division-of-labour table, and for each month: rated services (kind "other", so they never
collide with the applications the approvals app registers), bad ratings with follow-ups mostly answered and
rated, a supervisor's return visit and moderated public comments. Deterministic for a given `today` and
`seed`; a second call writes nothing.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from onestop.enterprises.models import Project
from onestop.feedback import actions as feedback
from onestop.feedback.models import Service, ServiceKind
from onestop.org import access as org_access
from onestop.org.models import Account, Role
from onestop.stewards import actions, plan_actions
from onestop.stewards.models import Assignment, WorkState
from onestop.worktime.clock import SHANGHAI

ENTERPRISE_LINES = ("请问本周能否安排现场踏勘？", "补正材料已上传，请查收。", "施工图审查进度如何？",
                    "用地规划许可证何时可以领取？", "感谢管家协调，问题已解决。", "消防设计审查需要准备哪些材料？")
STEWARD_LINES = ("已与规划部门沟通，预计三个工作日内出具意见。", "材料已收到，明天上午送审。", "下周二组织联合踏勘，请安排人员到场。",
                 "容缺材料请在承诺期限内补齐。", "已加入分工表，由自然资源所跟进。", "施工许可已进入并联审批。")
COMMENTS = {"positive": ("管家服务热情，办事效率高。", "一次上门讲清全部流程，省心。"),
            "neutral": ("整体还可以，个别环节等待较久。",), "negative": ("沟通不够及时。",)}
WORK = ("出具规划设计条件", "组织联合踏勘", "办理用地规划许可", "施工图联合审查", "协调水电接入", "办理施工许可")
LEVELS = (("very_satisfied", 50), ("satisfied", 30), ("basic", 10), ("dissatisfied", 7), ("very_dissatisfied", 3))
SENTIMENTS = (("positive", 70), ("neutral", 20), ("negative", 10))
HISTORY_REF_BASE = 9_000_000


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _month_starts(today: date, months: int) -> list[date]:
    first = date(today.year, today.month, 1)
    out = []
    for _ in range(months):
        first = date.fromordinal(first.toordinal() - 1).replace(day=1)
        out.append(first)
    return sorted(out)


def _supervisor_for(project: Project, supervisors: list[Account]) -> Account | None:
    inside = [s for s in supervisors if org_access.in_area(s, project.place)]
    return max(inside, key=lambda s: len(s.place.path)) if inside else None


def load_history(*, months: int = 3, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Write `months` months of history before `today` (default: the local date); idempotent."""
    today = today or timezone.localdate()
    counts = {"projects": 0, "messages": 0, "milestones": 0, "work_items": 0, "ratings": 0, "visits": 0,
              "comments": 0}
    with transaction.atomic():
        projects = list(Project.objects.filter(lead_steward__isnull=False).select_related("place", "bundle", "investor")
                        .order_by("code"))
        if not projects or Assignment.objects.filter(project__in=projects).exists():
            return counts
        supervisors = list(Account.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related("place"))
        stewards = list(Account.objects.filter(role=Role.STEWARD, is_active=True).order_by("username"))
        starts = _month_starts(today, months)
        for n, project in enumerate(projects):
            rng = random.Random(f"{seed}:{project.code}")
            supervisor = _supervisor_for(project, supervisors)
            user = Account.objects.filter(role__in=[Role.ENTERPRISE, Role.EMPLOYER_UNIT], is_active=True,
                                          organisation_id=project.investor_id).order_by("username").first()
            if supervisor is None or user is None:
                continue
            counts["projects"] += 1
            _project_history(project, n, rng, supervisor, user, stewards, starts, today, counts)
    return counts


def _project_history(project: Project, n: int, rng: random.Random, supervisor: Account, user: Account,
                     stewards: list[Account], starts: list[date], today: date, counts: dict[str, int]) -> None:
    lead = project.lead_steward
    actions.assign_lead(supervisor, project.pk, lead.pk, at=_at(starts[0], 9), reason="演示数据：指派牵头管家")
    helpers = [s for s in stewards if s.pk != lead.pk]
    if n % 3 == 0 and helpers:
        actions.add_helper(supervisor, project.pk, rng.choice(helpers).pk, at=_at(starts[0], 9) + timedelta(hours=1))
    _plan(project, rng, lead, starts[0], today, counts)
    for month_start in starts:
        _month(project, rng, supervisor, user, lead, month_start, today, counts)


def _plan(project: Project, rng: random.Random, lead: Account, start: date, today: date, counts: dict) -> None:
    names = [s.name for s in project.bundle.stages.order_by("position")] if project.bundle_id else []
    names = (names or ["项目立项", "企业登记注册", "建设施工", "竣工验收"])[:4]
    previous = None
    day = start + timedelta(days=3)
    for name in names:
        end = day + timedelta(days=rng.randint(14, 28))
        m = plan_actions.add_milestone(lead, project.pk, name=name, planned_start=day, planned_end=end,
                                       depends_on=[previous.pk] if previous else [])
        counts["milestones"] += 1
        actual = end + timedelta(days=rng.choice((-4, -2, 0, 0, 3, 6)))
        if actual < today - timedelta(days=2) and name != names[-1]:
            plan_actions.record_progress(lead, m.pk, actual_start=day, actual_end=max(actual, day))
        previous, day = m, end + timedelta(days=1)
    departments = [d for d in {m.department for s in (project.bundle.stages.all() if project.bundle_id else [])
                               for m in s.matters.all()} if d is not None]
    for k, title in enumerate(rng.sample(WORK, 4)):
        deadline = start + timedelta(days=20 * (k + 1))
        state = WorkState.DONE if deadline < today - timedelta(days=10) else rng.choice(
            [WorkState.TODO, WorkState.DOING, WorkState.BLOCKED])
        dept = rng.choice(departments) if departments else None
        plan_actions.add_work_item(lead, project.pk, title=title, deadline=deadline, state=state,
                                   department_id=dept.pk if dept else None, owner_id=None if dept else lead.pk)
        counts["work_items"] += 1


def _month(project: Project, rng: random.Random, supervisor: Account, user: Account, lead: Account,
           month_start: date, today: date, counts: dict) -> None:
    days = [month_start + timedelta(days=d) for d in range(28) if month_start + timedelta(days=d) < today]
    if not days:
        return
    for k in range(rng.randint(1, 2)):
        day = rng.choice(days)
        actions.post_message(user, project.pk, rng.choice(ENTERPRISE_LINES), at=_at(day, 9 + k))
        actions.post_message(lead, project.pk, rng.choice(STEWARD_LINES), at=_at(day, 10 + k))
        counts["messages"] += 2
    actions.mark_read(lead, project.pk, at=_at(days[-1], 18))
    for k in range(rng.randint(1, 3)):
        day = rng.choice(days[:-5] or days)
        ref = HISTORY_REF_BASE + Service.objects.filter(kind=ServiceKind.OTHER).count() + 1
        service = feedback.register_service(ServiceKind.OTHER, ref, f"{project.name} · 阶段性办件", project=project,
                                            recipient_organisation=project.investor, rendered_at=_at(day, 11))
        level = _pick(rng, LEVELS)
        rating = feedback.rate_service(user, service.pk, level=level, channel=rng.choice(["portal", "window_qr",
                                       "clerk_tablet"]), comment="等待时间较长" if level in ("dissatisfied",
                                       "very_dissatisfied") else "", at=_at(day, 15))
        counts["ratings"] += 1
        if hasattr(rating, "follow_up") and rng.random() < 0.8:
            feedback.answer_follow_up(lead, rating.follow_up.pk, kind=rng.choice(["verified", "rectified", "explained"]),
                                      answer="已核实情况并向企业说明，安排专人跟办。", at=_at(day, 17) + timedelta(days=1))
            feedback.rate_follow_up(user, rating.follow_up.pk, level=rng.choice(["satisfied", "basic"]),
                                    at=_at(day, 17) + timedelta(days=2))
    visit_day = rng.choice(days)
    feedback.record_return_visit(supervisor, project.pk, score=rng.randint(70, 100), visited_on=visit_day,
                                 note="电话回访企业负责人")
    counts["visits"] += 1
    for _ in range(rng.randint(0, 2)):
        sentiment = _pick(rng, SENTIMENTS)
        comment = feedback.post_public_comment(None, project.pk, sentiment=sentiment,
                                               body=rng.choice(COMMENTS[sentiment]), author_name="群众",
                                               at=_at(rng.choice(days), 20))
        feedback.moderate_comment(supervisor, comment.pk, approve=rng.random() < 0.9)
        counts["comments"] += 1
