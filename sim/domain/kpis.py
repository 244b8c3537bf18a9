"""The one KPI catalogue: every KPI's key, Chinese and English label, unit and section.

Office KPIs (visitors, reps, VIP rooms, sample houses, phones, turns, mentoring), per-post
KPIs ``post.<post>.<metric>`` and event-day KPIs (``<desk>_<metric>`` and event-wide keys).
The computations live with the models (:mod:`sim.office.kpis`, :mod:`sim.event.kpis`); this
module only names and describes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.domain.labels import EVENT_POSTS, POST_LABELS


@dataclass(frozen=True)
class Kpi:
    """A KPI's identity and how to show it."""

    key: str
    zh: str
    en: str
    unit: str  # "groups", "people", "min", "share" (shown as %), "ratio"
    section: str  # the post or area it belongs to


class _Sections(dict[str, str]):
    """Section titles; a staffed post's section is named after the post."""

    def __missing__(self, key: str) -> str:
        if (title := event_section(key)) is not None:
            return title
        post = key.removeprefix("post.")
        if post in POST_LABELS:
            code, zh, en = POST_LABELS[post]
            return f"{zh} {en}" + (f" ({code})" if code != "—" else "")
        raise KeyError(key)


SECTIONS = _Sections(
    visitors="来访 Visitors",
    reps="置业顾问 Sales reps (X)",
    vip="VIP室 VIP rooms",
    sample_houses="样板间 Sample houses",
    phones="电话值守 Phone duty (P1–P3)",
    turns="轮序与公平 Turns and fairness (R4–R12, V1)",
    mentoring="新人带教 Mentoring (V4)",
)

CATALOGUE: tuple[Kpi, ...] = (
    Kpi("groups_arrived", "到访组数", "groups arrived", "groups", "visitors"),
    Kpi("groups_served", "接待组数", "groups served", "groups", "visitors"),
    Kpi("people_arrived", "到访人数", "visitors arrived, people", "people", "visitors"),
    Kpi("people_served", "接待人数", "visitors served, people", "people", "visitors"),
    Kpi("deals", "成交组数", "deals: served groups that signed (成交/签约)", "groups", "visitors"),
    Kpi("deal_share", "成交率", "deals per group served", "share", "visitors"),
    Kpi("satisfaction_mean", "满意度平均", "satisfaction 1-5 of groups served: wait, grabbing (model: assumptions)", "ratio", "visitors"),
    Kpi("follow_up_calls", "低分回访组数", "groups served scoring below 4: follow-up calls", "groups", "visitors"),
    Kpi("groups_lost", "流失组数", "groups lost (left unserved)", "groups", "visitors"),
    Kpi("lost_share", "流失率", "share lost", "share", "visitors"),
    Kpi("non_sales", "非销售来访", "non-sales visitors (R5)", "groups", "visitors"),
    Kpi("refused_admission", "门岗劝离组数", "walk-ins turned away at the gate (admission)", "groups", "visitors"),
    Kpi("asked_to_wait", "安排等候组数", "walk-ins asked to wait in the waiting area", "groups", "visitors"),
    Kpi("refused_protocol", "接待保障期间谢绝组数", "walk-ins refused during an important visit", "groups", "visitors"),
    Kpi("present_at_end", "结束时在场组数", "groups still inside at the end", "groups", "visitors"),
    Kpi("visit_mean", "平均停留时长", "mean time in the office", "min", "visitors"),
    Kpi("overtime_min", "闭门后延时", "time past closing until empty", "min", "visitors"),
    Kpi("wait_rep_mean", "等待顾问平均时长", "wait for a rep, mean", "min", "reps"),
    Kpi("wait_rep_p90", "等待顾问P90", "wait for a rep, P90", "min", "reps"),
    Kpi("wait_rep_over_target", "等待超标比例", "share waiting over target or lost", "share", "reps"),
    Kpi("rep_utilisation", "顾问利用率", "rep utilisation", "share", "reps"),
    Kpi("rep_overtime_min", "顾问超时工作", "rep minutes worked past shift ends (no shift: past closing)", "min", "reps"),
    Kpi("receptions_min", "人均接待最少", "receptions per rep, min", "groups", "reps"),
    Kpi("receptions_max", "人均接待最多", "receptions per rep, max", "groups", "reps"),
    Kpi("receptions_spread", "接待量极差", "receptions per rep, max - min", "groups", "reps"),
    Kpi("receptions_gini", "接待量基尼系数", "receptions per rep, Gini", "ratio", "reps"),
    Kpi("own_rep_share", "原顾问接待比例", "returning/designated groups served by own rep", "share", "reps"),
    Kpi("vip_requests", "VIP室需求组数", "groups asking for a VIP room", "groups", "vip"),
    Kpi("vip_wait_mean", "VIP室等待平均", "wait for a VIP room, mean", "min", "vip"),
    Kpi("vip_wait_p90", "VIP室等待P90", "wait for a VIP room, P90", "min", "vip"),
    Kpi("vip_to_table_share", "转洽谈桌比例", "VIP requests seated at a table", "share", "vip"),
    Kpi("vip_occupancy", "VIP室占用率", "VIP room occupancy (opening hours)", "share", "vip"),
    Kpi("house_wait_mean", "样板间等待平均", "wait at a sample house, mean", "min", "sample_houses"),
    Kpi("house_wait_p90", "样板间等待P90", "wait at a sample house, P90", "min", "sample_houses"),
    Kpi("house_wait_over_target", "样板间等待超标比例", "sample-house waits over target", "share", "sample_houses"),
)  # fmt: skip

