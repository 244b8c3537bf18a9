"""``salesim size``: the joint fresh-day check (issue 19 item 1) in the terminal, and the
best plan of a sizing whose fresh check still misses, written as ``sizing_failed.json`` (NOT
an answer: ``status`` is ``failed``; ``salesim size`` then exits 2)."""

from __future__ import annotations

import json
from pathlib import Path

from sim.core.atomic import write_text
from sim.event_sizing import SizingResult
from sim.event_sizing.output import sizing_dict
from sim.event_sizing.validate import Validation

FAILED_FILE = "sizing_failed.json"
ANSWER_FILE = "sizing.json"
SUPERSEDED_FILE = "sizing.superseded.json"


def retire_old_answer(out: Path) -> str:
    """A ``sizing.json`` left in ``out`` by an earlier run is not this run's answer: it is
    renamed ``sizing.superseded.json`` (kept, not deleted) so that ``salesim fee`` cannot bill
    it by mistake. Returns a note for the message ('' when there was none)."""
    old = out / ANSWER_FILE
    if not old.is_file():
        return ""
    old.replace(out / SUPERSEDED_FILE)
    return (f"; 旧方案已改名 an earlier run's {ANSWER_FILE} in this folder was renamed "
            f"{SUPERSEDED_FILE}")


def joint_line(v: Validation, rounds: int, search_level: float) -> str:
    """'联合 joint: all targets met on the same fresh day on 97.0% of 200 days (95% Wilson
    94.0–98.6%), level 0.95: meets'."""
    j = v.joint
    if j is None:
        return ""
    more = (f"; {rounds} 轮加严搜索 further search rounds (per-target level {search_level:.4f})"
            if rounds else "")  # fmt: skip
    return (f"联合达标 joint: 所有目标同日达标 all targets met on the same fresh day on "
            f"{j.share:.1%} of {j.days} days (95% Wilson {j.low:.1%}–{j.high:.1%}), level "
            f"{j.level:g}: {j.verdict}{more}")  # fmt: skip


def shortfall(v: Validation) -> str:
    """One line: what the best plan misses on the fresh days."""
    parts = [f"{c.target} met on {c.share_met:.1%}" for c in v.misses]
    if v.joint is not None and v.joint.verdict == "MISSES":
        parts.append(f"all targets on the same day {v.joint.share:.1%}")
    return "; ".join(parts) + f" (level {v.level:g}, {v.days} fresh days)"


def write_failed(result: SizingResult, out: Path, scenario_path: str) -> Path:
    """The best plan and its fresh-day check, marked ``status: failed`` (not an answer)."""
    data = sizing_dict(result, scenario_path)
    data["status"] = "failed"
    data["note"] = ("未通过样本外验证，不是答案 NOT an answer: the plan misses on fresh days "
                    "after every search round")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    path = out / FAILED_FILE
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path
