"""The plan's rules in words (assumptions sheet, HTML page, docs) and shared sheet names."""

from __future__ import annotations

SUMMARY = "汇总 summary"
BASELINE = "基础岗位 baseline"
OPTIONAL = "选配岗位 optional"
EVENT = "活动附加 event"
ASSUMPTIONS = "假设 assumptions"
SHEETS = (SUMMARY, BASELINE, OPTIONAL, EVENT, ASSUMPTIONS)

RULES: tuple[tuple[str, str], ...] = (
    ("单人月成本 all-in cost",
     "工资=基本工资+周末加班+节假日加班；社保、公积金=缴费基数×比例；直接成本=工资+社保+公积金+福利；"
     "不可预见费=直接成本×比例；小计=直接成本+不可预见费；管理费=小计×比例；税金=(小计+管理费)×税率；"
     "合计=小计+管理费+税金. wage = base + weekend OT + holiday OT; social insurance and housing "
     "fund = base × rate; direct = wage + insurance + fund + welfare; subtotal = direct + "
     "contingency; all-in = subtotal + management fee + tax on (subtotal + management fee). "
     "flat_monthly posts cost that amount all-in."),
    ("金额取整 money rounding",
     "每一步按比例计算的金额四舍五入到分 (ROUND_HALF_UP, Excel ROUND(x,2)); 合计为已取整金额之和. "
     "Every amount computed with a rate is rounded to the fen, halves up; totals add rounded "
     "amounts."),
    ("人数取整 heads rounding",
     "人数为整人：人数 = 向上取整(岗位数 × 轮休系数)，轮休系数覆盖休息日. Heads are whole people: "
     "heads = ceil(posts × relief factor), computed exactly (Excel ROUNDUP(ROUND(x,6),0)); the "
     "relief factor covers rest days. Sales reps are counted as the people the scenario names."),
    ("岗位数 posts",
     "按场景：各岗位各班次人数之和，即每日当班人数（每人每天只上一个班，一岗两班为两个岗位，"
     "无论两班是否重叠）；同时在岗峰值仅作参考，不计费；"
     "按面积：向上取整(面积/每岗面积)之和+固定岗位. "
     "From the scenario: the sum of a post's headcounts over all shifts, i.e. its people on "
     "shift a day (each person works one shift a day, so an early and a late shift are two "
     "posts whether they overlap or run back to back); the most on duty at once is shown for "
     "information only. From measured areas: Σ ceil(area m² / m² per post) + fixed posts."),
    ("活动计费 event billing",
     "按小时计费：人·小时 = Σ各时段增员×时段小时数；按天计费：人·天 = 各时段最大增员；"
     "金额 = 计费量×单价×活动天数，取整到分. per hour: person-hours = Σ over blocks of extra "
     "people × block hours; per day: person-days = the largest extra headcount of any block; "
     "amount = units × rate × event days, to the fen. Only `extra` (total − baseline) is billed."),
    ("不确定性 uncertainty",
     "仿真给出的90%与99%置信水平下的增员人数及其费用，与方案所用置信水平并列. The extra headcount "
     "at 90 % and 99 % confidence (headcount_at of the sizing file) priced by the same rule."),
)  # fmt: skip
