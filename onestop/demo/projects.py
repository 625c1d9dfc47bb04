"""Projects being landed in 泊里镇 (13 landed so far, the page says), and the commissioners' enterprises."""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from onestop.catalog.models import Bundle
from onestop.demo.enterprises import BOLI_INVEST, DONGJIAKOU, HYDROGEN, VISION, Organisations
from onestop.demo.places import PlaceTree
from onestop.enterprises.models import CommissionerAssignment, Enterprise, LandStatus, Project, ProjectStage
from onestop.org.models import Account

SEED = 5505
D = datetime.date
GREEN = "省级绿色低碳高质量发展项目；办事大厅提前模拟审批，取得不动产权证当日开工（极速版拿地即开工）。"
MINGQU = ("2024年西海岸新区城市更新建设项目：沿张海线南侧及龙桥路东侧约570米新建3×DN1000雨水管线，接至龙桥路西侧"
          "现状过路管涵；龙桥路东侧地块内明渠局部迁改，新建DN1000雨水管线约100米。异形井砼浇筑已完成，下一阶段管沟"
          "开挖及管道铺设，计划11月完工。")
S = ProjectStage
# (name, investor: a named enterprise or an industry to pick one by, investment in 10,000 yuan, address,
#  land certificate date or None, stage, landed on or None, description)
PROJECTS = (
    ("青岛市氢能产业园", HYDROGEN, "150000", "泊里镇董家口经济区", D(2024, 6, 18), S.LANDED, D(2024, 7, 16),
     "7月份在泊里镇便民服务中心“项目管家”帮助下成功落地，建设氢能装备研发制造及应用示范基地。"),
    ("氢能产业园拓展区基础设施工程", BOLI_INVEST, "32000", "氢能产业园东侧", D(2024, 4, 9), S.CONSTRUCTION,
     D(2024, 4, 9), GREEN),
    ("创新创业孵化产业园", BOLI_INVEST, "45000", "泊里大街北侧", D(2024, 5, 7), S.CONSTRUCTION, D(2024, 5, 7), GREEN),
    ("青钢小镇明渠迁改工程", DONGJIAKOU, "467", "沿张海线南侧及龙桥路东侧", None, S.CONSTRUCTION, D(2024, 8, 20), MINGQU),
    ("机器人视觉检测装备生产基地", VISION, "18000", "董家口经济区智能制造园", None, S.APPROVAL, None,
     "3D机器人视觉系统与AI外观检测设备产业化项目，用地取得前开展模拟审批。"),
    ("泊里红席非遗文化产业园", "文化旅游", "6500", "泊里大集西侧", None, S.PLANNING, None, "泊里红席非遗技艺传承、展示与文创产品开发。"),
    ("董家口港区冷链物流中心", "港口物流", "26000", "董家口港区疏港路", D(2023, 9, 12), S.ACCEPTANCE, D(2023, 8, 30),
     "5万吨级冷库及配套分拣、冷链配送中心。"),
    ("厂房屋顶分布式光伏发电项目", "新能源", "3200", "泊里镇工业园", D(2023, 3, 15), S.LANDED, D(2023, 4, 10),
     "利用既有厂房屋顶建设分布式光伏电站，装机容量约6兆瓦。"),
    ("海洋装备零部件智能制造项目", "海洋装备", "21000", "董家口经济区临港产业园", D(2024, 3, 1), S.CONSTRUCTION,
     D(2024, 2, 20), "船舶与海工装备关键零部件智能化生产线。"),
    ("蓝莓精深加工项目", "农副产品加工", "8800", "泊里镇农产品加工园", D(2023, 5, 20), S.LANDED, D(2023, 5, 6),
     "蓝莓冻干、果汁及果酱生产线。"),
    ("新型绿色建材生产线项目", "建材", "15000", "泊里镇工业园", D(2023, 7, 11), S.LANDED, D(2023, 6, 28),
     "装配式建筑部品部件及绿色建材生产线。"),
    ("氢能重卡加氢站项目", HYDROGEN, "4200", "张海线与龙桥路交叉口", None, S.REGISTRATION, None,
     "日加氢能力1000公斤的加氢站，服务港区氢能重卡。"),
    ("高端精细化工新材料项目", "精细化工", "68000", "董家口经济区化工园", None, S.APPROVAL, None, "电子级化学品及高性能树脂材料。"),
    ("泊里大集商贸综合体改造提升项目", "批发零售", "9600", "泊里大集", D(2023, 10, 18), S.ACCEPTANCE, D(2023, 10, 5),
     "传统大集改造为集农贸、商超、餐饮于一体的商贸综合体。"),
    ("农产品冷链仓储及电商中心", "现代农业", "5400", "泊里镇农产品加工园", D(2023, 2, 14), S.LANDED, D(2023, 2, 1),
     "农产品产地冷藏保鲜设施及电商直播基地。"),
    ("汽车零部件精密铸造项目", "汽车零部件", "12500", "泊里镇工业园", D(2023, 8, 22), S.LANDED, D(2023, 8, 10),
     "汽车底盘及新能源汽车电机壳体精密铸造。"),
    ("智慧农业蔬菜大棚示范园", "现代农业", "3600", "泊里镇南部农业示范区", None, S.ACCEPTANCE, D(2024, 1, 15),
     "智能温室及水肥一体化示范，设施农业用地已备案。"),
    ("港航装备维修基地", "海洋装备", "14000", "董家口港区", None, S.REGISTRATION, None, "港口机械及船舶设备维修保养基地。"),
    ("茶旅融合示范园", "茶叶种植加工", "2800", "泊里镇西部丘陵", None, S.PLANNING, None, "茶园观光、制茶体验与民宿。"),
    ("海洋生物制品加工项目", "水产养殖加工", "9200", "董家口经济区临港产业园", None, S.APPROVAL, None, "海藻多糖及海洋功能食品加工。"),
)
COMMISSIONED_SINCE = D(2024, 3, 1)


