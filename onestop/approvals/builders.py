"""A small real world for tests and the benchmark: a town, two service centres, departments with their
approvers, a four-stage project-landing bundle, an investor with a project (no land yet)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onestop import testing as t
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.org.models import CentreLevel, Role

FORM = [{"name": n, "label": n, "type": "text", "required": True}
        for n in ("enterprise_name", "credit_code", "project_name", "contact_phone")]

# (stage, [(matter, promised, legal)]) — one department per matter name prefix
STAGES = (
    ("项目立项", [("企业投资项目备案", 3, 5), ("用地预审与选址", 5, 20), ("环评审批", 5, 30)]),
    ("企业登记注册", [("企业设立登记", 1, 3), ("公章刻制备案", 1, 1)]),
    ("建设施工", [("建设工程规划许可", 5, 20), ("施工许可", 3, 15), ("消防设计审查", 5, 15)]),
    ("竣工验收", [("规划条件核实", 5, 15), ("消防验收", 5, 15)]),
)


@dataclass
class World:
    places: dict
    centre: Any
    other_centre: Any
    clerk: Any
    other_clerk: Any
    investor: Any
    enterprise_user: Any
    project: Any
    bundle: Bundle
    stages: list[Stage]
    departments: dict[str, Any] = field(default_factory=dict)  # matter name -> department
    approvers: dict[str, Any] = field(default_factory=dict)  # matter name -> approver
    matters: dict[str, Matter] = field(default_factory=dict)
    admin: Any = None
    coach: Any = None

    def approver_of(self, task: Any) -> Any:
        return self.approvers[task.matter.name]


def matter(department: Any, name: str, promised: int, legal: int, code: str, **kw: Any) -> Matter:
    m = Matter.objects.create(code=code, name=name, department=department, promised_limit=promised, legal_limit=legal,
                              lowest_level="town", source="delegated", form_fields=FORM, **kw)
    Material.objects.create(matter=m, position=1, name=f"{name}申请表", required=True)
    Material.objects.create(matter=m, position=2, name=f"{name}证明材料", required=True, may_defer=True)
    Material.objects.create(matter=m, position=3, name=f"{name}承诺书", required=True, may_commit=True)
    Material.objects.create(matter=m, position=4, name=f"{name}其他材料", required=False)
    return m


def build(prefix: str = "W", stages: tuple = STAGES) -> World:
    places = t.place_tree()
    centre = t.service_centre(places["town"], name=f"{prefix}泊里镇便民服务中心")
    other = t.service_centre(places["district"], name=f"{prefix}区行政服务中心", level=CentreLevel.DISTRICT)
    investor = t.enterprise(name=f"{prefix}投资有限公司", address="泊里镇一号")
    investor.contacts.create(name="李四", phone="13800000000")
    w = World(
        places=places, centre=centre, other_centre=other,
        clerk=t.account(Role.WINDOW_CLERK, service_centre=centre),
        other_clerk=t.account(Role.WINDOW_CLERK, service_centre=other),
        investor=investor, enterprise_user=t.account(Role.ENTERPRISE, organisation=investor),
        project=None, bundle=Bundle.objects.create(code=f"{prefix}XMLD", name="项目落地一件事"), stages=[],
        admin=t.account(Role.ADMINISTRATOR), coach=t.account(Role.COACH),
    )
    w.project = t.project(investor, places["town"], name=f"{prefix}新材料项目", address="泊里镇工业园", coach=w.coach)
    n = 0
    for pos, (stage_name, specs) in enumerate(stages, start=1):
        stage = Stage.objects.create(bundle=w.bundle, position=pos, name=stage_name,
                                     promised_limit=max(p for _, p, _ in specs))
        for name, promised, legal in specs:
            n += 1
            dept = t.department(places["town"], name=f"{name}部门", code=f"{prefix}D{n}")
            w.departments[name] = dept
            w.approvers[name] = t.account(Role.APPROVER, department=dept)
            w.matters[name] = matter(dept, name, promised, legal, f"{prefix}M{n:03d}")
            stage.matters.add(w.matters[name])
        w.stages.append(stage)
    return w


def required_ids(app: Any) -> list[int]:
    """Every required material of an application (what a complete submission provides)."""
    return [m.material_id for m in app.materials.select_related("material") if m.material.required]
