"""Materials and form fields of a matter, by its kind (project, plan, build, accept, register, ...).

Materials: (name, required, may_defer 容缺, may_commit 告知承诺). Form-field names are shared across the
matters of a bundle (enterprise_name, credit_code, address, contact_name, contact_phone, project_name,
investment, ...), so a bundle's one form asks each once.
"""
from __future__ import annotations

# name: (label, type)
FIELDS = {
    "enterprise_name": ("企业（单位）名称", "text"),
    "credit_code": ("统一社会信用代码", "text"),
    "legal_representative": ("法定代表人", "text"),
    "address": ("地址", "text"),
    "contact_name": ("联系人", "text"),
    "contact_phone": ("联系电话", "phone"),
    "project_name": ("项目名称", "text"),
    "investment": ("总投资（万元）", "number"),
    "industry": ("所属行业", "text"),
    "land_area": ("用地面积（平方米）", "number"),
    "building_area": ("建筑面积（平方米）", "number"),
    "construction_content": ("建设规模及内容", "textarea"),
    "construction_unit": ("施工单位", "text"),
    "start_date": ("计划开工日期", "date"),
    "completion_date": ("竣工日期", "date"),
    "registered_capital": ("注册资本（万元）", "number"),
    "business_scope": ("经营范围", "textarea"),
    "pollutants": ("主要污染物及治理措施", "textarea"),
    "land_use": ("土地用途", "text"),
    "occupy_area": ("占用面积（平方米）", "number"),
    "occupy_start": ("占用开始日期", "date"),
    "occupy_end": ("占用结束日期", "date"),
    "employee_count": ("职工人数", "number"),
    "applicant_name": ("申请人姓名", "text"),
    "id_number": ("公民身份号码", "text"),
    "village": ("所在村（社区）", "text"),
    "capacity_kva": ("申请容量（千伏安）", "number"),
    "staff_count": ("涉及人数", "number"),
}
ENTERPRISE = ("enterprise_name", "credit_code", "legal_representative", "address", "contact_name", "contact_phone")
RESIDENT = ("applicant_name", "id_number", "address", "contact_phone", "village")

FIELDS_BY_KIND = {
    "project": ENTERPRISE + ("project_name", "investment", "industry", "land_area", "construction_content"),
    "plan": ENTERPRISE + ("project_name", "investment", "land_area", "building_area"),
    "build": ENTERPRISE + ("project_name", "investment", "building_area", "construction_unit", "start_date"),
    "accept": ENTERPRISE + ("project_name", "investment", "building_area", "completion_date"),
    "register": ("enterprise_name", "legal_representative", "address", "registered_capital", "business_scope",
                 "contact_name", "contact_phone"),
    "licence": ENTERPRISE + ("business_scope",),
    "env": ENTERPRISE + ("project_name", "investment", "industry", "pollutants"),
    "land": ENTERPRISE + ("project_name", "land_area", "land_use"),
    "road": ENTERPRISE + ("project_name", "occupy_area", "occupy_start", "occupy_end"),
    "tax": ENTERPRISE,
    "social": ENTERPRISE + ("employee_count",),
    "farm": ("applicant_name", "id_number", "address", "contact_phone", "land_area"),
    "resident": RESIDENT,
    "utility": ("enterprise_name", "credit_code", "address", "contact_name", "contact_phone", "capacity_kva"),
    "hr": ("enterprise_name", "credit_code", "contact_name", "contact_phone", "staff_count"),
}
# Fields an applicant may leave empty.
OPTIONAL_FIELDS = frozenset({"construction_content", "pollutants", "land_area", "building_area", "business_scope"})

R, D, C = "required", "defer", "commit"
MATERIALS_BY_KIND = {
    "project": (("营业执照副本", R), ("项目可行性研究报告", R, D), ("项目选址及用地情况说明", R, D, C),
                ("法定代表人身份证明", R), ("授权委托书及经办人身份证件",)),
    "plan": (("建设用地权属证明", R, D), ("建设工程设计方案", R), ("总平面图及建筑单体图", R),
             ("规划条件", R), ("授权委托书及经办人身份证件",)),
    "build": (("建设工程规划许可证", R, D), ("施工合同", R), ("监理合同", R, D),
              ("施工图设计文件审查合格书", R, C), ("建设资金已落实承诺书", R, C), ("安全生产保障措施", R, C)),
    "accept": (("工程竣工验收报告", R), ("竣工图及竣工测量报告", R, D), ("工程质量检测报告", R, D),
               ("施工单位工程竣工报告", R), ("消防设施检测报告", R, D)),
    "register": (("法定代表人（负责人）身份证件", R), ("住所（经营场所）使用证明", R, C),
                 ("公司章程或合伙协议", R), ("股东（出资人）主体资格证明",)),
    "licence": (("营业执照", R), ("经营场所平面图及使用证明", R, C), ("主要设施设备清单", R, D),
                ("管理制度及从业人员资质证明", R, C), ("法定代表人身份证件", R)),
    "env": (("环境影响评价文件", R), ("建设项目选址红线图", R, D), ("污染防治设施说明", R),
            ("公众参与说明",), ("信用承诺书", R, C)),
    "land": (("用地红线图及界址点坐标", R), ("权属来源证明", R, D), ("土地勘测定界报告", R, D),
             ("村民会议或村民代表会议意见",), ("土地复垦承诺书", R, C)),
    "road": (("施工方案及占道位置示意图", R), ("交通疏导及安全保障方案", R, D), ("恢复原状承诺书", R, C),
             ("营业执照或身份证明", R)),
    "tax": (("营业执照", R), ("经办人身份证件", R), ("相关证明资料",)),
    "social": (("营业执照或身份证件", R), ("劳动合同", R, D), ("银行账户信息", R), ("真实性承诺书", R, C)),
    "farm": (("身份证件或营业执照", R), ("场所布局图", R, D), ("相关证明材料", R, C)),
    "resident": (("居民身份证", R), ("户口簿", R), ("家庭经济状况或相关证明", R, C), ("近期免冠照片", D)),
    "utility": (("用电人身份证明或营业执照", R), ("用电地址产权证明", R, C), ("用电设备清单", D)),
    "hr": (("人员信息表", R), ("审批（审核）表", R), ("单位领导班子会议纪要", R, D)),
}


def form_fields(kind: str) -> list[dict]:
    """The form fields of a matter of this kind."""
    return [
        {"name": name, "label": FIELDS[name][0], "type": FIELDS[name][1], "required": name not in OPTIONAL_FIELDS}
        for name in FIELDS_BY_KIND[kind]
    ]


def materials(kind: str, matter_name: str) -> list[tuple[str, bool, bool, bool]]:
    """(name, required, may_defer, may_commit) of each material, the application form first."""
    rows = [(f"《{matter_name}》申请表", True, False, False)]
    for name, *flags in MATERIALS_BY_KIND[kind]:
        rows.append((name, R in flags, D in flags, C in flags))
    return rows