def _investor(orgs: Organisations, key: str, used: set[int]) -> Enterprise:
    """The named enterprise, or the first not yet used 泊里镇 enterprise of that industry (else any)."""
    for e in orgs.boli + orgs.others:
        if e.name == key:
            return e
    candidates = [e for e in orgs.boli if e.industry == key and e.pk not in used] or [
        e for e in orgs.boli if e.pk not in used]
    used.add(candidates[0].pk)
    return candidates[0]


def build(tree: PlaceTree, orgs: Organisations, bundle: Bundle, stewards: list[Account]) -> list[Project]:
    """Insert the projects, each with a lead steward (项目管家) and the project-landing bundle."""
    rng, used = random.Random(SEED), set()
    rows = []
    for i, (name, key, investment, address, certified_on, stage, landed_on, text) in enumerate(PROJECTS, start=1):
        investor = _investor(orgs, key, used)
        place = tree.boli if rng.random() < 0.5 else rng.choice(tree.communities)
        rows.append(Project(
            code=f"XM{(landed_on or D(2024, 9, 1)).year}-{i:03d}", name=name, investor=investor, place=place,
            address=f"青岛西海岸新区泊里镇{address}", investment=Decimal(investment), industry=investor.industry,
            land_status=LandStatus.CERTIFIED if certified_on else LandStatus.NONE, land_certificate_on=certified_on,
            land_certificate_no=f"鲁（{certified_on.year}）青岛市黄岛区不动产权第{rng.randrange(10**6, 10**7):07d}号"
            if certified_on else "",
            stage=stage, bundle=bundle, lead_steward=stewards[(i - 1) % len(stewards)], description=text,
            landed_on=landed_on,
        ))
    return Project.objects.bulk_create(rows)


def assign_commissioners(orgs: Organisations, commissioners: list[Account]) -> list[CommissionerAssignment]:
    """Each of 泊里镇's 160 enterprises gets one current commissioner (企业特派员), about two each."""
    return CommissionerAssignment.objects.bulk_create([
        CommissionerAssignment(commissioner=commissioners[i % len(commissioners)], enterprise=e,
                               since=COMMISSIONED_SINCE)
        for i, e in enumerate(orgs.boli)
    ])