PHONE_KPIS: tuple[Kpi, ...] = (
    Kpi("calls", "来电数", "calls", "calls", "phones"),
    Kpi("calls_within_rings_share", "三声内接听率", "calls answered within the ring target (P1)", "share", "phones"),
    Kpi("calls_transferred_share", "转备岗比例", "calls transferred to the backup receptionist (P2)", "share", "phones"),
    Kpi("calls_lost_share", "未接来电比例", "calls lost", "share", "phones"),
    Kpi("phone_rep_utilisation", "接电占用率", "phone-duty reps' time on calls", "share", "phones"),
)

# Per-post KPIs: ``post.<post>.<metric>``.
POST_METRICS: dict[str, tuple[str, str, str]] = {
    "tasks": ("任务数", "tasks", "tasks"),
    "response_mean": ("响应时间平均", "response time, mean", "min"),
    "response_p90": ("响应时间P90", "response time, P90", "min"),
    "over_target": ("响应超标比例", "responses over target", "share"),
    "utilisation": ("利用率", "utilisation", "share"),
    "peak_hour_utilisation": ("高峰小时利用率", "utilisation in the busiest hour", "share"),
    "overtime_min": ("超时工作", "minutes worked past shift ends", "min"),
}


def fixed_kpis() -> tuple[Kpi, ...]:
    """Every KPI with a fixed key: catalogue, turns, mentoring, phones (not per post/event)."""
    return (*CATALOGUE, *TURN_KPIS, *MENTOR_KPIS, *PHONE_KPIS)


def describe_kpi(key: str) -> Kpi:
    """The KPI named ``key`` (labels, unit, section): a catalogue, turn, mentoring, phone,
    per-post (``post.<post>.<metric>``) or event-day KPI; ``KeyError`` if there is none."""
    for k in fixed_kpis():
        if k.key == key:
            return k
    parts = key.split(".")
    post_kpi = len(parts) == 3 and parts[0] == "post" and parts[2] in POST_METRICS
    if post_kpi and parts[1] in POST_LABELS:
        _code, zh, en = POST_LABELS[parts[1]]
        mzh, men, unit = POST_METRICS[parts[2]]
        return Kpi(key, f"{zh}{mzh}", f"{en}: {men}", unit, f"post.{parts[1]}")
    if (event_kpi := describe_event(key)) is not None:
        return event_kpi
    raise KeyError(key)


class _Catalogue(dict[str, Kpi]):
    """KPI by key, including the per-post and phone KPIs."""

    def __missing__(self, key: str) -> Kpi:
        kpi = describe_kpi(key)
        self[key] = kpi
        return kpi

    def __contains__(self, key: object) -> bool:
        try:
            self[str(key)]
        except KeyError:
            return False
        return True



TURN_KPIS: tuple[Kpi, ...] = (
    Kpi("turns_granted", "轮序接待次数", "rotation turns taken", "turns", "turns"),
    Kpi("turns_skipped", "轮空次数", "turns skipped by rule (R7 named rep)", "turns", "turns"),
    Kpi("makeups_granted", "补位机会发放", "make-up turns granted (R4a, R6, R7)", "turns", "turns"),
    Kpi("turns_made_up", "补位接待次数", "make-up turns used", "turns", "turns"),
    Kpi("turns_lent", "接电组支援次数", "phone-group reps lent to the desk (R4, R9)", "turns", "turns"),
    Kpi("phone_makeups", "接电补位次数", "make-up phone turns after helping (R8)", "turns", "turns"),
    Kpi("own_rep_wait_mean", "等待原顾问平均", "returning/named-rep groups: wait for own rep, mean", "min", "turns"),
    Kpi("own_rep_fallbacks", "原顾问不在改派", "own-rep groups served by another rep (R6, R7)", "groups", "turns"),
    Kpi("rep_utilisation_min", "顾问利用率最低", "rep utilisation, lowest rep", "share", "turns"),
    Kpi("rep_utilisation_max", "顾问利用率最高", "rep utilisation, highest rep", "share", "turns"),
    Kpi("surveys", "市调/代问接待", "market surveys and asking for a friend received (R5)", "groups", "turns"),
    Kpi("not_received", "未接待组数", "groups not received (R12 media open day)", "groups", "turns"),
    Kpi("grab_incidents", "抢客次数", "grabbing incidents: 2+ reps approach a group (V1)", "groups", "turns"),
    Kpi("grabbed_share", "遭抢客比例", "share of served groups that were grabbed (V1)", "share", "turns"),
    Kpi("grab_reps_mean", "争抢人数平均", "reps approaching a grabbed group, mean (V1)", "reps", "turns"),
    Kpi("grab_group_min", "抢客耽误客户时长", "minutes grabbed groups lost, total (V1)", "min", "turns"),
    Kpi("grab_rep_min", "抢客耽误顾问工时", "rep minutes lost to grabbing, total (V1)", "min", "turns"),
    Kpi("extra_reps", "大团加派顾问", "further reps sent with large parties (V3)", "reps", "turns"),
)  # fmt: skip

