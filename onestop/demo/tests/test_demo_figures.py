"""Loading the demo gives at least the town's real figures (issue 2 §6), within every model's rules."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from onestop.catalog.models import Bundle, Material, Matter, MatterSource
from onestop.demo import loader
from onestop.enterprises.creditcode import is_valid
from onestop.enterprises.models import CommissionerAssignment, Enterprise, LandStatus, OrganisationKind, Project
from onestop.org.models import Account, Department, HallRole, Place, PlaceKind, Role, ServiceCentre

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return loader.load()


def test_places_have_the_town_scale_and_coordinates_around_boli(demo):
    kinds = Counter(Place.objects.values_list("kind", flat=True))
    assert kinds[PlaceKind.DISTRICT] == 1 and kinds[PlaceKind.TOWN] >= 3
    boli = Place.objects.get(kind=PlaceKind.TOWN, name="泊里镇")
    assert boli.parent.name == "青岛西海岸新区"
    assert Place.objects.filter(kind=PlaceKind.COMMUNITY, parent=boli).count() == 20
    villages = Place.objects.filter(kind=PlaceKind.VILLAGE, path__startswith=boli.path)
    assert villages.count() == 101
    assert not villages.filter(children__isnull=True).exists(), "every village has a grid"
    for place in Place.objects.filter(path__startswith=boli.path):
        assert abs(place.latitude - Decimal("35.88")) < Decimal("0.15")
        assert abs(place.longitude - Decimal("119.87")) < Decimal("0.15")
        assert place.path == place.parent.path + place.code + "/"


def test_service_centres_at_every_level(demo):
    levels = Counter(ServiceCentre.objects.values_list("level", flat=True))
    assert levels["district"] == 1
    assert levels["town"] == Place.objects.filter(kind=PlaceKind.TOWN).count()
    assert levels["village"] == 101
    assert ServiceCentre.objects.filter(name="泊里镇便民服务中心").exists()


def test_departments_cover_the_three_hall_roles(demo):
    roles = Counter(Department.objects.values_list("hall_role", flat=True))
    assert sum(roles.values()) >= 10
    assert roles[HallRole.LEAD] >= 1 and roles[HallRole.RESIDENT] >= 2 and roles[HallRole.ON_DEMAND] >= 5
    names = " ".join(Department.objects.values_list("name", flat=True))
    for part in ("政务服务局", "经济发展和投资促进中心", "规划建设办公室", "自然资源所", "城市管理办公室", "市场监督管理所",
                 "生态环境", "应急管理", "消防", "税务", "社会保障", "供电"):
        assert part in names


def test_catalogue_has_94_delegated_and_85_village_matters_within_their_limits(demo):
    sources = Counter(Matter.objects.values_list("source", flat=True))
    assert sources[MatterSource.DELEGATED] == 94 and sources[MatterSource.VILLAGE] == 85
    assert not Matter.objects.filter(source=MatterSource.VILLAGE).exclude(lowest_level="village").exists()
    for name in ("乡村建设规划许可证核发", "临时占用道路审批", "个体工商户登记", "城乡居民基本养老保险参保登记",
                 "老年人优待证办理", "残疾人两项补贴申请"):
        assert Matter.objects.filter(name=name).exists(), name
    for matter in Matter.objects.all():
        assert matter.promised_limit <= matter.legal_limit
        assert matter.legal_basis and matter.form_fields
    assert Material.objects.filter(may_defer=True).exists() and Material.objects.filter(may_commit=True).exists()
    assert not Matter.objects.filter(materials__isnull=True).exists()


def test_bundles_have_their_stages_with_matters_of_several_departments(demo):
    landing = Bundle.objects.get(name="项目落地一件事")
    stages = list(landing.stages.order_by("position"))
    assert [s.name for s in stages] == ["项目立项", "企业登记注册", "建设施工", "竣工验收"]
    shared = {"enterprise_name", "address", "contact_name", "contact_phone"}  # one form asks them once
    for stage in stages:
        matters = list(stage.matters.all())
        assert len(matters) >= 2 and len({m.department_id for m in matters}) >= 2
        assert stage.promised_limit >= max(m.promised_limit for m in matters)
        for matter in matters:
            assert shared <= {f["name"] for f in matter.form_fields}
    names = [f["name"] for s in stages for m in s.matters.all() for f in m.form_fields]
    counts = Counter(names)
    assert counts["project_name"] >= 10 and counts["investment"] >= 10 and counts["credit_code"] >= 10
    assert Bundle.objects.filter(name="企业开办一件事", stages__isnull=False).exists()


def test_enterprises_have_valid_codes_and_the_named_ones_are_there(demo):
    enterprises = Enterprise.objects.filter(kind=OrganisationKind.ENTERPRISE)
    assert enterprises.count() >= 160
    assert all(is_valid(code) for code in Enterprise.objects.values_list("credit_code", flat=True))
    assert Enterprise.objects.filter(kind=OrganisationKind.EMPLOYER_UNIT).count() >= 5
    assert enterprises.filter(name="海格尔科技(青岛)有限公司").exists()
    assert enterprises.get(name="青岛海之晨工业装备有限公司").tags.startswith('专精特新"小巨人"')
    assert not enterprises.filter(contacts__isnull=True).exists()


def test_projects_at_various_stages_with_and_without_land(demo):
    assert Project.objects.count() >= 13
    assert Project.objects.filter(landed_on__isnull=False).count() >= 13
    park = Project.objects.get(name="青岛市氢能产业园")
    assert park.investor.name == "海格尔科技(青岛)有限公司" and park.landed_on.month == 7
    assert Project.objects.get(name="青钢小镇明渠迁改工程").investment == Decimal("467.00")
    for name in ("氢能产业园拓展区基础设施工程", "创新创业孵化产业园"):
        project = Project.objects.get(name=name)
        assert project.land_status == LandStatus.CERTIFIED and project.land_certificate_on
    assert len(set(Project.objects.values_list("stage", flat=True))) >= 5
    assert Project.objects.filter(land_status=LandStatus.NONE).exists()
    assert not Project.objects.filter(lead_steward__isnull=True).exists()
    assert set(Project.objects.values_list("lead_steward__role", flat=True)) == {Role.STEWARD}


def test_stewards_and_81_commissioners_covering_160_enterprises(demo):
    roles = Counter(Account.objects.values_list("role", flat=True))
    assert roles[Role.STEWARD] >= 20 and roles[Role.COMMISSIONER] == 81
    current = CommissionerAssignment.objects.filter(until__isnull=True)
    assert current.values("enterprise").distinct().count() == 160
    assert current.values("commissioner").distinct().count() == 81
    assert set(current.values_list("commissioner__role", flat=True)) == {Role.COMMISSIONER}


def test_every_role_has_accounts_that_pass_validation(demo):
    roles = Counter(Account.objects.values_list("role", flat=True))
    assert set(roles) == set(Role.values)
    for account in Account.objects.all():
        account.full_clean(exclude=["password"])
    assert Account.objects.filter(role=Role.GRID_WORKER, place__kind=PlaceKind.GRID).count() == roles[Role.GRID_WORKER]
    assert Account.objects.filter(role=Role.HELP_AGENT, place__kind=PlaceKind.VILLAGE).exists()
    assert Account.objects.filter(role=Role.HELP_AGENT, place__kind=PlaceKind.TOWN).exists()
    assert {r["role"] for r in loader.shown_accounts()} == set(Role.values)
    assert len({a.password for a in Account.objects.all()}) == 1, "one hash shared by every demo account"
