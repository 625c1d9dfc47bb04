"""A year of help on the spot for the demo town (泊里镇), written through the actions (so every row has its
clock, its audit events and its feedback service): 260+ help requests across the villages, grids and the
town, commissioners' visits to their enterprises, and demands with 27+ resolved.

Call `load_history()` after `onestop.demo.loader.load()`; it is deterministic (a fixed seed, times relative
to `now`) and idempotent (it writes nothing when the demo already has help requests).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from onestop.catalog.models import Matter, MatterSource
from onestop.enterprises.models import CommissionerAssignment
from onestop.org.models import Account, Department, Place, PlaceKind, Role
from onestop.outreach import actions, commissioner_actions as ca
from onestop.outreach.models import Demand, HelpRequest, Visit
from onestop.worktime import workdays
from onestop.worktime.clock import midnight

SEED = 8808
REQUESTS, VISITS, DEMANDS, RESOLVED = 272, 190, 46, 31
LEVELS = ("very_satisfied", "satisfied", "basic", "dissatisfied")
LEVEL_WEIGHTS = (55, 30, 11, 4)
DEPARTMENT_FOR = {"financing": "BL-JFZX", "power": "BL-GDS", "labour": "BL-SBZX", "land": "BL-ZRZY",
                  "permits": "BL-ZWFW", "other": "BL-ZWFW"}
DEMAND_TEXT = {
    "financing": ("申请科技型中小企业贷款贴息", "技改项目流动资金缺口约 500 万元", "对接“鲁担惠农贷”"),
    "power": ("新厂房增容 800 千伏安", "双回路供电改造", "临时用电接入"),
    "labour": ("招聘熟练工 40 人", "高校毕业生见习基地申报", "员工子女入学"),
    "land": ("扩建用地约 20 亩", "厂区土地证补办", "标准厂房租赁"),
    "permits": ("施工许可加快办理", "排污许可证延续", "食品经营许可变更"),
    "other": ("厂区门前道路维修", "物流园区路灯安装", "政策兑现咨询"),
}


@dataclass
class HistoryResult:
    created: bool
    requests: int
    visits: int
    demands: int
    resolved: int


def _at(day: date, rng: random.Random, hour_from: int = 8, hour_to: int = 17) -> datetime:
    return midnight(day) + timedelta(hours=rng.randint(hour_from, hour_to - 1), minutes=rng.randint(0, 59))


def _workday_after(day: date, n: int) -> date:
    cal = workdays.current()
    while n > 0:
        day += timedelta(days=1)
        n -= cal.is_workday(day)
    return day


def _people(town: Place) -> dict[str, list[Any]]:
    accounts = Account.objects.filter(is_active=True)
    return {
        "residents": list(accounts.filter(role=Role.RESIDENT).order_by("pk")),
        "enterprises": list(accounts.filter(role=Role.ENTERPRISE, organisation__place__path__startswith=town.path)
                            .select_related("organisation").order_by("pk")),
        "agents": list(accounts.filter(role__in=(Role.HELP_AGENT,), place__path__startswith=town.path).order_by("pk")),
    }


def _place(rng: random.Random, town: Place, villages: list[Place], grids: list[Place]) -> Place:
    roll = rng.random()
    return rng.choice(grids) if roll < 0.55 else rng.choice(villages) if roll < 0.9 else town


def _one_request(n: int, rng: random.Random, day: date, now: datetime, ctx: dict[str, Any]) -> None:
    place = _place(rng, ctx["town"], ctx["villages"], ctx["grids"])
    enterprise_side = rng.random() < 0.35 and ctx["enterprises"]
    matter = rng.choice(ctx["town_matters"] if enterprise_side else ctx["village_matters"])
    at = _at(day, rng)
    if enterprise_side:
        who = rng.choice(ctx["enterprises"])
        r = actions.raise_request(who, matter_id=matter.pk, place_id=place.pk, channel="portal", at=at,
                                  description=f"企业需要帮办：{matter.name}，请联系经办人。")
    else:
        resident = rng.choice(ctx["residents"])
        channel = rng.choice(("in_person", "phone", "portal"))
        raiser = resident
        if channel != "portal":
            from onestop.outreach.routing import nearest_agent
            raiser = nearest_agent(place)
        kw = {} if raiser == resident else {"requester_account_id": resident.pk}
        r = actions.raise_request(raiser, matter_id=matter.pk, place_id=place.pk, channel=channel, at=at,
                                  description=f"请帮忙办理{matter.name}，本人行动不便。", **kw)
    agent = r.agent
    accepted = at + timedelta(hours=rng.randint(1, 20))
    if accepted >= now:
        return
    actions.accept_request(agent, r.pk, at=accepted)
    finish_day = _workday_after(accepted.date(), rng.choice((0, 1, 1, 2, 2, 3, 4, 6)))
    finished = max(_at(finish_day, rng, 13, 18), accepted + timedelta(minutes=30))
    if finished >= now:
        return
    if rng.random() < 0.05:
        actions.close_request(agent, r.pk, reason=rng.choice(("请求人撤回", "重复提交", "已自行办理")), at=finished)
        return
    actions.record_step(agent, r.pk, kind=rng.choice(("errand", "call", "visit")), note="已联系请求人并收取材料",
                        at=accepted + timedelta(minutes=10))
    result = "已代办完成，结果已送达"
    if agent.role == Role.HELP_AGENT and not enterprise_side and n % 4 == 0:
        reference = f"WT{day:%Y%m%d}{n:03d}"
        actions.authorise(agent, r.pk, how="signed_form", reference=reference, at=accepted + timedelta(minutes=20))
        village = place.parent if place.kind == PlaceKind.GRID else place
        known = {"applicant_name": resident.display_name, "contact_phone": resident.phone, "village": village.name,
                 "address": place.name}  # the rest is on the signed authorisation the agent holds
        form = {f["name"]: known.get(f["name"]) or f"见授权委托书{reference}" for f in (matter.form_fields or [])}
        filed = actions.file_on_behalf(agent, r.pk, form_data=form, at=accepted + timedelta(minutes=40))
        result = f"已代为申报 {filed.application.number}"
    actions.complete_request(agent, r.pk, result=result, at=finished)
    rated = finished + timedelta(hours=rng.randint(2, 48))
    if rng.random() < 0.75 and rated < now:
        requester = r.requester_account
        level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        comment = "等了好几天才有人联系" if level == "dissatisfied" else ""
        actions.rate_request(requester, r.pk, level=level, comment=comment, at=rated)


def _requests(rng: random.Random, now: datetime, town: Place) -> int:
    villages = list(Place.objects.filter(kind=PlaceKind.VILLAGE, path__startswith=town.path).order_by("path"))
    grids = list(Place.objects.filter(kind=PlaceKind.GRID, path__startswith=town.path).order_by("path"))
    matters = Matter.objects.filter(active=True).order_by("code")
    ctx = {"town": town, "villages": villages, "grids": grids, **_people(town),
           "village_matters": list(matters.filter(source=MatterSource.VILLAGE)[:40]),
           "town_matters": list(matters.exclude(source=MatterSource.VILLAGE).filter(lowest_level="town")[:40])}
    ctx["town_matters"] = ctx["town_matters"] or ctx["village_matters"]
    first = now.date() - timedelta(days=364)
    for n in range(REQUESTS):
        day = first + timedelta(days=n * 364 // REQUESTS)
        _one_request(n, rng, day, now, ctx)
    return REQUESTS


def _demands(rng: random.Random, now: datetime, town: Place) -> tuple[int, int, int]:
    assignments = list(CommissionerAssignment.objects.filter(until__isnull=True, enterprise__place__path__startswith=town.path)
                       .select_related("commissioner", "enterprise").order_by("enterprise__pk"))
    departments = {d.code: d for d in Department.objects.filter(code__in=set(DEPARTMENT_FOR.values()))}
    fallback = Department.objects.filter(code__startswith="BL-").order_by("code").first()
    first = now.date() - timedelta(days=330)
    visits = []
    for n in range(VISITS):
        a = assignments[n % len(assignments)]
        day = first + timedelta(days=(n * 7919) % 320)
        visits.append(ca.log_visit(a.commissioner, enterprise_id=a.enterprise_id, visited_on=day,
                                   met=f"{a.enterprise.legal_representative}（法定代表人）",
                                   discussed=rng.choice(("生产经营情况与用工需求", "扩产计划与用地需求", "惠企政策兑现",
                                                         "融资需求与银企对接")),
                                   at=_at(day, rng, 17, 18)))
    resolved = 0
    visits.sort(key=lambda v: (v.visited_on, v.pk))
    for n in range(DEMANDS):
        visit = visits[(n * 4) % len(visits)]
        category = rng.choice(list(DEMAND_TEXT))
        dept = departments.get(DEPARTMENT_FOR[category], fallback)
        at = _at(visit.visited_on, rng, 17, 18) + timedelta(minutes=30)
        d = ca.raise_demand(visit.commissioner, enterprise_id=visit.enterprise_id, category=category, visit_id=visit.pk,
                            description=rng.choice(DEMAND_TEXT[category]), department_id=dept.pk, at=at)
        if n % 9 == 8:
            continue  # still assigned
        ca.start_demand(visit.commissioner, d.pk, at=at + timedelta(days=1))
        end = at + timedelta(days=rng.randint(3, 25))
        if end >= now or n % 11 == 10:
            continue  # in progress
        if n % 13 == 12:
            ca.declare_unresolvable(visit.commissioner, d.pk, at=end,
                                    explanation="超出镇级权限，已报区级协调并告知企业")
        else:
            ca.resolve_demand(visit.commissioner, d.pk, at=end,
                              resolution=f"{dept.name}已协调办结：{DEMAND_TEXT[category][0]}")
            resolved += 1
        owner = Account.objects.filter(role=Role.ENTERPRISE, organisation_id=visit.enterprise_id).first()
        if owner is not None and end + timedelta(days=2) < now:
            ca.give_verdict(owner, d.pk, verdict="confirmed" if n % 10 else "disputed",
                            note="" if n % 10 else "仍需跟进", at=end + timedelta(days=2))
    return VISITS, DEMANDS, resolved


def load_history(now: datetime | None = None, seed: int = SEED) -> HistoryResult:
    """Write the year's help requests, visits and demands (or nothing if they are there)."""
    now = now or timezone.now()
    town = Place.objects.filter(kind=PlaceKind.TOWN, code="boli").first()
    if town is None:
        raise RuntimeError("load the base demo first (onestop.demo.loader.load)")
    if HelpRequest.objects.filter(place__path__startswith=town.path).exists():
        return HistoryResult(False, HelpRequest.objects.count(), Visit.objects.count(), Demand.objects.count(),
                             Demand.objects.filter(state="resolved").count())
    rng = random.Random(seed)
    with transaction.atomic():
        requests = _requests(rng, now, town)
        visits, demands, resolved = _demands(rng, now, town)
    return HistoryResult(True, requests, visits, demands, resolved)
