"""Bad scenario input gives one clear line per problem and exit code 2, never a traceback.

Each ``tests/fixtures/bad/<name>.yaml`` is ``scenarios/weekday.yaml`` (kept as ``_base.yaml``)
with exactly one mistake; its first line says which. ``CASES`` gives, for each, the line the
message must point to, the field path, the value as shown and a fragment of what is allowed.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from click.testing import CliRunner, Result

from sim.cli import main
from sim.core.distributions import KINDS
from sim.core.schema import StrictModel
from sim.policies import known_policies
from sim.scenario import ScenarioError, derive, load_scenario, validate_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad"
BASE = BAD / "_base.yaml"
BASE_STAFFING = BAD / "_base_staffing.yaml"  # _base.yaml with a staffing: section appended
BASE_EVENT = BAD / "_base_event.yaml"  # _base.yaml with an event: section appended
SALESIM = Path(sys.executable).parent / "salesim"

# fixture, line (None when the key is absent), field path, value as shown, allowed fragment
CASES: list[tuple[str, int | None, str | None, str | None, str]] = [
    ("name_empty", 3, "name", "''", "must not be empty"),
    ("name_control_character", 3, "name", "'week\\x00day'", "the control character U+0000"),
    ("description_list", 4, "description", "['工作日', 'weekday']", "must be text"),
    (
        "day_type",
        9,
        "day.type",
        "'weekdy'",
        "one of weekday, weekend, holiday, event, media (did you mean 'weekday'?)",
    ),
    ("day_open_int", 10, "day.open", "9", "did you mean '09:00'?"),
    ("day_close_minutes", 11, "day.close", "'18:75'", "minutes 00–59"),
    ("day_close_before_open", 11, "day.close", "'08:00'", "must be after day.open ('09:00')"),
    ("day_run_until", 12, "day.run_until", "'never'", "one of empty, close"),
    ("day_open_missing", 8, "day.open", None, "this key is required"),
    ("day_unknown_key", 10, "day.opne", None, "did you mean 'open'?"),
    ("walk_in_rate_negative", 18, "arrivals.walk_in[2].rate", "-2", "must be at least 0"),
    ("walk_in_from_format", 17, "arrivals.walk_in[1].from", "'10.30'", "'HH:MM'"),
    (
        "walk_in_from_order",
        18,
        "arrivals.walk_in[2].from",
        "'10:00'",
        "must be later than the piece before ('10:30')",
    ),
    (
        "walk_in_before_open",
        16,
        "arrivals.walk_in[0].from",
        "'08:00'",
        "within opening hours 09:00–18:00",
    ),
    ("walk_in_empty", 15, "arrivals.walk_in", "[]", "at least 1 item"),
    ("appointments_count", 22, "arrivals.appointments.count", "-1", "at least 0"),
    (
        "appointments_times",
        23,
        "arrivals.appointments.times[1]",
        "'19:30'",
        "within opening hours 09:00–18:00",
    ),
    (
        "appointments_window_order",
        23,
        "arrivals.appointments.window[1]",
        "'09:30'",
        "must end after it starts ('17:00')",
    ),
    (
        "appointments_window_hours",
        23,
        "arrivals.appointments.window[1]",
        "'19:00'",
        "within opening hours 09:00–18:00",
    ),
    ("appointments_window_format", 23, "arrivals.appointments.window", "'09:30'", "must be a list"),
    ("appointments_slot_min", 24, "arrivals.appointments.slot_min", "0", "greater than 0"),
    (
        "appointments_punctuality_mean",
        25,
        "arrivals.appointments.punctuality_mean_min",
        "'late'",
        "must be a number",
    ),
    (
        "appointments_punctuality_sd",
        26,
        "arrivals.appointments.punctuality_sd_min",
        "-10",
        "at least 0",
    ),
    (
        "appointments_no_show_share",
        27,
        "arrivals.appointments.no_show_share",
        "15",
        "between 0 and 1",
    ),
    (
        "appointments_designated_share",
        28,
        "arrivals.appointments.designated_share",
        "1.5",
        "between 0 and 1",
    ),
    ("appointments_unknown_key", 23, "arrivals.appointments.windw", None, "did you mean 'window'?"),
    ("group_size_key", 31, "visitors.group_size.0", "0", "whole numbers between 1 and 60"),
    ("group_size_weight", 31, "visitors.group_size.2", "-0.45", "at least 0"),
    ("car_share", 32, "visitors.car_share", "65", "between 0 and 1"),
    ("share_percent_over_100", 32, "visitors.car_share", "'165%'", "must be between 0 and 1"),
    ("returning_share", 33, "visitors.returning_share", "-0.25", "between 0 and 1"),
    (
        "visitors_designated_share",
        34,
        "visitors.designated_share",
        "'5,5%'",
        "must be a share between 0 and 1, or a percent such as '70%'",
    ),
    ("important_share", 35, "visitors.important_share", "3", "between 0 and 1"),
    ("non_sales_share", 36, "visitors.non_sales_share", "1.08", "between 0 and 1"),
    ("negotiation_share", 37, "visitors.negotiation_share", "'half'", "must be a number"),
    ("vip_share", 38, "visitors.vip_share", "-0.3", "between 0 and 1"),
    ("sample_house_share", 39, "visitors.sample_house_share", "70", "between 0 and 1"),
    ("signing_share", 40, "visitors.signing_share", "true", "must be a number, not true/false"),
    ("patience_number", 41, "visitors.patience", "20", "must be a distribution such as"),
    ("lognormal_mean", 41, "visitors.patience.mean", "-20", "greater than 0"),
    ("lognormal_sd", 41, "visitors.patience.sd", "0", "greater than 0"),
    ("rep_name_empty", 44, "reps[0].name", "''", "must not be empty"),
    ("rep_team", 45, "reps[1].team", "['A', 'B']", "must be text"),
    ("rep_experienced", 47, "reps[3].experienced", "'maybe'", "must be true or false"),
    ("rep_name_duplicate", 51, "reps[7].name", "'张伟'", "names must be unique"),
    ("reps_count_zero", 43, "reps", "0", "a whole number of reps (at least 1)"),
    ("reps_count_huge", 43, "reps", "1001", "must be at most 1,000 reps"),
    ("vip_rooms_count", 54, "vip_rooms.count", "3.5", "must be a whole number, between 0 and 100"),
    ("vip_rooms_when_full", 55, "vip_rooms.when_full", "'queue'", "one of wait, table"),
    ("vip_rooms_max_wait", 56, "vip_rooms.max_wait_min", "0", "greater than 0"),
    (
        "vip_rooms_null",
        53,
        "vip_rooms",
        "null",
        "must be a mapping with keys count, when_full, max_wait_min",
    ),
    ("vip_rooms_unknown_key", 53, "vip_room", None, "did you mean 'vip_rooms'?"),
    ("tables_zero", 58, "tables", "0", "at least 1"),
    ("sample_house_name_empty", 61, "sample_houses[0].name", "''", "must not be empty"),
    (
        "sample_house_name_duplicate",
        62,
        "sample_houses[1].name",
        "'样板间A-89㎡'",
        "names must be unique",
    ),
    ("sample_house_capacity", 61, "sample_houses[0].capacity", "0", "between 1 and 100"),
    ("sample_house_unknown_key", 62, "sample_houses[1].capacty", None, "did you mean 'capacity'?"),
    ("dist_kind", 65, "service_times.sandbox.dist", "'triangle'", "did you mean 'triangular'?"),
    (
        "dist_missing",
        66,
        "service_times.sample_house.dist",
        None,
        "exponential, lognormal, triangular, uniform, empirical",
    ),
    ("dist_unknown_key", 69, "service_times.walk_out.valu", None, "did you mean 'value'?"),
    ("fixed_value", 69, "service_times.walk_out.value", "-2", "at least 0"),
    ("exponential_mean", 69, "service_times.walk_out.mean", "0", "greater than 0"),
    ("triangular_min", 68, "service_times.signing.min", "-20", "at least 0"),
    ("triangular_mode", 70, "service_times.non_sales.mode", "'five'", "must be a number"),
    ("triangular_max", 65, "service_times.sandbox.max", "0", "greater than 0"),
    (
        "triangular_order",
        67,
        "service_times.negotiation",
        "{min: 50, mode: 40, max: 90}",
        "min <= mode <= max",
    ),
    ("uniform_min", 65, "service_times.sandbox.min", "-1", "at least 0"),
    ("uniform_max", 65, "service_times.sandbox.max", "'25 min'", "must be a number"),
    ("uniform_order", 65, "service_times.sandbox", "{min: 30, max: 25}", "uniform needs min < max"),
    ("empirical_values_empty", 65, "service_times.sandbox.values", "[]", "at least 1 item"),
    ("empirical_values_negative", 65, "service_times.sandbox.values[1]", "-15", "at least 0"),
    ("service_times_missing", None, "service_times", None, "this key is required"),
    ("targets_wait_for_rep", 73, "targets.wait_for_rep_min", "0", "greater than 0"),
    ("targets_vip_wait", 74, "targets.vip_wait_min", "-10", "greater than 0"),
    ("targets_sample_house_wait", 75, "targets.sample_house_wait_min", "'ten'", "must be a number"),
    ("targets_unknown_key", 73, "targets.wait_for_rep", None, "did you mean 'wait_for_rep_min'?"),
    ("policy_unknown", 77, "policy", "'round_robn'", "did you mean 'round_robin'?"),
    ("duplicate_key", 59, "tables", None, "duplicate key (first at line"),
    ("yaml_unclosed_brace", 17, None, None, "a '{' or '[' opened on this line is not closed"),
    ("yaml_unclosed_quote", 10, None, None, "a quote opened on this line is not closed"),
    ("yaml_bad_indent", 11, None, None, "the indentation of this line does not match"),
    ("yaml_tab", 11, None, None, "indent with spaces"),
    # issue 4: R5 surveys, R11 quiet booking, the rotation section (R1, R4, R4a, R6, R7, V1, V4)
    ("appointments_booking", 29, "arrivals.appointments.booking", "'busy'", "anywhere, quiet"),
    ("survey_share", 37, "visitors.survey_share", "-0.1", "between 0 and 1"),
    (
        "survey_share_sum",
        37,
        "visitors.survey_share",
        "0.95",
        "non_sales_share + survey_share must be at most 1 (non_sales_share is 0.08)",
    ),
    ("service_times_survey", 71, "service_times.survey.value", "-3", "must be at least 0"),
    ("rotation_standing_by", 80, "rotation.standing_by", "-1", "between 0 and 20"),
    ("rotation_own_rep_wait", 80, "rotation.own_rep_wait_min", "-5", "must be at least 0"),
    ("rotation_swap_teams_daily", 80, "rotation.swap_teams_daily", "'maybe'", "true or false"),
    (
        "rotation_swap_no_phone_team",
        80,
        "rotation.swap_teams_daily",
        "true",
        "needs staffing.phones.phone_team",
    ),
    ("rotation_makeup", 80, "rotation.makeup_after_appointment", "2", "true or false"),
    ("rotation_mentor", 80, "rotation.mentor_new_reps", "'yes please'", "true or false"),
    ("rotation_people_per_rep", 80, "rotation.people_per_rep", "0", "between 1 and 1000"),
    (
        "rotation_important_to_experienced",
        80,
        "rotation.important_to_experienced",
        "3",
        "true or false",
    ),
    ("rotation_mentor_wait", 80, "rotation.mentor_wait_max_min", "-5", "must be at least 0"),
    (
        "rotation_weekend_mode",
        81,
        "rotation.joint_agency.weekend_mode",
        "'fight'",
        "one of shared, grab",
    ),
    (
        "rotation_approach_share",
        81,
        "rotation.joint_agency.approach_share",
        "1.5",
        "between 0 and 1",
    ),
    ("rotation_dispute", 81, "rotation.joint_agency.dispute.value", "-1", "at least 0"),
    ("rotation_unknown_key", 80, "rotation.standby", None, "did you mean 'standing_by'?"),
]

# The staffing: section (issue 3): each staffing_*.yaml is _base_staffing.yaml (_base.yaml
# with a staffing: section appended) with one mistake.
CASES += [
    ("staffing_shifts_empty", 80, "staffing.shifts", None, "name at least one shift"),
    (
        "staffing_shift_breaks",
        81,
        "staffing.shifts.A.breaks[0]",
        "['12:00', '17:00']",
        "lie inside the shift (08:30–16:00)",
    ),
    (
        "staffing_shift_start",
        81,
        "staffing.shifts.A.start",
        "'8.30'",
        "must be a clock time 'HH:MM' (minutes 00–59), e.g. '09:30'",
    ),
    ("staffing_shift_end", 82, "staffing.shifts.B.end", "'12:00'", "must be after start ('13:00')"),
    ("staffing_gate_headcount", 84, "staffing.gate.headcount.A", "-1", "must be at least 0"),
    (
        "staffing_gate_task",
        85,
        "staffing.gate.task",
        "{min: 0.6, mode: 0.5, max: 1}",
        "min <= mode <= max",
    ),
    (
        "staffing_gate_target",
        86,
        "staffing.gate.target_response_min",
        "0",
        "must be greater than 0",
    ),
    (
        "staffing_parking_headcount",
        88,
        "staffing.parking.headcount.C",
        None,
        "unknown shift; shifts are A, B",
    ),
    ("staffing_parking_task", 89, "staffing.parking.task.value", "-1", "must be at least 0"),
    (
        "staffing_parking_target",
        90,
        "staffing.parking.target_response_min",
        "'fast'",
        "must be a number, greater than 0",
    ),
    ("staffing_door_headcount", 92, "staffing.door.headcount.A", "2.5", "must be a whole number"),
    (
        "staffing_door_task",
        93,
        "staffing.door.task.dist",
        None,
        "a distribution needs dist: one of fixed",
    ),
    (
        "staffing_door_target",
        94,
        "staffing.door.target_response_min",
        "-0.2",
        "must be greater than 0",
    ),
    (
        "staffing_water_bar_headcount",
        96,
        "staffing.water_bar.headcount.A",
        "201",
        "must be at most 200",
    ),
    ("staffing_water_bar_task", 97, "staffing.water_bar.task.mean", "0", "must be greater than 0"),
    (
        "staffing_water_bar_target",
        98,
        "staffing.water_bar.target_response_min",
        "null",
        "must be a number, greater than 0",
    ),
    (
        "staffing_water_bar_refill",
        99,
        "staffing.water_bar.refill_every_min",
        "0",
        "must be greater than 0",
    ),
    (
        "staffing_butler_headcount",
        101,
        "staffing.butler.headcount",
        "2",
        "must be a mapping of keys",
    ),
    (
        "staffing_butler_task",
        102,
        "staffing.butler.task.sd",
        None,
        "unknown key; valid keys here: dist, min, mode, max",
    ),
    ("staffing_butler_clear", 103, "staffing.butler.clear.value", "-5", "must be at least 0"),
    (
        "staffing_butler_target",
        104,
        "staffing.butler.target_response_min",
        "'5 min'",
        "must be a number, greater than 0",
    ),
    (
        "staffing_guide_headcount",
        106,
        "staffing.guide.headcount.a",
        None,
        "unknown shift; shifts are A, B",
    ),
    ("staffing_guide_task", 107, "staffing.guide.task", "1", "must be a distribution such as"),
    (
        "staffing_guide_target",
        108,
        "staffing.guide.target_response_min",
        "true",
        "must be a number, not true/false",
    ),
    (
        "staffing_cleaner_headcount",
        110,
        "staffing.cleaner.headcount.A",
        "'two'",
        "must be a whole number",
    ),
    (
        "staffing_cleaner_task",
        111,
        "staffing.cleaner.task",
        "{min: 10, max: 3}",
        "uniform needs min < max",
    ),
    (
        "staffing_cleaner_target",
        112,
        "staffing.cleaner.target_response_min",
        "-15",
        "must be greater than 0",
    ),
    (
        "staffing_duty_manager_headcount",
        114,
        "staffing.duty_manager.headcount.B",
        "-1",
        "must be at least 0",
    ),
    (
        "staffing_duty_manager_task",
        115,
        "staffing.duty_manager.task.sd",
        None,
        "this key is required (standard deviation",
    ),
    (
        "staffing_duty_manager_target",
        116,
        "staffing.duty_manager.target_response_min",
        "0",
        "must be greater than 0",
    ),
    (
        "staffing_backup_reception_headcount",
        118,
        "staffing.backup_reception.headcount.C",
        None,
        "unknown shift; shifts are A, B",
    ),
    (
        "staffing_backup_reception_task",
        119,
        "staffing.backup_reception.task.values",
        "[]",
        "must have at least 1 item",
    ),
    (
        "staffing_backup_reception_target",
        120,
        "staffing.backup_reception.target_response_min",
        "'half'",
        "must be a number, greater than 0",
    ),
    (
        "staffing_rep_shifts",
        121,
        "staffing.rep_shifts.赵敏",
        "'C'",
        "unknown shift; shifts are A, B",
    ),
    (
        "staffing_phones_calls_rate",
        124,
        "staffing.phones.calls[0].rate",
        "-3",
        "must be at least 0",
    ),
    (
        "staffing_phones_calls_from",
        125,
        "staffing.phones.calls[1].from",
        "'08:00'",
        "must be later than the piece before ('09:00')",
    ),
    ("staffing_phones_ring_sec", 126, "staffing.phones.ring_sec", "0", "must be greater than 0"),
    (
        "staffing_phones_unknown_key",
        126,
        "staffing.phones.rings_sec",
        None,
        "unknown key (did you mean 'ring_sec'?)",
    ),
    (
        "staffing_phones_answer_within_rings",
        127,
        "staffing.phones.answer_within_rings",
        "0",
        "must be between 1 and 20",
    ),
    (
        "staffing_phones_transfer_after_rings",
        128,
        "staffing.phones.transfer_after_rings",
        "2",
        "must be at least answer_within_rings (3)",
    ),
    (
        "staffing_phones_duration",
        129,
        "staffing.phones.duration.sd",
        None,
        "this key is required (standard deviation",
    ),
    (
        "staffing_phones_max_call_min",
        130,
        "staffing.phones.max_call_min",
        "-10",
        "must be greater than 0",
    ),
    ("staffing_phones_phone_team", 131, "staffing.phones.phone_team", "['A', 'B']", "must be text"),
    (
        "staffing_phones_visit_reps_answer",
        132,
        "staffing.phones.visit_reps_answer_when_desk_empty",
        "'maybe'",
        "must be true or false",
    ),
    (
        "staffing_phones_receptionist_first",
        133,
        "staffing.phones.receptionist_answers_first",
        "'maybe'",
        "must be true or false",
    ),
    (
        "staffing_unknown_key",
        133,
        "staffing.admision",
        None,
        "unknown key (did you mean 'admission'?)",
    ),
    (
        "staffing_admission_queue_limit",
        134,
        "staffing.admission.queue_limit",
        "-1",
        "must be at least 0",
    ),
    (
        "staffing_admission_wait_share",
        135,
        "staffing.admission.wait_share",
        "70",
        "must be between 0 and 1",
    ),
    (
        "staffing_delegations_per_day",
        137,
        "staffing.delegations.per_day",
        "-1",
        "must be at least 0",
    ),
    (
        "staffing_delegations_size_min",
        138,
        "staffing.delegations.size_min",
        "1",
        "must be at least 2",
    ),
    (
        "staffing_delegations_size_max",
        139,
        "staffing.delegations.size_max",
        "5",
        "must be at least size_min (10)",
    ),
    (
        "staffing_delegations_house_slots",
        140,
        "staffing.delegations.house_slots",
        "0",
        "must be at least 1",
    ),
    (
        "staffing_visit_at",
        142,
        "staffing.important_visits[0].at",
        "'15:75'",
        "must be a clock time 'HH:MM' (minutes 00–59), e.g. '09:30'",
    ),
    (
        "staffing_visit_tier",
        143,
        "staffing.important_visits[0].tier",
        "5",
        "must be between 1 and 4",
    ),
    ("staffing_visit_size", 144, "staffing.important_visits[0].size", "0", "must be at least 1"),
    (
        "staffing_visit_stay",
        145,
        "staffing.important_visits[0].stay_min",
        "0",
        "must be greater than 0",
    ),
    (
        "staffing_visit_staff",
        146,
        "staffing.important_visits[0].staff.dor",
        None,
        "unknown post (did you mean 'door'?); posts are gate, parking",
    ),
    (
        "staffing_visit_staff_count",
        146,
        "staffing.important_visits[0].staff.door",
        "-1",
        "must be at least 0",
    ),
    (
        "staffing_visit_booked_only",
        147,
        "staffing.important_visits[0].booked_only_before_min",
        "-60",
        "must be at least 0",
    ),
    (
        "staffing_visit_line_up",
        148,
        "staffing.important_visits[0].line_up_before_min",
        "'early'",
        "must be a number, at least 0",
    ),
    (
        "staffing_visit_clear_grounds",
        149,
        "staffing.important_visits[0].clear_grounds_before_min",
        "-30",
        "must be at least 0",
    ),
    ("staffing_large_party_min", 149, "staffing.large_party_min", "0", "must be at least 1"),
]

# The event: section (issue 6): each event_*.yaml is _base_event.yaml (_base.yaml with a
# launch-day event: section appended) with one mistake.
CASES += [
    ("event_kind", 80, "event.kind", "'opening'",
     "must be one of launch, site_open_day, signing_day"),
    ("event_attendance", 81, "event.attendance", "0", "must be between 1 and 20000"),
    (
        "event_group_size",
        82,
        "event.group_size.0",
        "0",
        "group sizes must be whole numbers between 1 and 10",
    ),
    ("event_buy_share", 83, "event.buy_share", "70", "must be between 0 and 1"),
    (
        "event_sign_in_window",
        84,
        "event.sign_in_window[1]",
        "'09:00'",
        "the window must end after it starts ('10:00')",
    ),
    ("event_waiting_area_capacity", 85, "event.waiting_area_capacity", "-5", "must be at least 1"),
    (
        "event_waves_from",
        87,
        "event.waves[0].from",
        "'9.00'",
        "must be a clock time 'HH:MM' (minutes 00–59), e.g. '09:30'",
    ),
    ("event_waves_to", 87, "event.waves[0].to", "'08:30'", "must be after from ('09:00')"),
    (
        "event_waves_share",
        88,
        "event.waves[1].share",
        "0.5",
        "wave shares must sum to 1 (they sum to 0.9)",
    ),
    (
        "event_waves_bus_size",
        87,
        "event.waves[0].bus_size",
        "{min: 50, max: 20}",
        "uniform needs min < max",
    ),
    (
        "event_calling_order",
        90,
        "event.calling.order",
        "'lotery'",
        "must be one of lottery, queue, wave_lottery (did you mean 'lottery'?)",
    ),
    (
        "event_calling_opens",
        91,
        "event.calling.opens",
        "'19:00'",
        "must be within the day 09:00–18:00",
    ),
    ("event_calling_batch_size", 92, "event.calling.batch_size", "0", "must be between 1 and 100"),
    (
        "event_calling_max_calls",
        93,
        "event.calling.max_calls",
        "2.5",
        "must be a whole number, between 1 and 10",
    ),
    (
        "event_calling_call_interval",
        94,
        "event.calling.call_interval_min",
        "-1",
        "must be at least 0",
    ),
    (
        "event_calling_no_show_share",
        95,
        "event.calling.no_show_share",
        "5",
        "must be between 0 and 1",
    ),
    (
        "event_desks_post",
        102,
        "event.desks[1].post",
        "'selecton'",
        "must be one of sign_in, selection, finance, contract, gift,",
    ),
    ("event_desks_who", 103, "event.desks[1].who", "'everyone'", "must be one of all, buyers"),
    (
        "event_desks_service",
        104,
        "event.desks[1].service",
        "{min: 1.5, mode: 4, max: 3.5}",
        "triangular needs min <= mode <= max",
    ),
    ("event_desks_walk", 105, "event.desks[1].walk.value", "-1", "must be at least 0"),
    (
        "event_desks_target_wait",
        106,
        "event.desks[1].target_wait_min",
        "0",
        "must be greater than 0",
    ),
    (
        "event_desks_headcount_from",
        100,
        "event.desks[0].headcount[1].from",
        "'08:30'",
        "must be later than the piece before ('09:00')",
    ),
    (
        "event_desks_headcount_count",
        107,
        "event.desks[1].headcount[0].count",
        "20",
        "must be at most cap (12)",
    ),
    ("event_desks_cap", 108, "event.desks[1].cap", "0", "must be between 1 and 200"),
    ("event_ratio_posts_post", 110, "event.ratio_posts[0].post", "'chef'",
     "must be one of security, usher"),
    ("event_ratio_posts_zone", 110, "event.ratio_posts[0].zone", "'lobby'",
     "must be one of waiting_area, site"),
    ("event_ratio_posts_per", 110, "event.ratio_posts[0].per", "0", "must be between 1 and"),
    ("event_coverage_posts_post", 110, "event.coverage_posts[0].post", "'chef'",
     "must be one of security, usher"),
    ("event_coverage_posts_where", 110, "event.coverage_posts[0].where", "''", "must not be empty"),
    ("event_coverage_posts_count", 110, "event.coverage_posts[0].count", "0",
     "must be between 1 and 200"),
    ("event_coverage_posts_from", 110, "event.coverage_posts[0].from", "'07:00'",
     "must be within the day 09:00–18:00"),
    ("event_coverage_posts_to", 110, "event.coverage_posts[0].to", "'11:00'",
     "must be after from ('12:00')"),
    ("event_desks_payer", 109, "event.desks[1].payer", "'agency'",
     "must be one of property, developer"),
    ("event_desks_batch_size", 109, "event.desks[1].batch_size", "3",
     "must be 1 at the called selection desk"),
    ("event_queue_posts_post", 110, "event.queue_posts[0].post", "'chef'",
     "must be one of security, usher"),
    ("event_queue_posts_source", 110, "event.queue_posts[0].source", "'buses'",
     "must be one of arrivals, cars, waiting_area"),
    ("event_queue_posts_service", 110, "event.queue_posts[0].service.value", "-1",
     "must be at least 0"),
    ("event_queue_posts_target_wait", 110, "event.queue_posts[0].target_wait_min", "0",
     "must be greater than 0"),
    ("event_queue_posts_every", 110, "event.queue_posts[0].every_min", "0",
     "must be greater than 0"),
    ("event_queue_posts_cap", 110, "event.queue_posts[0].cap", "0", "must be between 1 and 100"),
    ("event_queue_posts_cars", 110, "event.queue_posts[0].source", "'cars'",
     "source 'cars' needs event.parking"),
    ("event_parking_car_share", 109, "event.parking.car_share", "60", "must be between 0 and 1"),
    ("event_parking_spaces", 109, "event.parking.spaces", "0", "must be between 1 and 20000"),
    ("event_booking_unit", 109, "event.booking.unit", "'week'",
     "must be one of hour, half_day, day"),
    ("event_booking_min_shift", 109, "event.booking.min_shift_hours", "0",
     "must be greater than 0 and at most 24"),
    ("event_booking_max_shift", 109, "event.booking.max_shift_hours", "2",
     "must be at least min_shift_hours (4)"),
    ("event_booking_starts_order", 109, "event.booking.starts[1]", "'09:00'",
     "must be after starts[0] ('10:00')"),
    ("event_booking_starts_and_step", 109, "event.booking.start_step_min", "30",
     "give either starts or start_step_min, not both"),
    ("event_booking_starts_day", 109, "event.booking.starts[0]", "'08:00'",
     "must be within the day 09:00–18:00"),
    ("event_booking_step", 109, "event.booking.start_step_min", "0",
     "must be between 1 and 1440"),
    ("event_days_label", 111, "event.days[1].label", "'D1'",
     "day labels must be unique; also days[0]"),
    ("event_days_label_path", 110, "event.days[0].label", "'D1/Sat'",
     "must be one word without spaces"),
    ("event_days_attendance", 110, "event.days[0].attendance", "0",
     "must be between 1 and 20000"),
    (
        "event_sizing_mode",
        110,
        "event.sizing.mode",
        "'share_of_day'",
        "must be one of share_of_days, upper_ci_mean (did you mean",
    ),
    (
        "event_sizing_confidence",
        111,
        "event.sizing.confidence",
        "95",
        "must be greater than 0.5 and less than 1",
    ),
    (
        "event_sizing_targets_kpi",
        113,
        "event.sizing.targets[0].kpi",
        "'signin_wait_p90'",
        "unknown event KPI (did you mean 'sign_in_wait_p90'?)",
    ),
    (
        "event_sizing_targets_op",
        113,
        "event.sizing.targets[0].op",
        "'<'",
        "must be one of <=, >= (did you mean '<='?)",
    ),
    (
        "event_sizing_targets_value",
        113,
        "event.sizing.targets[0].value",
        "'ten'",
        "must be a number",
    ),
    # office_sizing: (issue 14): _base.yaml with an office_sizing: section appended
    ("office_sizing_mode", 80, "office_sizing.mode", "'share_of_day'",
     "must be one of share_of_days, upper_ci_mean (did you mean 'share_of_days'?)"),
    ("office_sizing_confidence", 81, "office_sizing.confidence", "90",
     "must be greater than 0.5 and less than 1"),
    ("office_sizing_targets_kpi", 83, "office_sizing.targets[0].kpi", "'lost_shares'",
     "unknown office KPI (did you mean 'lost_share'?)"),
    ("office_sizing_targets_op", 83, "office_sizing.targets[0].op", "'<'",
     "must be one of <=, >= (did you mean '<='?)"),
    ("office_sizing_targets_value", 83, "office_sizing.targets[0].value", "'three'",
     "must be a number"),
    ("office_sizing_post_over_target_max", 84, "office_sizing.post_over_target_max", "10",
     "must be between 0 and 1"),
    ("office_sizing_max_added", 85, "office_sizing.max_added", "-1", "must be between 0 and 200"),
]  # fmt: skip

WHOLE_FILE = {
    "empty": "情景文件是空的 the scenario file is empty",
    "comments_only": "情景文件是空的 the scenario file is empty (only comments, no keys)",
    "top_level_list": "情景应为键值表 the scenario must be a mapping of keys",
}


def run_cli(*args: str, out: Path) -> Result:
    return CliRunner().invoke(main, ["run", *args, "--replications", "1", "--out", str(out)])


def one_error_line(result: Result) -> str:
    """The single stderr line of a failed run, after checking exit code 2 and no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("salesim: ")
    return lines[0]


