"""Demo history (issue 4, §10): January to August of a year of applications at the town's scale.

`load_history()` writes, deterministically for a seed and in one transaction:
- `startups` new enterprises (default 199) registered through the business start-up bundle (企业开办一件事):
  each its two stages, issued, the enterprise registered on the day it applied (企业开办 一日办结);
- the project-landing bundle's stages for every project on file, up to the project's stage: earlier stages
  issued; the current stage in review, some late (past the limit), some paused (补正), some rejected and
  applied for again; a project without land has a simulated application (模拟审批). A current stage still
  in review was applied for in the last working days, so it alone may fall after August;
- single-matter applications across the whole catalogue and all channels until `total` (default 4,048)
  formal applications from January to August (simulated ones are not counted):
  most issued (approved, a few rejected, some late), the August ones partly still open.
It writes rows in bulk (as the demo loader does) with clocks computed by the worktime rules (`replay` over
the same start / pause / stop events, which are stored in the clock log too), each application's audit
trail as its actions would have recorded it (`demo_trail`), and one audit event for the whole load. Run it
once: a second call finds the marker and writes nothing.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from onestop.audit.actions import record
from onestop.audit.models import Chain
from onestop.catalog.models import Bundle, Material, Matter
from onestop.enterprises.creditcode import make as make_code
from onestop.enterprises.models import Enterprise, Project, ProjectStage
from onestop.org.models import Account, Place, PlaceKind, Role, ServiceCentre
from onestop.worktime import workdays
from onestop.worktime.clock import SHANGHAI, local_day, replay
from onestop.worktime.models import ClockEvent, EventKind, LimitUnit, PauseReason

from .clocks import Ev
from .demo_forms import GIVEN, SURNAMES, FormMaker
from .demo_trail import DECIDED, write_trail
from .models import AppState, Application, Channel, IssueMethod, MaterialStatus, SubmittedMaterial, Task, TaskState

MARKER = ("demo", "approvals-history")
CHANNELS = [(Channel.WINDOW, 45), (Channel.ONLINE, 35), (Channel.VILLAGE_AGENT, 12), (Channel.CROSS_REGION, 8)]
STAGE_OF_PROJECT = {ProjectStage.PLANNING: 0, ProjectStage.APPROVAL: 1, ProjectStage.REGISTRATION: 2,
                    ProjectStage.CONSTRUCTION: 3, ProjectStage.ACCEPTANCE: 4, ProjectStage.LANDED: 5}


@dataclass
class Plan:
    """One application to write and how its story ends."""

    matters: list[Matter]
    submitted: datetime
    outcome: str  # issued | rejected | in_review | paused | late | submitted | simulated
    channel: str
    centre: ServiceCentre
    stage: Any = None
    applicant: Enterprise | None = None
    project: Project | None = None
    previous: int | None = None  # index of the previous stage's plan
    resubmission_of: int | None = None


@dataclass
class HistoryResult:
    created: bool
    counts: dict


class _World:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng, self.year, self.cal = rng, year, workdays.current()
        self.now = timezone.now()  # nothing in the history happens after it
        self.matters = list(Matter.objects.filter(active=True).select_related("department").order_by("code"))
        self.materials: dict[int, list[int]] = {}
        for mid, matter_id in Material.objects.filter(matter__active=True).values_list("pk", "matter_id"):
            self.materials.setdefault(matter_id, []).append(mid)
        self.centres = list(ServiceCentre.objects.order_by("pk"))
        self.clerks: dict[int, int] = dict(Account.objects.filter(role=Role.WINDOW_CLERK, service_centre__isnull=False)
                                           .order_by("-pk").values_list("service_centre_id", "pk"))
        self.any_clerk = next(iter(self.clerks.values()), None) or Account.objects.order_by("pk").values_list("pk", flat=True).first()
        self.approvers: dict[int, int] = dict(Account.objects.filter(role=Role.APPROVER, department__isnull=False)
                                              .order_by("-pk").values_list("department_id", "pk"))
        self.enterprises = list(Enterprise.objects.order_by("pk"))

    def day(self, month_from: int = 1, month_to: int = 8) -> datetime:
        first, last = date(self.year, month_from, 1), date(self.year, month_to + 1, 1) - timedelta(days=1)
        d = self.cal.roll(first + timedelta(days=self.rng.randrange((last - first).days + 1)))
        return datetime.combine(min(d, last), time(9 + self.rng.randrange(7), self.rng.randrange(60)), tzinfo=SHANGHAI)

    def channel(self) -> str:
        return self.rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]


def _at(d: date, hour: int = 15) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=SHANGHAI)


def _after(w: _World, start: datetime, days: int, unit: str = LimitUnit.WORKDAY) -> datetime:
    """15:00 on the day `days` counted days after `start` (never before `start`)."""
    d = local_day(start)
    if days:
        d = w.cal.roll(d + timedelta(days=days)) if unit == LimitUnit.NATURAL else workdays.add_workdays(d, days)
    return max(_at(d), start + timedelta(minutes=30))


def startup_plans(w: _World, bundle: Bundle | None, n: int) -> tuple[list[Plan], list[Enterprise]]:
    """New enterprises through 企业开办一件事: both stages issued; the enterprise registered at stage 1."""
    if bundle is None or n <= 0:
        return [], []
    stages = list(bundle.stages.prefetch_related("matters").order_by("position"))
    town = Place.objects.filter(kind=PlaceKind.TOWN).order_by("pk").first()
    taken = set(Enterprise.objects.values_list("credit_code", flat=True))
    plans, made, serial = [], [], 700000
    for i in range(n):
        code = make_code("9", "1", "370211", serial)
        while code in taken:
            serial += 1
            code = make_code("9", "1", "370211", serial)
        serial += 1
        at = w.day()
        ent = Enterprise(name=f"青岛泊里{w.rng.choice(NAMES)}{w.rng.choice(KINDS)}有限公司（{i + 1:03d}）", credit_code=code,
                         legal_representative=w.rng.choice(SURNAMES) + w.rng.choice(GIVEN), place=town,
                         industry=w.rng.choice(KINDS), registered_on=local_day(at))  # 企业开办 一日办结: the day it applies
        made.append(ent)
        centre = w.centres[min(1, len(w.centres) - 1)]
        first = Plan(list(stages[0].matters.all()), at, "issued", w.channel(), centre, stage=stages[0], applicant=ent)
        plans.append(first)
        if len(stages) > 1:
            second = at + (timedelta(days=1) if local_day(at) < date(w.year, 8, 31) else timedelta(hours=1))
            plans.append(Plan(list(stages[1].matters.all()), second, "issued", first.channel, centre,
                              stage=stages[1], applicant=ent, previous=len(plans) - 1))
    return plans, made


def _recent(w: _World, today: date, workdays_ago: int) -> datetime:
    """10:00 on the working day `workdays_ago` (at least one) working days before `today`."""
    d = today
    for _ in range(max(1, workdays_ago)):
        d -= timedelta(days=1)
        while not w.cal.is_workday(d):
            d -= timedelta(days=1)
    return _at(d, 10)


def project_plans(w: _World, bundle: Bundle | None, offset: int, today: date) -> list[Plan]:
    """Each project's stages up to its own: earlier ones issued, the current one open in some way. A current
    stage in review (or paused, or simulated) was applied for in the last days before `today`, so its lights
    are what a project's are while it is handled; a late one has been waiting since the spring."""
    if bundle is None:
        return []
    stages = list(bundle.stages.prefetch_related("matters").order_by("position"))
    plans: list[Plan] = []
    centre = w.centres[min(1, len(w.centres) - 1)]
    for n, project in enumerate(Project.objects.select_related("investor", "company").order_by("pk")):
        reached = STAGE_OF_PROJECT.get(project.stage, 0)
        if reached == 0:
            continue
        at, prev = _at(date(w.year, 1, 6) + timedelta(days=7 * n), 10), None
        for pos, stage in enumerate(stages[:reached], start=1):
            current = pos == reached and project.stage != ProjectStage.LANDED
            outcome = "issued"
            if current:
                outcome = ["in_review", "late", "paused", "rejected"][n % 4]
                if project.land_status == "none" and pos == 1:
                    outcome = "simulated"
                if outcome in ("in_review", "paused", "simulated"):
                    at = max(at, _recent(w, today, 1 + n % 4))
            applicant = project.company if pos >= 3 and project.company_id else project.investor
            plan = Plan(list(stage.matters.all()), at, outcome, Channel.WINDOW, centre, stage=stage, applicant=applicant,
                        project=project, previous=prev)
            plans.append(plan)
            if outcome == "rejected":  # applied for again, now in review
                again = max(at + timedelta(days=20), _recent(w, today, 1 + n % 3))
                plans.append(Plan(plan.matters, again, "in_review", Channel.WINDOW, centre,
                                  stage=stage, applicant=applicant, project=project, previous=prev,
                                  resubmission_of=offset + len(plans) - 1))
            prev = offset + len(plans) - 1
            at = min(at + timedelta(days=25), _at(date(w.year, 8, 20)))
    return plans


