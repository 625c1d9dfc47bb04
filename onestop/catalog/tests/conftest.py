"""Fixtures of the catalogue tests: an administrator and a small catalogue built through the actions."""
from __future__ import annotations

from typing import Any

import pytest

from onestop.catalog import actions
from onestop.org.models import Role
from onestop.testing import account, department


def matter_data(code: str, department_code: str, **kw: Any) -> dict[str, Any]:
    """A valid matter as an administrator would type it in."""
    data = {
        "code": code, "name": f"事项{code}", "department": department_code, "legal_limit": 20,
        "promised_limit": 5, "limit_unit": "workday", "lowest_level": "town", "source": "delegated",
        "legal_basis": "《中华人民共和国行政许可法》",
        "materials": [
            {"name": "申请书", "required": True},
            {"name": "营业执照复印件", "required": True, "may_defer": True},
            {"name": "环境影响承诺书", "required": True, "may_commit": True, "note": "可签署告知承诺书替代"},
        ],
        "form_fields": [
            {"name": "project_name", "label": "项目名称", "type": "text", "required": True},
            {"name": "land_status", "label": "用地情况", "type": "select", "options": ["未取得", "已取得"]},
        ],
    }
    return {**data, **kw}


@pytest.fixture
def admin(db):
    return account(Role.ADMINISTRATOR)


@pytest.fixture
def catalogue(places, admin) -> dict[str, Any]:
    """Two departments, three matters (one village matter), one bundle of two stages."""
    planning = department(places["town"], code="GH", name="规划建设办公室")
    economy = department(places["town"], code="JJ", name="经济发展和招商促进中心")
    m1 = actions.create_matter(admin, matter_data("BL-001", "GH", name="建设工程规划许可"))
    m2 = actions.create_matter(admin, matter_data("BL-002", "JJ", name="企业投资项目备案", promised_limit=1))
    m3 = actions.create_matter(admin, matter_data("CN-001", "JJ", name="代办居住证明", source="village",
                                                  lowest_level="village", legal_limit=5, promised_limit=0))
    bundle = actions.create_bundle(admin, {
        "code": "XMLD", "name": "项目落地一件事", "description": "从立项到竣工验收",
        "stages": [
            {"name": "项目立项", "promised_limit": 3, "matters": ["BL-002"]},
            {"name": "建设施工", "promised_limit": 10, "matters": ["BL-001", "CN-001"]},
        ],
    })
    return {"departments": [planning, economy], "matters": [m1, m2, m3], "bundle": bundle}
