"""Service centres and departments with their hall role (牵头 / 常驻 / 随驻)."""
from __future__ import annotations

from dataclasses import dataclass

from onestop.demo.names import NameMaker
from onestop.demo.places import PlaceTree
from onestop.org.models import CentreLevel, Department, HallRole, ServiceCentre

SEED = 2202
LEAD, RESIDENT, ON_DEMAND = HallRole.LEAD, HallRole.RESIDENT, HallRole.ON_DEMAND

# (code, name, hall role). 泊里镇's departments: 政务服务局 leads, two sit in the hall, the rest come on demand.
TOWN_DEPARTMENTS = (
    ("BL-ZWFW", "泊里镇政务服务局（便民服务中心）", LEAD),
    ("BL-JFZX", "泊里镇经济发展和投资促进中心", RESIDENT),
    ("BL-GHJS", "泊里镇规划建设办公室", RESIDENT),
    ("BL-ZRZY", "泊里自然资源所（自然资源管理办公室）", ON_DEMAND),
    ("BL-CSGL", "泊里镇城市管理办公室", ON_DEMAND),
    ("BL-SCJG", "泊里市场监督管理所", ON_DEMAND),
    ("BL-STHJ", "泊里生态环境保护站", ON_DEMAND),
    ("BL-YJGL", "泊里镇应急管理办公室", ON_DEMAND),
    ("BL-XFJY", "泊里消防救援站", ON_DEMAND),
    ("BL-SWS", "国家税务总局青岛市西海岸新区税务局泊里税务所", ON_DEMAND),
    ("BL-SBZX", "泊里镇社会保障服务中心（人社）", ON_DEMAND),
    ("BL-GDS", "国网青岛市黄岛区供电公司泊里供电所", ON_DEMAND),
    ("BL-NYNC", "泊里镇农业农村办公室", ON_DEMAND),
    ("BL-SHSW", "泊里镇社会事务办公室", ON_DEMAND),
    ("BL-PCS", "青岛市公安局黄岛分局泊里派出所", ON_DEMAND),
)
DISTRICT_DEPARTMENTS = (
    ("XHA-XZSP", "青岛西海岸新区行政审批服务局", LEAD),
    ("XHA-RSJ", "青岛西海岸新区人力资源和社会保障局", RESIDENT),
)
DISTRICT_CENTRE = "青岛西海岸新区行政服务中心"


@dataclass
class Organisation:
    district_centre: ServiceCentre
    town_centres: list[ServiceCentre]  # one per town, 泊里镇 first
    village_points: list[ServiceCentre]  # one per village of 泊里镇, in village order
    departments: dict[str, Department]  # by code

    @property
    def boli_centre(self) -> ServiceCentre:
        return self.town_centres[0]


def build(tree: PlaceTree) -> Organisation:
    """Insert the service centres and departments."""
    names = NameMaker(SEED)
    centres = [ServiceCentre(name=DISTRICT_CENTRE, level=CentreLevel.DISTRICT, place=tree.district,
                             address="青岛西海岸新区政务服务大厦一楼", phone=names.landline())]
    centres += [
        ServiceCentre(name=f"{town.name}便民服务中心", level=CentreLevel.TOWN, place=town,
                      address=f"青岛西海岸新区{town.name}人民政府驻地", phone=names.landline())
        for town in tree.towns
    ]
    centres += [
        ServiceCentre(name=f"{tree.boli.name}{village.name}便民服务点", level=CentreLevel.VILLAGE, place=village,
                      address=f"{tree.boli.name}{village.name}党群服务中心", phone=names.mobile())
        for village in tree.villages
    ]
    centres = ServiceCentre.objects.bulk_create(centres)
    town_count = len(tree.towns)
    departments = [
        Department(code=code, name=name, hall_role=role, place=tree.boli, phone=names.landline())
        for code, name, role in TOWN_DEPARTMENTS
    ] + [
        Department(code=code, name=name, hall_role=role, place=tree.district, phone=names.landline())
        for code, name, role in DISTRICT_DEPARTMENTS
    ]
    departments = Department.objects.bulk_create(departments)
    return Organisation(
        district_centre=centres[0],
        town_centres=centres[1 : 1 + town_count],
        village_points=centres[1 + town_count :],
        departments={d.code: d for d in departments},
    )