def matter_plans(w: _World, n: int) -> list[Plan]:
    """Single matters across the catalogue and all channels."""
    plans = []
    for _ in range(max(0, n)):
        matter = w.rng.choice(w.matters)
        at = w.day()
        roll = w.rng.random()
        if at.month == 8 and roll < 0.35:
            outcome = w.rng.choice(["in_review", "in_review", "late", "paused", "submitted"])
        else:
            outcome = "rejected" if roll < 0.04 else ("late" if roll < 0.09 else "issued")
        centre = w.rng.choice(w.centres)
        applicant = w.rng.choice(w.enterprises) if w.enterprises and matter.source != "village" else None
        plans.append(Plan([matter], at, outcome, w.channel(), centre, applicant=applicant))
    return plans


def _story(w: _World, plan: Plan) -> tuple[dict, list[dict], list[Ev]]:
    """The application's fields, its tasks' fields (with their events), and its own clock's events."""
    accepted = plan.submitted if plan.channel == Channel.WINDOW else _after(w, plan.submitted, 1)
    if plan.outcome == "submitted":
        return {"state": AppState.SUBMITTED}, [], []
    limit = plan.stage.promised_limit if plan.stage else plan.matters[0].promised_limit
    unit = plan.stage.limit_unit if plan.stage else plan.matters[0].limit_unit
    legal = max([m.legal_limit for m in plan.matters] + [limit])
    start = Ev(EventKind.START, accepted, local_day(accepted), limit, legal, unit)
    tasks, latest, rejected = [], accepted, 0
    for i, m in enumerate(plan.matters):
        t_start = Ev(EventKind.START, accepted, local_day(accepted), m.promised_limit, m.legal_limit, m.limit_unit,
                     m.warn_days)
        spent = w.rng.randrange(0, max(1, m.promised_limit)) if m.promised_limit else 0
        state, opinion, events = TaskState.APPROVED, "同意", [t_start]
        if plan.outcome == "late" and i == 0:
            spent = m.promised_limit + 1 + w.rng.randrange(3)
        if plan.outcome in ("in_review", "late", "simulated") and i % 2 == 1 or plan.outcome == "paused" and i == 0:
            state = TaskState.OPEN
        if plan.outcome == "paused" and i == 0:
            state = TaskState.SUPPLEMENT
            p = min(_after(w, accepted, 1, m.limit_unit), w.now)
            events.append(Ev(EventKind.PAUSE, p, local_day(p), 5, reason=PauseReason.SUPPLEMENT))
        if plan.outcome == "rejected" and i == 0:
            state, opinion = TaskState.REJECTED, "材料与实际不符，不予许可"
        decided = _after(w, accepted, spent, m.limit_unit) if state in DECIDED else None
        if decided is not None and decided > w.now:  # not decided yet: the department still has it
            state, decided = TaskState.OPEN, None
        if decided is not None:
            events.append(Ev(EventKind.STOP, decided, local_day(decided)))
            latest, rejected = max(latest, decided), rejected + (state == TaskState.REJECTED)
        tasks.append({"matter": m, "state": state, "opinion": opinion if decided else "", "decided_at": decided,
                      "supplement_request": "请补充相关证明材料" if state == TaskState.SUPPLEMENT else "",
                      "events": events, "values": replay(events, w.cal)})
    open_left = sum(t["state"] not in (TaskState.APPROVED, TaskState.REJECTED) for t in tasks)
    app: dict[str, Any] = {"accepted_at": accepted, "acceptance_no": f"SL{local_day(accepted):%Y%m%d}",
                           "open_tasks": open_left, "rejected_tasks": rejected, "simulated": plan.outcome == "simulated"}
    events = [start]
    if open_left:
        app["state"] = AppState.IN_REVIEW
    else:
        decision = AppState.REJECTED if rejected else AppState.APPROVED
        issued = min(_after(w, latest, w.rng.randrange(0, 2)), max(latest, w.now))
        events.append(Ev(EventKind.STOP, issued, local_day(issued)))
        app.update(state=AppState.ISSUED, decided_at=latest, issued_at=issued,
                   issue_method=w.rng.choice(IssueMethod.values),
                   results=[{"matter": t["matter"].name, "department": t["matter"].department.name,
                             "result": t["state"], "opinion": t["opinion"]} for t in tasks])
        if decision == AppState.APPROVED and plan.project and plan.project.land_certificate_on:
            app["land_to_permit_days"] = max(0, (local_day(issued) - plan.project.land_certificate_on).days)
    return {**app, **replay(events, w.cal)}, tasks, events