MENTOR_KPIS: tuple[Kpi, ...] = (
    Kpi("mentor_signings", "带教签约次数", "new reps' signings with a mentor asked (V4)", "groups", "mentoring"),
    Kpi("mentor_wait_mean", "等待带教平均", "wait for a mentor before signing, mean (V4)", "min", "mentoring"),
    Kpi("mentor_rep_min", "带教占用工时", "experienced rep minutes held as mentor (V4)", "min", "mentoring"),
    Kpi("unmentored_signings", "无带教签约", "signings without a mentor: none on duty or the wait ran out (V4)", "groups", "mentoring"),
)  # fmt: skip

EVENT_DESK_METRICS: dict[str, tuple[str, str, str]] = {
    "wait_mean": ("等待平均", "wait, mean", "min"),
    "wait_p90": ("等待P90", "wait, P90", "min"),
    "wait_over_target": ("等待超标比例", "share waiting over the desk target", "share"),
    "queue_max": ("最长排队组数", "longest queue", "groups"),
    "utilisation": ("利用率", "utilisation", "share"),
    "unserved": ("未服务组数", "groups unserved at the end of the day", "groups"),
}

EVENT_METRICS: dict[str, tuple[str, str, str]] = {
    "groups": ("到场组数", "groups arrived", "groups"),
    "persons": ("到场人数", "people arrived", "people"),
    "waiting_area_peak": ("等候区峰值人数", "waiting area: peak people", "people"),
    "waiting_area_overflow_min": ("等候区超容时长", "waiting area: minutes over capacity", "min"),
    "waiting_area_time_mean": ("等候区停留平均", "waiting area: time per group, mean", "min"),
    "waiting_area_time_p90": ("等候区停留P90", "waiting area: time per group, P90", "min"),
    "moved_to_end": ("过号移至最后组数", "no-shows moved to the end (3 calls)", "groups"),
    "time_in_event_mean": ("平均在场时长", "time from arrival to leaving, mean", "min"),
    "event_duration_min": ("活动完成用时", "time to finish: day open to last group out", "min"),
    "card_mean": ("满意度评分平均", "satisfaction card, mean 1-5 (V5; model: assumptions)", "ratio"),
    "card_follow_ups": ("低分回访客户数", "buyers scoring below 4: follow-up calls (V5)", "groups"),
    "card_low_share": ("低分比例", "share of cards below 4 (V5)", "share"),
}


def event_kpi_keys() -> list[str]:
    """Every event KPI key (all posts), in display order."""
    return [*EVENT_METRICS, *(f"{p}_{m}" for p in EVENT_POSTS for m in EVENT_DESK_METRICS)]


def split_key(key: str) -> tuple[str, str] | None:
    """``('sign_in', 'wait_p90')`` for a desk KPI key, else ``None``."""
    for post in EVENT_POSTS:
        metric = key.removeprefix(f"{post}_")
        if metric != key and metric in EVENT_DESK_METRICS:
            return post, metric
    return None


def describe_event(key: str) -> Kpi | None:
    """The catalogue entry of an event KPI key, or ``None`` if it is not one."""
    if key in EVENT_METRICS:
        zh, en, unit = EVENT_METRICS[key]
        return Kpi(key, zh, en, unit, "event")
    found = split_key(key)
    if found is None:
        return None
    post, metric = found
    pzh, pen = EVENT_POSTS[post]
    mzh, men, unit = EVENT_DESK_METRICS[metric]
    return Kpi(key, f"{pzh}{mzh}", f"{pen}: {men}", unit, f"event.{post}")


def event_section(key: str) -> str | None:
    """The title of an event KPI section (``event`` or ``event.<post>``)."""
    if key == "event":
        return "活动日 Event day"
    post = key.removeprefix("event.")
    if post in EVENT_POSTS:
        zh, en = EVENT_POSTS[post]
        return f"{zh} {en}"
    return None


BY_KEY = _Catalogue({k.key: k for k in CATALOGUE})
