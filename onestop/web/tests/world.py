"""A small real town with one account of every role, and what each role's home page must show.

Shared by the server-side and the in-browser tests of the home pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from onestop import testing
from onestop.catalog.models import Bundle, HandlingLevel, Matter, MatterSource, Stage
from onestop.enterprises.creditcode import make as make_credit_code
from onestop.enterprises.models import CommissionerAssignment, OrganisationKind
from onestop.org.models import Account, CentreLevel, HallRole, Place, Role

PASSWORD = "demo-pass-123"  # what onestop.testing.account sets


@dataclass(frozen=True)
class HomeCase:
    """What `role`'s home shows in Chinese (`zh`), in English after the switch (`en`), and never (`absent`)."""

    role: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    absent: tuple[str, ...] = field(default=())


CASES = [
    HomeCase(Role.WINDOW_CLERK, ("综合窗口受理员工作台", "您的服务中心", "泊里镇便民服务中心", "项目落地一件事"),
             ("Window clerk workspace", "Your service centre")),
    HomeCase(Role.APPROVER, ("部门审批人员工作台", "泊里镇经济发展和招商服务中心", "企业投资项目备案"),
             ("Department approver workspace", "Matters of your department"), ("老年人优待证办理",)),
    HomeCase(Role.DEPARTMENT_HEAD, ("部门负责人工作台", "泊里镇经济发展和招商服务中心", "企业投资项目备案"),
             ("Department head workspace", "Matters of your department"), ("老年人优待证办理",)),
    HomeCase(Role.STEWARD, ("项目管家工作台", "您牵头的项目", "青岛市氢能产业园"),
             ("Project steward workspace", "Projects you lead"), ("创新创业孵化产业园",)),
    HomeCase(Role.COACH, ("项目辅导员工作台", "您辅导的项目", "青岛市氢能产业园", "创新创业孵化产业园"),
             ("Project coach workspace", "Projects you coach")),
    HomeCase(Role.SUPERVISOR, ("督办人员工作台", "您的辖区", "泊里镇", "辖区内的项目", "青岛市氢能产业园"),
             ("Supervisor workspace", "Projects in your area"), ("创新创业孵化产业园",)),
    HomeCase(Role.HELP_AGENT, ("帮办代办员工作台", "您的辖区", "泊里新村"),
             ("Help agent workspace", "Your area")),
    HomeCase(Role.GRID_WORKER, ("网格员工作台", "您的辖区", "东泊里村第一网格"),
             ("Grid worker workspace", "Your area")),
    HomeCase(Role.COMMISSIONER, ("企业特派员工作台", "分配给您的企业", "海格尔科技(青岛)有限公司"),
             ("Enterprise commissioner workspace", "Enterprises assigned to you"), ("青岛海之晨工业装备有限公司",)),
    HomeCase(Role.ADMINISTRATOR, ("系统管理员工作台", "平台概况", "管理后台"),
             ("Administrator workspace", "The platform today")),
    HomeCase(Role.ENTERPRISE, ("企业工作台", "本企业", "海格尔科技(青岛)有限公司", "青岛市氢能产业园"),
             ("Enterprise workspace", "Your enterprise"), ("创新创业孵化产业园",)),
    HomeCase(Role.EMPLOYER_UNIT, ("机关事业单位工作台", "本单位", "青岛西海岸新区人力资源局"),
             ("Employer unit workspace", "Your unit")),
    HomeCase(Role.RESIDENT, ("群众工作台", "在本村可办的事项", "办事入口"),
             ("Resident workspace", "Matters handled inside your village")),
]


