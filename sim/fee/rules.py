"""The plan's rules in words (assumptions sheet, HTML page, docs) and shared sheet names."""

from __future__ import annotations

SUMMARY = "汇总 summary"
INVOICE = "月度账单 invoice"
BASELINE = "基础岗位 baseline"
OPTIONAL = "选配岗位 optional"
EVENT = "活动附加 event"
ASSUMPTIONS = "假设 assumptions"
SHEETS = (SUMMARY, INVOICE, BASELINE, OPTIONAL, EVENT, ASSUMPTIONS)

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
    ("人数 heads from hours",
     "月覆盖工时=每日覆盖工时×每月开放天数；人均月工时=合同工时(365×每周工作天数/7−法定节假日−年休假)"
     "×每日工时/12+加班工时(每月周末加班天数×每日工时+法定节假日上班时 法定节假日×每日工时/12)；"
     "折算人力=月覆盖工时÷人均月工时；人数=向上取整(班组折算人力之和)；轮休系数=人数÷岗位数（计算结果，"
     "费率卡数值仅作对比）；管理岗按在岗人数计；置业顾问按场景人数计. covered h/month = covered "
     "h/day × open days a month; hours per person = contract hours (365 × days a week / 7 − "
     "statutory holidays − annual leave) × hours a day / 12 + overtime (weekend overtime days × "
     "hours a day, plus statutory holidays × hours a day / 12 when holidays are worked), each to "
     "0.01 h; FTE = covered ÷ hours per person (6 decimals); heads = ceil(Σ FTE of the team) "
     "(Excel ROUNDUP(ROUND(x,6),0)); relief factor = heads ÷ positions, an output (the card's "
     "figure is shown for comparison only); cover: person posts (managers) count the people on "
     "shift; the reps are the people the scenario names."),
    ("岗位与覆盖工时 positions and covered hours",
     "按场景：每日覆盖工时=各班次人数×班次工时（扣除休息）之和，岗位数=同时在岗最多人数；"
     "按面积：岗位数=Σ向上取整(面积/每岗面积)+固定岗位，每岗覆盖营业时间. From the scenario: "
     "covered hours a day = Σ headcount × the shift's hours (breaks left out); positions = the "
     "most on duty at once. From measured areas: positions = Σ ceil(area m² / m² per post) + "
     "fixed posts, each covered through opening hours."),
    ("选配岗位 optional posts",
     "按业态提出；场景已配置的选配岗位按场景工时计入选配，不再计入基础岗位（不重复计费）；"
     "未配置的按费率卡建议岗位数×每日工时×在岗日计. Proposed per product type; a post the "
     "scenario staffs is billed once, as optional, from the scenario's hours (never also in the "
     "baseline); any other from the card's positions × hours a day on its day types."),
    ("活动计费 event billing",
     "按小时计费：人·小时 = Σ各时段增员×时段小时数；按天计费：人·天 = 各时段最大增员；"
     "金额 = 计费量×单价×活动天数，取整到分. per hour: person-hours = Σ over blocks of extra "
     "people × block hours; per day: person-days = the largest extra headcount of any block; "
     "amount = units × rate × event days, to the fen. Only `extra` (total − baseline) is billed."),
    ("不确定性 uncertainty",
     "仿真给出的90%与99%置信水平下的增员人数及其费用，与方案所用置信水平并列. The extra headcount "
     "at 90 % and 99 % confidence (headcount_at of the sizing file) priced by the same rule."),
)  # fmt: skip
