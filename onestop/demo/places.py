"""The place tree: 青岛西海岸新区 > towns > 泊里镇's 20 新村/社区 > 101 自然村 > 网格.

Coordinates are plausible, not surveyed: 泊里镇's seat is about 35.88N 119.87E, its communities lie
within about 10 km of it, villages within 2 km of their community, grids a few hundred metres apart.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from onestop.org.models import Place, PlaceKind

SEED = 1101
DISTRICT = ("370211", "青岛西海岸新区", 35.960, 120.190)
BOLI_CODE = "boli"
# (code, name, latitude, longitude); 泊里镇 first.
TOWNS = (
    (BOLI_CODE, "泊里镇", 35.880, 119.870),
    ("dachang", "大场镇", 35.810, 119.930),
    ("zangma", "藏马镇", 35.860, 119.740),
    ("haiqing", "海青镇", 35.900, 119.610),
    ("baoshan", "宝山镇", 35.960, 119.790),
    ("langya", "琅琊镇", 35.700, 119.940),
)
COMMUNITIES = (
    "泊里社区", "董家口新村", "大庄新村", "南营新村", "西寺新村", "项家庄新村", "前石新村", "后石新村",
    "河崖新村", "孙家庄新村", "高家岭新村", "山前新村", "沙沟新村", "杨家洼新村", "宅科新村",
    "王家台新村", "东辛庄新村", "西辛庄新村", "纪家庄新村", "刘家庙新村",
)
VILLAGE_COUNT = 101
VILLAGE_STEMS = ("于家", "王家", "张家", "李家", "刘家", "孙家", "薛家", "丁家", "逄家", "臧家", "董家", "纪家",
                 "高家", "宋家", "陈家", "赵家", "杨家", "徐家", "胡家", "马家", "郭家", "隋家", "窦家", "辛家")
VILLAGE_SUFFIXES = ("庄", "屯", "洼", "岭", "沟", "河", "台", "疃", "埠", "营", "官庄", "岔河", "楼", "崖")
VILLAGE_PREFIXES = ("", "", "东", "西", "南", "北", "前", "后", "大", "小")
CHINESE_DIGITS = "一二三四五六七八九十"


@dataclass
class PlaceTree:
    """What the other demo modules need from the tree."""

    district: Place
    towns: list[Place]
    communities: list[Place] = field(default_factory=list)
    villages: list[Place] = field(default_factory=list)
    grids: list[Place] = field(default_factory=list)

    @property
    def boli(self) -> Place:
        return self.towns[0]


def _coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _near(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point at most `km` from (lat, lon)."""
    distance, bearing = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (lat + distance * math.cos(bearing) / 111.0,
            lon + distance * math.sin(bearing) / (111.0 * math.cos(math.radians(lat))))


def _make(kind: str, code: str, name: str, parent: Place | None, lat: float, lon: float) -> Place:
    """An unsaved place with its path set (bulk_create does not call Place.save)."""
    path = (parent.path if parent else "") + code + "/"
    return Place(kind=kind, code=code, name=name, parent=parent, path=path,
                 latitude=_coord(lat), longitude=_coord(lon))


def village_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct village names such as 东于家庄村 or 薛家岭村."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(VILLAGE_PREFIXES) + rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_SUFFIXES) + "村"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def build() -> PlaceTree:
    """Insert the whole tree, level by level, and return it."""
    rng = random.Random(SEED)
    code, name, lat, lon = DISTRICT
    district = Place.objects.bulk_create([_make(PlaceKind.DISTRICT, code, name, None, lat, lon)])[0]
    towns = Place.objects.bulk_create(
        [_make(PlaceKind.TOWN, c, n, district, la, lo) for c, n, la, lo in TOWNS]
    )
    tree = PlaceTree(district=district, towns=towns)
    boli = tree.boli
    lat0, lon0 = float(boli.latitude), float(boli.longitude)
    community_points = [_near(rng, lat0, lon0, 10.0) for _ in COMMUNITIES]
    tree.communities = Place.objects.bulk_create([
        _make(PlaceKind.COMMUNITY, f"c{i:02d}", n, boli, *point)
        for i, (n, point) in enumerate(zip(COMMUNITIES, community_points), start=1)
    ])
    names = village_names(rng, VILLAGE_COUNT)
    villages = []
    for i, village_name in enumerate(names):
        community = tree.communities[i % len(tree.communities)]
        point = _near(rng, float(community.latitude), float(community.longitude), 2.0)
        villages.append(_make(PlaceKind.VILLAGE, f"v{i + 1:03d}", village_name, community, *point))
    tree.villages = Place.objects.bulk_create(villages)
    grids = []
    for village in tree.villages:
        for n in range(1 + rng.randrange(3)):
            point = _near(rng, float(village.latitude), float(village.longitude), 0.4)
            grids.append(_make(PlaceKind.GRID, f"g{n + 1}", f"{village.name}第{CHINESE_DIGITS[n]}网格", village, *point))
    tree.grids = Place.objects.bulk_create(grids)
    return tree