def _write(w: _World, plans: list[Plan]) -> dict:
    stories = [_story(w, p) for p in plans]
    villages = list(Place.objects.filter(kind=PlaceKind.VILLAGE).order_by("code").values_list("name", flat=True))
    forms = FormMaker(random.Random(f"forms-{w.year}"), villages)  # its own draws: the stories stay as they were
    apps = []
    for p, (fields, _, _) in zip(plans, stories):
        creator = w.clerks.get(p.centre.pk, w.any_clerk)
        form = forms.form(p.matters, p.applicant, p.project, p.submitted)
        apps.append(Application(
            matter=None if p.stage else p.matters[0], stage=p.stage, channel=p.channel, applicant=p.applicant,
            created_by_id=creator, project=p.project, form_data=form, taken_at=p.centre, handled_at=p.centre,
            submitted_at=p.submitted, **fields))
    apps = Application.objects.bulk_create(apps, batch_size=500)
    linked = [a for a, p in zip(apps, plans) if p.previous is not None or p.resubmission_of is not None]
    for a, p in zip(apps, plans):
        if p.previous is not None:
            a.previous_id = apps[p.previous].pk
        if p.resubmission_of is not None:
            a.resubmission_of_id = apps[p.resubmission_of].pk
    Application.objects.bulk_update(linked, ["previous", "resubmission_of"], batch_size=500)
    tasks, task_events, clock_rows, materials = [], [], [], []
    for app, p, (_, task_specs, app_events) in zip(apps, plans, stories):
        for spec in task_specs:
            m = spec["matter"]
            tasks.append(Task(application=app, matter=m, department_id=m.department_id, state=spec["state"],
                              opinion=spec["opinion"], decided_at=spec["decided_at"],
                              decided_by_id=w.approvers.get(m.department_id) if spec["decided_at"] else None,
                              supplement_request=spec["supplement_request"], carried_over=False, **spec["values"]))
            task_events.append(spec["events"])
        clock_rows += [_event(app, seq, e) for seq, e in enumerate(app_events, start=1)]
        status = MaterialStatus.PROVIDED if p.outcome != "submitted" else MaterialStatus.MISSING
        materials += [(app.pk, mid, status) for m in p.matters for mid in w.materials.get(m.pk, [])]
    tasks = Task.objects.bulk_create(tasks, batch_size=500)
    clock_rows += [_event(t, seq, e) for t, evs in zip(tasks, task_events) for seq, e in enumerate(evs, start=1)]
    ClockEvent.objects.bulk_create(clock_rows, batch_size=1000)
    _insert_materials(materials)
    events = write_trail(w, apps, plans, stories, tasks)
    return {"applications": len(apps), "tasks": len(tasks), "materials": len(materials), "clock_events": len(clock_rows),
            "audit_events": events}


