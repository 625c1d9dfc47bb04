"""The Excel layout of the catalogue file (事项清单导入模板): sheets, Chinese column headers, value words.

One definition read by both the export and the import, so a file the platform writes is always a file it
can read, and a centre can start from an export (or the empty template) and fill it in.
"""
from __future__ import annotations

from dataclasses import dataclass

from onestop.catalog.spec import LEVEL_WORDS, SOURCE_WORDS, UNIT_WORDS


@dataclass(frozen=True)
class Sheet:
    key: str  # the English name, used in JSON and in error reports' `field`
    title: str  # the sheet's name in the workbook
    columns: tuple[tuple[str, str], ...]  # (field, Chinese header)
    required: tuple[str, ...]  # columns that must be present
    widths: tuple[int, ...] = ()

    def header(self, field: str) -> str:
        return dict(self.columns).get(field, field)


MATTERS = Sheet(
    "matters", "事项",
    (("code", "事项编码"), ("name", "事项名称"), ("department", "部门编码"), ("legal_limit", "法定时限(天)"),
     ("promised_limit", "承诺时限(天)"), ("limit_unit", "时限单位"), ("warn_days", "预警天数"),
     ("lowest_level", "最低办理层级"), ("source", "事项来源"), ("legal_basis", "设定依据"), ("active", "是否启用"),
     ("broken_commitment_stops", "失信即终止")),
    ("code", "name", "department", "legal_limit", "promised_limit", "lowest_level", "source"),
    (18, 36, 12, 12, 12, 10, 10, 12, 12, 48, 10, 12),
)
MATERIALS = Sheet(
    "materials", "材料",
    (("matter", "事项编码"), ("position", "序号"), ("name", "材料名称"), ("required", "是否必需"),
     ("may_defer", "可容缺受理"), ("may_commit", "可告知承诺"), ("note", "备注")),
    ("matter", "name"),
    (18, 8, 40, 10, 12, 12, 40),
)
FORM_FIELDS = Sheet(
    "form_fields", "表单字段",
    (("matter", "事项编码"), ("position", "序号"), ("name", "字段名"), ("label", "字段标签"), ("type", "字段类型"),
     ("required", "是否必填"), ("options", "选项(用|分隔)")),
    ("matter", "name", "label"),
    (18, 8, 20, 24, 14, 10, 36),
)
BUNDLES = Sheet(
    "bundles", "一件事",
    (("code", "一件事编码"), ("name", "一件事名称"), ("description", "说明")),
    ("code", "name"),
    (18, 30, 60),
)
STAGES = Sheet(
    "stages", "阶段",
    (("bundle", "一件事编码"), ("position", "阶段序号"), ("name", "阶段名称"), ("promised_limit", "承诺时限(天)"),
     ("limit_unit", "时限单位"), ("matters", "并联事项编码(用、分隔)")),
    ("bundle", "name", "promised_limit", "matters"),
    (18, 10, 20, 12, 10, 60),
)
DATA_SHEETS = (MATTERS, MATERIALS, FORM_FIELDS, BUNDLES, STAGES)
README_TITLE = "填写说明"
DEPARTMENTS_TITLE = "部门编码表"

YES, NO = "是", "否"
UNIT_LABEL = {str(k): v[0] for k, v in UNIT_WORDS.items()}
LEVEL_LABEL = {str(k): v[0] for k, v in LEVEL_WORDS.items()}
SOURCE_LABEL = {str(k): v[0] for k, v in SOURCE_WORDS.items()}

README_LINES = (
    "事项清单导入模板（OneStop 项目落地一件事服务平台）",
    "",
    "本文件包含五张数据表：事项、材料、表单字段、一件事、阶段。第一行为表头，请勿修改表头文字；从第二行起每行一条记录。",
    "导入时先逐行检查全部内容：任何一行有错，整个文件都不导入，并逐行列出错误（工作表、行号、列、问题）。",
    "检查通过后按编码新增或更新：文件中出现的事项，其材料和表单字段以文件为准（文件中没有的材料将被删除）；",
    "文件中没有出现的事项保持不变（不会被删除；停用事项请把“是否启用”填“否”）。一件事的阶段同样以文件为准。",
    "",
    "事项：事项编码唯一（字母、数字、点、横线、下划线）；部门编码须为已有部门（见“部门编码表”）；",
    "  时限单位：工作日 / 自然日；最低办理层级：区级 / 镇级 / 村级；事项来源：赋权事项 / 村内办理 / 本级事项；",
    "  承诺时限不得超过法定时限；预警天数可不填（默认取承诺时限的20%，至少1天）；",
    "  失信即终止填“是”或“否”（可不填，默认“是”）：申请人未履行容缺或告知承诺时，是否终止办理该申请。",
    "材料：按“事项编码”归属事项，“序号”决定顺序；是否必需、可容缺受理、可告知承诺填“是”或“否”。",
    "表单字段：字段名用小写英文字母、数字、下划线（同一一件事的各事项共用同名字段，只填一次）；",
    "  字段类型：text 文本、textarea 多行文本、integer 整数、number 数字、money 金额、date 日期、boolean 是否、",
    "  select 单选、multiselect 多选（须填选项，用|分隔）、phone 电话、email 邮箱、idcard 身份证号、",
    "  credit_code 统一社会信用代码、address 地址、file 附件。",
    "一件事与阶段：阶段按“阶段序号”依次办理，同一阶段的事项并联办理；“并联事项编码”用顿号、逗号或换行分隔。",
)
