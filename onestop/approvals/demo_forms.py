"""The one form (一张表单) of a demo history application, as the window would have taken it: what the records
say of the applicant and project (`forms.on_record`, as every real application is prefilled), then a
plausible answer to each required field its matters ask that the records do not fill. A real application
cannot be submitted with a required field empty (`forms.fill`), so neither is a demo one.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from . import forms

TOWN = "青岛西海岸新区泊里镇"
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "郭", "马")
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞", "平", "刚")
BUILDERS = (
    "青岛海港建设工程有限公司", "青岛泊安建筑安装有限公司", "山东鲁建集团有限公司", "青岛西海岸城建工程有限公司",
)
# (low, high, step) of the numbers a field asks for
NUMBERS = {
    "registered_capital": (50, 5000, 50), "land_area": (2000, 60000, 100), "building_area": (1000, 40000, 100),
    "occupy_area": (20, 400, 10), "employee_count": (5, 300, 1), "staff_count": (1, 6, 1),
    "capacity_kva": (250, 2500, 50), "investment": (200, 20000, 100),
}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643: the check digit's weights
ID_CHECK = "10X98765432"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def id_number(rng: random.Random) -> str:
    """A 公民身份号码 of the district (370211), born 1950–2004, with a valid check digit."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))
    body = f"370211{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


class FormMaker:
    """Forms for one history: the records of each (applicant, project) read once."""

    def __init__(self, rng: random.Random, villages: list[str]) -> None:
        self.rng, self.villages = rng, villages or [""]
        self.records: dict[tuple, dict[str, Any]] = {}

    def form(self, matters: Iterable[Any], applicant: Any, project: Any, submitted: datetime) -> dict[str, Any]:
        key = (getattr(applicant, "pk", None), getattr(project, "pk", None))
        if key not in self.records:
            self.records[key] = forms.on_record(applicant, project)
        form = dict(self.records[key])
        if applicant is None:  # a resident: who, where, how to reach them
            village = self.rng.choice(self.villages)
            form.update(applicant_name=person(self.rng), id_number=id_number(self.rng), village=village,
                        address=f"{TOWN}{village}", contact_phone=phone(self.rng))
        for f in forms.fields_of(matters):
            if f["required"] and f["name"] not in form:
                form[f["name"]] = self.answer(f, form, submitted.date())
        return form

    def answer(self, field: dict, form: dict[str, Any], day: date) -> Any:
        name, kind, rng = field["name"], field.get("type"), self.rng
        if name in NUMBERS:
            low, high, step = NUMBERS[name]
            return str(rng.randrange(low, high + 1, step))
        dates = {"occupy_start": 5, "start_date": 30, "completion_date": -15}
        if name == "occupy_end":
            start = date.fromisoformat(form.get("occupy_start") or self.answer({"name": "occupy_start"}, form, day))
            return (start + timedelta(days=rng.randrange(30, 121))).isoformat()
        if name in dates or kind == "date":
            offset = dates.get(name, 0)
            return (day + timedelta(days=offset + rng.randrange(-3, 4))).isoformat()
        texts = {"contact_name": person, "legal_representative": person, "applicant_name": person,
                 "contact_phone": phone, "id_number": id_number}
        if name in texts:
            return texts[name](rng)
        if name == "village":
            return rng.choice(self.villages)
        if name == "address":
            return f"{TOWN}{form.get('village', '')}"
        return {"construction_unit": rng.choice(BUILDERS), "land_use": "工业用地",
                "industry": "制造业"}.get(name, "见申请材料")
