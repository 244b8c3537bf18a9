"""Post kinds are plug-ins (issue 11): a new service post type is one module in
``sim/posts/kinds/`` and nothing else — the scenario section, the simulation, the KPI
catalogue (Chinese labels) and the fee plan (an unpriced post is a warning) all pick it up.

The test copies the package, adds a security patrol (rounds on a timetable: a post with a task
stream of its own, not driven by visitors) and drives the copy in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PATROL = '''
"""Security patrol (安保巡逻): a round of the grounds every ``every_min`` minutes while the
post is open, by whoever is on shift."""

from __future__ import annotations

from pydantic import Field

from sim.core.schema import Positive
from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process


class PatrolSpec(PostSpec):
    """A patrol: rounds on a timetable."""

    every_min: Positive = Field(60, description="a round every this many minutes")


class Patrol(PostBehaviour):
    """Rounds from the start of the day until the post closes."""

    spec: PatrolSpec

    def start(self) -> None:
        self.line.env.process(self._rounds())

    def _rounds(self) -> Process:
        env = self.line.env
        while not self.post.closed:
            self.work()
            yield env.timeout(self.spec.every_min)


KIND = PostKind(
    key="security_patrol", code="—", zh="安保巡逻", en="security patrol", order=95,
    description="security patrol (安保巡逻); a round every every_min minutes",
    spec=PatrolSpec, behaviour=Patrol,
)
'''

DRIVER = '''
import json, sys
import yaml
import sim
from sim.domain.kpis import BY_KEY
from sim.model import simulate_day
from sim.scenario.loader import validate_scenario

data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
plain = validate_scenario(data, "weekend")
data["staffing"]["security_patrol"] = {
    "headcount": {"D": 1}, "task": {"dist": "fixed", "value": 15}, "every_min": 60,
}
patrolled = validate_scenario(data, "weekend+patrol")
before, after = simulate_day(plain, 5), simulate_day(patrolled, 5)
arrivals = lambda day: [row[:10] for row in day.tables.visits]
print(json.dumps({
    "package": sim.__file__,
    "tasks": after.kpis["post.security_patrol.tasks"],
    "response_mean": after.kpis["post.security_patrol.response_mean"],
    "label": BY_KEY["post.security_patrol.tasks"].zh,
    "same_visitors": arrivals(before) == arrivals(after),
    "other_kpis_equal": all(before.kpis[k] == after.kpis[k] for k in before.kpis
                            if k.startswith("groups_")),
}, ensure_ascii=False))
'''


def _copy_with_patrol(tmp: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "sim", tmp / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp / "sim" / "posts" / "kinds" / "security_patrol.py").write_text(PATROL, "utf-8")
    shutil.copytree(ROOT / "ratecards", tmp / "ratecards")
    return {**os.environ, "PYTHONPATH": str(tmp)}


def test_a_new_post_kind_is_one_module(tmp_path: Path) -> None:
    env = _copy_with_patrol(tmp_path)
    weekend = str(ROOT / "scenarios" / "weekend.yaml")
    done = subprocess.run([sys.executable, "-c", DRIVER, weekend], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["package"].startswith(str(tmp_path))  # the copy ran, not the checkout
    # shift D 09:00-18:00: rounds at 09:00, 10:00, ..., 17:00 (9; the round due at 18:00 finds
    # the post closed), each 15 min by the one patroller
    assert out["tasks"] == 9 and out["response_mean"] == 0.0
    assert out["label"] == "安保巡逻任务数"
    assert out["same_visitors"] and out["other_kpis_equal"]  # common random numbers


def test_a_card_without_the_new_post_bills_the_rest_and_names_it(tmp_path: Path) -> None:
    env = _copy_with_patrol(tmp_path)
    scenario = tmp_path / "patrolled.yaml"
    text = (ROOT / "scenarios" / "weekend.yaml").read_text(encoding="utf-8")
    scenario.write_text(text.replace(
        "  shifts:", "  security_patrol: {headcount: {D: 1}}\n  shifts:", 1), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "fee", str(scenario), "--out", str(tmp_path / "fee")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "does not price post 'security_patrol'" in done.stderr and "安保巡逻" in done.stderr
    assert (tmp_path / "fee" / "fee_plan.xlsx").is_file()
