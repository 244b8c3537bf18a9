"""Input errors said Chinese first: a Chinese headline before the English explanation.

Every problem with a scenario, rate card or option value is one line ``file:line: path =
value: explanation`` (:mod:`sim.scenario.messages`), the explanation written in English by
the schema's checks. The users read Chinese, so :func:`chinese_first` puts before it what
kind of problem it is, in Chinese: "应在 0 到 200 之间 must be between 0 and 200", "缺少此项
missing; …". The English stays: it names the exact bound, choices and keys. A problem no rule
below knows still gets a Chinese headline (取值有误, the value is wrong), so no line opens in
English.
"""

from __future__ import annotations

import re

Rules = tuple[tuple[str, str], ...]
"""(pattern on an English explanation, its Chinese headline), the first that matches wins."""

_RULES: Rules = (
    (r"^missing", "缺少此项"),
    (r"^must be between (\S+) and (\S+)", r"应在 \1 到 \2 之间"),
    (r"^must be (greater|less) than \S+ and", "超出范围"),
    (r"^must be at least (\S+)$", r"应不小于 \1"),
    (r"^must be at most (\S+)$", r"应不大于 \1"),
    (r"^must be at least", "太小"),
    (r"^must be greater than (\S+)$", r"应大于 \1"),
    (r"^must be less than (\S+)$", r"应小于 \1"),
    (r"^must be a whole number", "应为整数"),
    (r"^must be a finite number", "应为有限的数"),
    (r"^must be a number", "应为数"),
    (r"^must be one of", "应为以下之一"),
    (r"^must be true or false", "应为 true 或 false"),
    (r"^must be text", "应为文字"),
    (r"^must not be empty", "不能为空"),
    (r"^must be a list", "应为列表"),
    (r"^must be a (mapping|distribution)", "应为键值表"),
    (r"^must be a clock time", "应为时刻 HH:MM"),
    (r"^must be a share", "应为 0 到 1 的比例"),
    (r"^must be within (the day|opening hours)", "应在营业时间内"),
    (r"must end after it starts", "结束应晚于开始"),
    (r"^must be one word", "应为一个词（不含空格、点和符号）"),
    (r"whole numbers", "应为整数"),
    (r"needs min", "分布的参数不合理"),
    (r"^must be (after|later than)", "时间先后不对"),
    (r"^must be absent", "应省略"),
    (r"^must have at most \S+ decimal", "小数位太多"),
    (r"^must have at least", "项数太少"),
    (r"^must have at most", "项数太多"),
    (r"^has too few items", "项数太少"),
    (r"^unknown distribution kind", "未知的分布类型"),
    (r"^unknown key", "未知的键"),
    (r"^unknown policy", "未知的轮序规则"),
    (r"^unknown shift", "未知的班次"),
    (r"^unknown post", "未知的岗位"),
    (r"^name at least one", "至少要有一项"),
    (r"^weights must be numbers", "权重应为不小于 0 的数"),
    (r"must be at most", "太大"),
    (r"^unknown \w+ KPI", "未知的指标"),
    (r"is not staffed", "该岗位无人值守"),
    (r"must sum to", "合计不对"),
    (r"must be unique|twice", "重复"),
    (r"^give (either|exactly one)", "只能给其中一个"),
    (r"\bneeds\b", "缺少所需的设置"),
)
"""(pattern on the English explanation, its Chinese headline); the first that matches."""

_TASK_RULES: Rules = (
    (r"^cannot write", "无法写入"),
    (r"^cannot read", "无法读取"),
    (r"^no such", "找不到"),
    (r"^not a JSON file", "不是 JSON 文件"),
    (r"^no targets|^no office_sizing", "没有目标"),
    (r"^impossible target", "目标无法达到"),
    (r"is not a block length", "不是时段长度"),
    (r"too few", "太少"),
    (r"^unknown", "未知"),
    (r"^more than|^at most", "太多"),
    (r"damaged", "数据已损坏"),
    (r"^must be", "应为"),
)
"""Rules for the command line's own problems (:func:`said_line`), tried after the others."""

FALLBACK = "取值有误"
"""The headline of an explanation no rule knows: the value is wrong."""

_CHINESE = re.compile("[\u4e00-\u9fff]")


def chinese_first(explanation: str) -> str:
    """``explanation`` (English) with its Chinese headline before it."""
    return _headed(explanation, _RULES)


def said_line(line: str) -> str:
    """A problem line ``where: explanation`` said Chinese first. It is left as it is when a
    part after a ``": "`` opens in Chinese already; else the headline goes before the first
    such part a rule knows at its start, then before the first part whose own text (up to the
    next ``": "``) a rule knows anywhere, and the generic one after the first ``": "`` (or
    before it all)."""
    cuts = [m.end() for m in re.finditer(": ", line)]
    if any(_CHINESE.match(line, cut) for cut in cuts):
        return line
    rules = _RULES + _TASK_RULES
    for anywhere in (False, True):
        for i, cut in enumerate(cuts):
            end = cuts[i + 1] - 2 if anywhere and i + 1 < len(cuts) else len(line)
            said = headline(line[cut:end], rules, anywhere)
            if said is not None:
                return f"{line[:cut]}{said} {line[cut:]}"
    cut = cuts[0] if cuts else 0
    return f"{line[:cut]}{FALLBACK} {line[cut:]}"


def _headed(explanation: str, rules: Rules) -> str:
    return f"{headline(explanation, rules) or FALLBACK} {explanation}"


def headline(explanation: str, rules: Rules, anywhere: bool = True) -> str | None:
    """The headline of the first of ``rules`` that matches (``anywhere``, or only at the
    start), or ``None``."""
    for pattern, said in rules:
        match = re.search(pattern, explanation)
        if match and (anywhere or match.start() == 0):
            return match.expand(said)
    return None
