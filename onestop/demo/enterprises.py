"""Enterprises (valid unified social credit codes), employer units (机关事业单位), contacts and projects."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from onestop.demo.names import NameMaker
from onestop.demo.places import PlaceTree
from onestop.enterprises.creditcode import make as make_credit_code
from onestop.enterprises.models import Contact, Enterprise, OrganisationKind
from onestop.org.models import Place

SEED = 4404
DIVISION = "370211"  # 黄岛区（青岛西海岸新区）
BOLI_ENTERPRISES = 160  # the page: 81 commissioners serve 160 enterprises
OTHER_ENTERPRISES = 12
GIANT = '专精特新"小巨人"'

HYDROGEN = "海格尔科技(青岛)有限公司"
VISION = "青岛海之晨工业装备有限公司"
DONGJIAKOU = "青岛董家口发展集团有限公司"
BOLI_INVEST = "青岛西海岸泊里投资发展有限公司"
# (name, industry, tags, registered on, in 泊里镇?, address)
NAMED = (
    (HYDROGEN, "氢能装备制造", "高新技术企业", datetime.date(2023, 11, 8), True, "泊里镇氢能产业园"),
    (DONGJIAKOU, "城市建设与运营", "", datetime.date(2009, 6, 18), True, "泊里镇董家口经济区港润大道"),
    (BOLI_INVEST, "园区开发建设", "", datetime.date(2016, 3, 22), True, "泊里镇泊里大街"),
    (VISION, "智能装备制造（机器人视觉）", f"{GIANT}；高新技术企业", datetime.date(2011, 5, 16), False,
     "青岛自贸片区"),
    ("青岛松上环境工程有限公司", "环保工程", "专精特新中小企业", datetime.date(2014, 9, 3), False, "青岛自贸片区"),
)
TRADE_NAMES = (
    "海润", "泊安", "鑫源", "瑞丰", "宏达", "恒信", "港联", "蓝海", "金诚", "华泰", "远航", "中润", "万通", "博瑞",
    "德润", "海川", "聚源", "润泽", "昌盛", "顺和", "鲁港", "琅琊", "董港", "珠山", "藏马", "泊海", "红席", "海悦",
    "嘉禾", "丰源", "益农", "绿野", "蓝湾", "茗香", "汇通", "兴业", "永信", "正泰", "天元", "力拓", "新港", "宏远",
    "佳和", "金海", "盛世", "百川", "鼎诚", "鸿运", "东岳", "凯盛", "祥瑞", "润丰", "信诚", "泰和", "卓越", "明珠",
)
# (industry, name suffix)
INDUSTRIES = (
    ("农副产品加工", "食品有限公司"), ("港口物流", "物流有限公司"), ("机械制造", "机械有限公司"),
    ("新材料", "新材料科技有限公司"), ("精细化工", "化工有限公司"), ("建筑业", "建设工程有限公司"),
    ("钢结构", "钢结构工程有限公司"), ("海洋装备", "海洋装备有限公司"), ("新能源", "新能源科技有限公司"),
    ("批发零售", "商贸有限公司"), ("现代农业", "农业发展有限公司"), ("茶叶种植加工", "茶业有限公司"),
    ("纺织服装", "服饰有限公司"), ("电子信息", "电子科技有限公司"), ("餐饮住宿", "餐饮管理有限公司"),
    ("建材", "建材有限公司"), ("汽车零部件", "汽车配件有限公司"), ("包装印刷", "包装制品有限公司"),
    ("水产养殖加工", "水产有限公司"), ("文化旅游", "文化旅游发展有限公司"), ("木制品", "木业有限公司"),
)
TAGS = ("", "", "", "", "规上企业", "高新技术企业", "专精特新中小企业", "科技型中小企业")
EMPLOYER_UNITS = (  # (name, org type: 1 机关 / 2 事业单位, address)
    ("青岛西海岸新区人力资源和社会保障局", "1", "青岛西海岸新区"),
    ("青岛西海岸新区公共就业和人才服务中心", "2", "青岛西海岸新区"),
    ("青岛西海岸新区社会保险事业中心", "2", "青岛西海岸新区"),
    ("青岛西海岸新区劳动人事争议仲裁院", "2", "青岛西海岸新区"),
    ("青岛市公安局黄岛分局", "1", "青岛西海岸新区"),
    ("青岛西海岸新区泊里镇人民政府", "1", "泊里镇泊里大街"),
    ("青岛西海岸新区泊里镇中心卫生院", "2", "泊里镇"),
    ("青岛西海岸新区泊里初级中学", "2", "泊里镇"),
    ("青岛西海岸新区泊里小学", "2", "泊里镇"),
    ("青岛西海岸新区大场镇人民政府", "1", "大场镇"),
    ("青岛西海岸新区人民医院", "2", "青岛西海岸新区"),
    ("青岛西海岸新区农业农村局", "1", "青岛西海岸新区"),
)
CONTACT_TITLES = ("总经理", "行政主管", "财务负责人", "项目经理", "办公室主任", "副总经理")


@dataclass
class Organisations:
    boli: list[Enterprise]  # the 160 enterprises in 泊里镇, served by the commissioners
    others: list[Enterprise]
    units: list[Enterprise]  # employer units

    def named(self, name: str) -> Enterprise:
        return next(e for e in self.boli + self.others if e.name == name)


def _generated_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(name, industry) pairs like 青岛鑫源食品有限公司, distinct and not clashing with the named ones."""
    taken = {row[0] for row in NAMED}
    out: list[tuple[str, str]] = []
    while len(out) < count:
        industry, suffix = rng.choice(INDUSTRIES)
        name = f"青岛{rng.choice(TRADE_NAMES)}{suffix}"
        if name not in taken:
            taken.add(name)
            out.append((name, industry))
    return out


