"""The matter catalogue (事项清单) and the "one thing" bundles (一件事) with their ordered stages."""
from __future__ import annotations

import random

from onestop.catalog.models import Bundle, HandlingLevel, LimitUnit, Material, Matter, MatterSource, Stage
from onestop.demo import catalog_data as data
from onestop.demo.catalog_forms import form_fields, materials
from onestop.demo.org import Organisation

SEED = 3303
PROJECT_LANDING = "XMLD"

# (code, name, description, [(stage name, [matter names])]); a stage's promised limit is the longest
# promised limit of its matters, as they run in parallel.
BUNDLES = (
    (PROJECT_LANDING, "项目落地一件事",
     "社会投资建设项目从立项到竣工验收“一件事一站办”：前台综合受理、后台分类审批、一窗统一出件。", (
         ("项目立项", ("企业投资项目备案", "建设项目用地预审与选址意见书核发", "建设项目环境影响报告表审批",
                   "固定资产投资项目节能审查")),
         ("企业登记注册", ("企业设立登记", "公章刻制备案", "新办纳税人涉税事项办理", "职工参保登记（单位社会保险登记）")),
         ("建设施工", ("建设工程规划许可证核发", "建筑工程施工许可证核发", "建设工程消防设计审查",
                   "临时占用道路审批", "城市建筑垃圾处置核准", "建设项目安全设施设计审查", "临时用电",
                   "生产建设项目水土保持方案审批")),
         ("竣工验收", ("建设工程规划条件核实", "建设工程消防验收", "房屋建筑和市政基础设施工程竣工验收备案",
                   "城镇污水排入排水管网许可", "国有建设用地使用权及房屋所有权首次登记", "排污许可证核发（简化管理）",
                   "高压新装（增容）用电")),
     )),
    ("QYKB", "企业开办一件事", "企业设立登记、公章刻制、涉税事项、社保登记一次办结。", (
        ("设立登记", ("企业设立登记", "公章刻制备案")),
        ("涉税与参保", ("新办纳税人涉税事项办理", "发票领用", "职工参保登记（单位社会保险登记）", "用人单位招用人员就业登记")),
    )),
    ("GTKY", "个体工商户开业一件事", "个体工商户登记与经营许可一次办结。", (
        ("开业登记与许可", ("个体工商户登记", "食品经营许可", "公共场所卫生许可")),
    )),
    ("CJRFW", "残疾人服务一件事", "残疾人证申领与两项补贴申请村内一次办理。", (
        ("办证", ("残疾人证申领",)),
        ("补贴", ("残疾人两项补贴申请", "残疾人辅助器具适配申请")),
    )),
)


def _matter(code: str, row: tuple, source: str, level: str, org: Organisation) -> tuple[Matter, str]:
    dept, name, legal, promised, kind, basis = row
    matter = Matter(
        code=code, name=name, department=org.departments[dept], legal_limit=legal, promised_limit=promised,
        limit_unit=LimitUnit.WORKDAY, lowest_level=level, source=source, legal_basis=basis,
        form_fields=form_fields(kind),
    )
    return matter, kind


def _village_rows(rng: random.Random) -> list[tuple]:
    """Village matters with limits: many are handled on the spot (即办), none promises more than the law."""
    rows = []
    for dept, name in data.VILLAGE:
        legal = rng.choice((1, 3, 5, 7, 10, 15, 20, 30))
        promised = rng.choice([p for p in (0, 1, 2, 3, 5, 7, 10) if p <= legal])
        rows.append((dept, name, legal, promised, "resident", data.VILLAGE_BASIS[dept]))
    return rows


def build(org: Organisation) -> dict[str, Matter]:
    """Insert matters, materials, bundles and stages; return the matters by name."""
    rng = random.Random(SEED)
    specs: list[tuple[Matter, str]] = []
    specs += [_matter(f"BL-FQ-{i:03d}", row, MatterSource.DELEGATED, HandlingLevel.TOWN, org)
              for i, row in enumerate(data.DELEGATED, start=1)]
    specs += [_matter(f"BL-CN-{i:03d}", row, MatterSource.VILLAGE, HandlingLevel.VILLAGE, org)
              for i, row in enumerate(_village_rows(rng), start=1)]
    specs += [
        _matter(f"{row[0].split('-')[0]}-BJ-{i:03d}", row, MatterSource.OWN,
                HandlingLevel.DISTRICT if row[0].startswith("XHA") else HandlingLevel.TOWN, org)
        for i, row in enumerate(data.OWN, start=1)
    ]
    matters = Matter.objects.bulk_create([m for m, _ in specs])
    Material.objects.bulk_create([
        Material(matter=matter, position=pos, name=name, required=required, may_defer=defer, may_commit=commit)
        for matter, (_, kind) in zip(matters, specs)
        for pos, (name, required, defer, commit) in enumerate(materials(kind, matter.name), start=1)
    ])
    by_name = {m.name: m for m in matters}
    _bundles(by_name)
    return by_name


def _bundles(by_name: dict[str, Matter]) -> None:
    bundles = Bundle.objects.bulk_create([Bundle(code=c, name=n, description=d) for c, n, d, _ in BUNDLES])
    stages, members = [], []
    for bundle, (_, _, _, stage_specs) in zip(bundles, BUNDLES):
        for pos, (stage_name, matter_names) in enumerate(stage_specs, start=1):
            stage_matters = [by_name[n] for n in matter_names]
            stages.append(Stage(bundle=bundle, position=pos, name=stage_name,
                                promised_limit=max(m.promised_limit for m in stage_matters)))
            members.append(stage_matters)
    stages = Stage.objects.bulk_create(stages)
    Through = Stage.matters.through
    Through.objects.bulk_create([
        Through(stage_id=stage.pk, matter_id=matter.pk) for stage, ms in zip(stages, members) for matter in ms
    ])


def project_landing_bundle() -> Bundle:
    return Bundle.objects.get(code=PROJECT_LANDING)