def _insert_materials(rows: list[tuple[int, int, str]]) -> None:
    """Submitted materials without a clock of their own, in one executemany (the ORM would prepare every
    idle clock field of 26,000 rows one by one, which is most of the load's time)."""
    idle = SubmittedMaterial(application_id=0, material_id=0)
    names = ["application_id", "material_id", "status"]
    constant = {f.column: f.get_db_prep_save(getattr(idle, f.attname), connection)
                for f in SubmittedMaterial._meta.concrete_fields if f.attname not in ("id", *names)}
    columns = [*names, *constant]
    sql = (f"INSERT INTO {connection.ops.quote_name(SubmittedMaterial._meta.db_table)} "
           f"({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})")
    tail = tuple(constant.values())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [(*r, *tail) for r in rows[start:start + 5000]])


def _event(clock: Any, seq: int, e: Ev) -> ClockEvent:
    return ClockEvent(clock_type=clock._meta.label, clock_id=clock.pk, seq=seq, kind=e.kind, at=e.at, day=e.day,
                      days=e.days, legal_days=e.legal_days, unit=e.unit, warn_days=e.warn_days, reason=e.reason)


def load_history(*, year: int | None = None, seed: int = 2026, total: int = 4048, startups: int = 199) -> HistoryResult:
    """Write the history (see the module's docstring); nothing if it is there already."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        if Chain.objects.filter(aggregate_type=MARKER[0], aggregate_id=MARKER[1]).exists():
            return HistoryResult(False, {})
        w = _World(random.Random(seed), year)
        if not w.matters or not w.centres:
            return HistoryResult(False, {})
        bundles = {b.code: b for b in Bundle.objects.filter(code__in=["QYKB", "XMLD"])}
        plans, made = startup_plans(w, bundles.get("QYKB"), startups)
        Enterprise.objects.bulk_create(made, batch_size=500)  # the same objects get their pks: plans see them
        plans += project_plans(w, bundles.get("XMLD"), len(plans), timezone.localdate())
        cases = sum(plan.outcome != "simulated" and plan.submitted.month <= 8  # a simulated one is not a case
                    for plan in plans)
        plans += matter_plans(w, total - cases)
        counts = {**_write(w, plans), "new_enterprises": len(made), "year": year}
        record(MARKER, "demo.approvals_history_loaded", None, after=counts)
    return HistoryResult(True, counts)


NAMES = ("海润", "泊源", "港兴", "蓝湾", "鑫达", "恒泰", "华瑞", "东港", "瑞丰", "宏图", "嘉禾", "启航", "博远", "同创")
KINDS = ("贸易", "科技", "物流", "餐饮", "建材", "农业", "水产", "机械", "电子", "文化", "旅游", "咨询")
