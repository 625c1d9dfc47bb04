"""Realistic Chinese personal names and phone numbers, drawn from a seeded random generator."""
from __future__ import annotations

import random

# Common surnames, with the ones frequent in the Jiaonan / Huangdao area first (王 张 李 刘 薛 丁 逄 ...).
SURNAMES = (
    "王王王张张张李李李刘刘刘孙孙于于杨杨赵赵陈徐徐高高董董丁丁薛薛纪逄臧宋宋"
    "郭马胡朱林何罗梁郑谢韩唐冯曹袁邓许傅沈曾彭吕苏卢蒋蔡贾魏叶杜戴夏钟田任姜"
    "范方石姚谭邹金陆郝孔白崔康毛邱秦江史顾侯邵孟万段雷钱汤尹常武乔贺龚窦隋辛"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏宁建国志海波辉斌宇浩凯晨欣悦雪琳婷慧颖"
    "倩晓东春丹飞峰成林文庆永德俊嘉梓涵睿轩怡航帆昊然泽鑫蕾莉岩松柏振兴爱民学忠立新世杰玉洁梅兰"
)
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "178", "182", "183", "185", "186", "187", "188", "189", "199")


class NameMaker:
    """Unique names and phone numbers for one load; the same seed gives the same sequence."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.used_phones: set[str] = set()

    def person(self) -> str:
        """A full name such as 薛振兴 or 王敏, never the same twice in one load."""
        while True:
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(1 if self.rng.random() < 0.3 else 2)
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def mobile(self) -> str:
        """An 11-digit mobile number, unique in this load."""
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def landline(self) -> str:
        """A Qingdao landline (0532)."""
        return f"0532-8{self.rng.randrange(10**6, 10**7)}"