@pytest.mark.parametrize(
    ("name", "line", "path", "value", "allowed"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_fixture(
    name: str, line: int | None, path: str | None, value: str | None, allowed: str, tmp_path: Path
) -> None:
    file = BAD / f"{name}.yaml"
    message = one_error_line(run_cli(str(file), out=tmp_path))
    where = f"{file}:{line}: " if line is not None else f"{file}: "
    assert message.startswith(f"salesim: {where}"), message
    if path is not None:
        shown = f": {path} = {value}: " if value is not None else f": {path}: "
        assert shown in message, message
    assert allowed in message, message
    assert not any(tmp_path.iterdir()), "nothing is written for a bad scenario"


@pytest.mark.parametrize(("name", "expected"), WHOLE_FILE.items())
def test_empty_or_shapeless_file(name: str, expected: str, tmp_path: Path) -> None:
    file = BAD / f"{name}.yaml"
    message = one_error_line(run_cli(str(file), out=tmp_path))
    assert message.startswith(f"salesim: {file}: {expected}"), message


def test_missing_file_suggests_a_near_name(tmp_path: Path) -> None:
    missing = ROOT / "scenarios" / "weekdy.yaml"
    message = one_error_line(run_cli(str(missing), out=tmp_path))
    assert message == (
        f"salesim: {missing}: 找不到情景文件 no such scenario file (did you mean "
        f"'{ROOT / 'scenarios'}/weekday.yaml'?)"
    )
    message = one_error_line(run_cli(str(tmp_path / "nothing.yaml"), out=tmp_path))
    assert message == f"salesim: {tmp_path / 'nothing.yaml'}: 找不到情景文件 no such scenario file"


def test_unreadable_files(tmp_path: Path) -> None:
    assert "cannot read the scenario file" in one_error_line(run_cli(str(tmp_path), out=tmp_path))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"name: \xff\xfe\x00\n")
    assert one_error_line(run_cli(str(binary), out=tmp_path)).endswith("not a text file in UTF-8")


def test_the_installed_command_exits_2_without_traceback(tmp_path: Path) -> None:
    """The real entry point (not CliRunner): a missing file and a negative rate."""
    cases = {
        "nosuch.yaml": "no such scenario file",
        "walk_in_rate_negative.yaml":
            ":18: arrivals.walk_in[2].rate = -2: 应不小于 0 must be at least 0",
    }
    procs = {
        name: subprocess.Popen(
            [str(SALESIM), "run", str(BAD / name), "-n", "1", "--out", str(tmp_path / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in cases
    }
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, (name, out, err)
        assert "Traceback" not in out + err
        assert err.count("\n") == 1 and err.startswith(f"salesim: {BAD / name}"), err
        assert cases[name] in err


def test_policy_option_names_the_known_policies(tmp_path: Path) -> None:
    result = run_cli(str(BASE), "--policy", "nosuch", out=tmp_path)
    message = one_error_line(result)
    known = ", ".join(known_policies())
    assert "unknown policy 'nosuch'" in message and f"known policies: {known}" in message
    message = one_error_line(run_cli(str(BASE), "--policy", "round_robn", out=tmp_path))
    assert "did you mean 'round_robin'?" in message


def _edits(base: Path, file: Path) -> list[tuple[str, int, int, int, int]]:
    """The line edits from ``base`` to ``file`` (their first two comment lines skipped)."""
    base_lines = base.read_text(encoding="utf-8").splitlines()[2:]
    lines = file.read_text(encoding="utf-8").splitlines()[2:]
    matcher = difflib.SequenceMatcher(a=base_lines, b=lines, autojunk=False)
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def test_base_fixture_is_valid_and_each_fixture_changes_it_once() -> None:
    base = load_scenario(BASE)
    assert base.name == "weekday"
    assert base.staffing is None
    with_staffing = load_scenario(BASE_STAFFING)
    assert with_staffing.staffing is not None
    assert with_staffing.model_copy(update={"staffing": None}) == base
    assert [op[0] for op in _edits(BASE, BASE_STAFFING)] == ["insert"]
    with_event = load_scenario(BASE_EVENT)
    assert with_event.event is not None
    assert with_event.model_copy(update={"event": None}) == base
    assert [op[0] for op in _edits(BASE, BASE_EVENT)] == ["insert"]
    bases = {"staffing_": BASE_STAFFING, "event_": BASE_EVENT}
    for name, *_ in CASES:
        file = BAD / f"{name}.yaml"
        edits = _edits(next((b for k, b in bases.items() if name.startswith(k)), BASE), file)
        assert len(edits) == 1, (name, edits)


def test_unquoted_clock_times_are_read_as_times(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    unquoted = re.sub(r'"(\d\d:\d\d)"', r"\1", text).replace("open: 09:00", "open: 9:00")
    assert "from: 13:00" not in unquoted and "open: 9:00" in unquoted
    file = tmp_path / "unquoted.yaml"
    file.write_text(unquoted.replace("name: weekday", "name: 2024-05-01"), encoding="utf-8")
    scenario = load_scenario(file)
    assert scenario.day.open == 9 * 60 and scenario.day.close == 18 * 60
    assert scenario.arrivals.walk_in[3].start == 14 * 60
    assert scenario.name == "2024-05-01"  # dates stay text too
    assert scenario.model_copy(update={"name": "weekday"}) == load_scenario(BASE)


def test_validate_scenario_direct() -> None:
    with pytest.raises(ScenarioError) as exc:
        validate_scenario(None)
    empty = "情景文件是空的 the scenario file is empty (only comments, no keys)"
    assert exc.value.lines == [f"<scenario>: {empty}"]
    with pytest.raises(ScenarioError) as exc:
        validate_scenario([1, 2], "data")
    assert exc.value.lines == [
        "data: 情景应为键值表 the scenario must be a mapping of keys such as name:, day:, "
        "arrivals: (got [1, 2])"
    ]
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data["day"]["close"] = "08:00"
    data["vip_rooms"]["count"] = -1
    data["tables"] = "many"
    with pytest.raises(ScenarioError) as exc:
        validate_scenario(data, "mine")
    assert exc.value.lines == [
        "mine: day.close = '08:00': 时间先后不对 must be after day.open ('09:00')",
        "mine: vip_rooms.count = -1: 应在 0 到 100 之间 must be between 0 and 100",
        "mine: tables = 'many': 应为整数 must be a whole number, at least 1",
    ]


def test_a_section_given_as_a_number_lists_its_own_keys() -> None:
    """``event.sizing: 5`` lists the keys of the scenario's sizing section, not those of the
    sizing file that ``salesim fee`` reads: the keys are looked up by the pydantic class name,
    which both models once shared (``Sizing``)."""
    import sim.fee.sizing_file  # noqa: F401  (loaded, as in the CLI)

    data = yaml.safe_load(BASE_EVENT.read_text(encoding="utf-8"))
    data["event"]["sizing"] = 5
    with pytest.raises(ScenarioError) as exc:
        validate_scenario(data, "mine")
    assert exc.value.lines == [
        "mine: event.sizing = 5: 应为键值表 must be a mapping with keys mode, confidence, targets"
    ]


def test_derive_errors_name_the_change() -> None:
    base = load_scenario(BASE)
    assert derive(base, {}) == base
    assert derive(base, {"arrivals.walk_in[2].rate": 4}).arrivals.walk_in[2].rate == 4
    assert derive(base, {"reps": 3}).reps[2].name == "顾问03"
    bad = {
        "vip_rooms.cout": "v: vip_rooms.cout: 没有这个字段 no such field (did you mean 'count'?)",
        "vip_room.count": "v: vip_room.count: 没有这个字段 no such field "
                          "(did you mean 'vip_rooms'?)",
        "arrivals.walk_in[9].rate": "v: arrivals.walk_in[9].rate: 没有这个字段 no such field",
    }
    for path, line in bad.items():
        with pytest.raises(ScenarioError) as exc:
            derive(base, {path: 1}, source="v")
        assert exc.value.lines == [line]
    values = {
        "vip_rooms.count": (
            200, "v: vip_rooms.count = 200: 应在 0 到 100 之间 must be between 0 and 100"),
        "day.close": (
            "08:00", "v: day.close = '08:00': 时间先后不对 must be after day.open ('09:00')"),
        "policy": (
            "fifo",
            f"v: policy = 'fifo': 未知的轮序规则 unknown policy; known policies: "
            f"{', '.join(known_policies())}",
        ),
        "arrivals.walk_in[1].from": (
            "12:30",
            "v: arrivals.walk_in[2].from = '12:00': 时间先后不对 must be later than the piece "
            "before ('12:30')",
        ),
    }
    for path, (value, line) in values.items():
        with pytest.raises(ScenarioError) as exc:
            derive(base, {path: value}, source="v")
        assert exc.value.lines == [line]


def _leaf_paths(model: type[StrictModel], prefix: str = "") -> set[str]:
    """Every leaf field of the schema: list items without index, distributions as a whole."""
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        inner = [m for m in _models(info.annotation) if m not in KINDS.values()]
        paths |= _leaf_paths(inner[0], f"{key}.") if inner else {key}
    return paths


def _models(annotation: Any) -> list[type[StrictModel]]:
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


def _covered() -> set[str]:
    """Field paths (and their prefixes) and ``kind.param`` names that some fixture breaks."""
    covered: set[str] = set()
    for name, _line, path, _value, _allowed in CASES:
        if path is None:
            continue
        steps: list[Any] = [
            int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)
        ]
        keys = [s for s in steps if isinstance(s, str)]
        keys = keys[:2] if keys[:2] == ["visitors", "group_size"] else keys
        if keys[:2] == ["staffing", "shifts"]:  # staffing.shifts.<name>.start: drop the name
            keys = keys[:2] + keys[3:]
        covered |= {".".join(keys[:n]) for n in range(1, len(keys) + 1)}
        node = yaml.safe_load((BAD / f"{name}.yaml").read_text(encoding="utf-8"))
        for step in steps:
            if isinstance(node, dict) and "dist" in node and isinstance(step, str):
                covered.add(f"{node['dist']}.{step}")
            node = node[step] if isinstance(node, dict | list) and _has(node, step) else None

    return covered


def _has(node: dict[Any, Any] | list[Any], step: Any) -> bool:
    return step in node if isinstance(node, dict) else isinstance(step, int) and step < len(node)


def test_every_field_has_a_bad_fixture() -> None:
    wanted = _leaf_paths(Scenario)
    wanted |= {
        f"{kind}.{key}" for kind, m in KINDS.items() for key in m.yaml_keys() if key != "dist"
    }
    missing = sorted(wanted - _covered())
    assert not missing, f"no bad-input fixture for: {missing}"