def _date(rng: random.Random, first: int, last: int) -> datetime.date:
    start = datetime.date(first, 1, 1)
    return start + datetime.timedelta(days=rng.randrange((datetime.date(last, 6, 30) - start).days))


def build(tree: PlaceTree) -> Organisations:
    """Insert 172 enterprises, 12 employer units and their contacts."""
    rng, names = random.Random(SEED), NameMaker(SEED)
    serials = rng.sample(range(10**7, 10**8), BOLI_ENTERPRISES + OTHER_ENTERPRISES + len(EMPLOYER_UNITS))
    rows: list[Enterprise] = []
    boli_places: list[Place] = [tree.boli] + tree.communities + tree.villages
    for name, industry, tags, registered, in_boli, address in NAMED:
        rows.append(Enterprise(name=name, industry=industry, tags=tags, registered_on=registered,
                               place=tree.boli if in_boli else tree.district, address=f"青岛西海岸新区{address}"))
    in_boli = sum(1 for row in NAMED if row[4])
    generated = _generated_names(rng, BOLI_ENTERPRISES + OTHER_ENTERPRISES - len(NAMED))
    for i, (name, industry) in enumerate(generated):
        place = rng.choice(boli_places) if i < BOLI_ENTERPRISES - in_boli else rng.choice(tree.towns[1:])
        where = place.name if place.kind == "town" else f"{tree.boli.name}{place.name}"
        rows.append(Enterprise(name=name, industry=industry, tags=rng.choice(TAGS), place=place,
                               registered_on=_date(rng, 1998, 2024),
                               address=f"青岛西海岸新区{where}{rng.randrange(1, 300)}号"))
    for row, serial in zip(rows, serials):
        row.kind = OrganisationKind.ENTERPRISE
        row.credit_code = make_credit_code("9", "1", DIVISION, serial)
        row.legal_representative = names.person()
    units = [
        Enterprise(kind=OrganisationKind.EMPLOYER_UNIT, name=name, industry="公共管理和社会组织",
                   credit_code=make_credit_code("1", org_type, DIVISION, serial),
                   legal_representative=names.person(), address=address,
                   place=tree.boli if "泊里" in name else tree.district)
        for (name, org_type, address), serial in zip(EMPLOYER_UNITS, serials[len(rows):])
    ]
    created = Enterprise.objects.bulk_create(rows + units)
    Contact.objects.bulk_create([
        Contact(enterprise=e, name=names.person(), phone=names.mobile(), title=rng.choice(CONTACT_TITLES))
        for e in created for _ in range(1 + (rng.random() < 0.4))
    ])
    boli = [e for e in created[: len(rows)] if e.place.path.startswith(tree.boli.path)]
    others = [e for e in created[: len(rows)] if not e.place.path.startswith(tree.boli.path)]
    return Organisations(boli=boli, others=others, units=created[len(rows):])