def build_world(places: dict[str, Place]) -> dict[str, Account]:
    """The town of `places` with a department, matters, a bundle, enterprises, projects and every role."""
    town, village = places["town"], places["village"]
    dept = testing.department(town, name="泊里镇经济发展和招商服务中心", hall_role=HallRole.RESIDENT)
    social = testing.department(town, name="泊里镇社会事务办公室", hall_role=HallRole.ON_DEMAND)
    filing = Matter.objects.create(
        code="BL-001", name="企业投资项目备案", department=dept, legal_limit=5, promised_limit=1,
        lowest_level=HandlingLevel.TOWN, source=MatterSource.DELEGATED,
    )
    Matter.objects.create(
        code="BL-V01", name="老年人优待证办理", department=social, legal_limit=5, promised_limit=0,
        lowest_level=HandlingLevel.VILLAGE, source=MatterSource.VILLAGE,
    )
    bundle = Bundle.objects.create(code="XMLD", name="项目落地一件事")
    Stage.objects.create(bundle=bundle, position=1, name="项目立项", promised_limit=5).matters.add(filing)
    centre = testing.service_centre(town, name="泊里镇便民服务中心", level=CentreLevel.TOWN)

    hydrogen = testing.enterprise(name="海格尔科技(青岛)有限公司", place=town, industry="氢能")
    vision = testing.enterprise(name="青岛海之晨工业装备有限公司", place=town, tags='专精特新"小巨人"')
    bureau = testing.enterprise(
        name="青岛西海岸新区人力资源局", kind=OrganisationKind.EMPLOYER_UNIT,
        credit_code=make_credit_code("1", "1", "370211", 4242),
    )
    people = {
        Role.WINDOW_CLERK: {"service_centre": centre, "display_name": "王丽"},
        Role.APPROVER: {"department": dept, "display_name": "李强"},
        Role.DEPARTMENT_HEAD: {"department": dept, "display_name": "张伟"},
        Role.STEWARD: {"display_name": "刘洋"},
        Role.COACH: {"display_name": "陈静"},
        Role.SUPERVISOR: {"place": town, "display_name": "赵敏"},
        Role.HELP_AGENT: {"place": places["community"], "display_name": "孙浩"},
        Role.GRID_WORKER: {"place": places["grid"], "display_name": "周婷"},
        Role.COMMISSIONER: {"display_name": "吴刚"},
        Role.ADMINISTRATOR: {"display_name": "郑华", "is_staff": True, "is_superuser": True},
        Role.ENTERPRISE: {"organisation": hydrogen, "display_name": "海格尔办事员"},
        Role.EMPLOYER_UNIT: {"organisation": bureau, "display_name": "人社局办事员"},
        Role.RESIDENT: {"display_name": "冯大爷"},
    }
    accounts = {role: testing.account(role, username=role, **kw) for role, kw in people.items()}

    testing.project(hydrogen, village, name="青岛市氢能产业园", lead_steward=accounts[Role.STEWARD],
                    coach=accounts[Role.COACH])
    testing.project(vision, places["other_town"], name="创新创业孵化产业园", coach=accounts[Role.COACH])
    CommissionerAssignment.objects.create(commissioner=accounts[Role.COMMISSIONER], enterprise=hydrogen,
                                          since=date(2025, 1, 1))
    CommissionerAssignment.objects.create(commissioner=accounts[Role.COMMISSIONER], enterprise=vision,
                                          since=date(2020, 1, 1), until=date(2021, 1, 1))
    return accounts


# What waits for each role once there is work (added by `add_work`), as each home's "waiting" lists show it.
WAITING = {
    Role.WINDOW_CLERK: ("待受理", "企业投资项目备案"),
    Role.APPROVER: ("本部门待办", "企业投资项目备案"),
    Role.DEPARTMENT_HEAD: ("本部门待办", "未销号的挂账", "企业投资项目备案"),
    Role.STEWARD: ("您管理的项目及其亮灯", "青岛市氢能产业园"),
    Role.SUPERVISOR: ("未销号的挂账", "待审核的公开评论"),
    Role.GRID_WORKER: ("您未办结的帮办请求", "老年人优待证办理"),
    Role.COMMISSIONER: ("有未办结诉求的企业", "海格尔科技(青岛)有限公司", "1项未办结诉求"),
    Role.ENTERPRISE: ("您的申请", "企业投资项目备案", "待受理", "并联审批中"),
}


def add_work(accounts: dict[str, Account], places: dict[str, Place]) -> None:
    """Work through the other apps' own actions: an application awaiting intake, one accepted 30 days ago
    (late: in the department's queue and, after the lights sweep, on the overdue ledger), a help request in
    the grid, and an enterprise's demand recorded by its commissioner."""
    from datetime import timedelta

    from django.utils import timezone

    from onestop.approvals.actions import submit_application
    from onestop.approvals.intake import accept_application
    from onestop.lights.sweep import sweep
    from onestop.outreach.actions import raise_request
    from onestop.outreach.commissioner_actions import raise_demand

    firm, clerk = accounts[Role.ENTERPRISE], accounts[Role.WINDOW_CLERK]
    filing = Matter.objects.get(code="BL-001")
    now = timezone.now()
    submit_application(firm, matter_id=filing.pk, centre_id=clerk.service_centre_id)
    late = submit_application(firm, matter_id=filing.pk, centre_id=clerk.service_centre_id,
                              at=now - timedelta(days=30))
    accept_application(clerk, late.pk, provided=[], at=now - timedelta(days=30))
    sweep(now)
    raise_request(accounts[Role.RESIDENT], matter_id=Matter.objects.get(code="BL-V01").pk,
                  place_id=places["grid"].pk, description="帮我办理老年人优待证")
    raise_demand(accounts[Role.COMMISSIONER], enterprise_id=firm.organisation_id, category="other",
                 description="需要协调厂区道路")
