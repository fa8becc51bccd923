"""Honest SQL floors: the queries a competent engineer would hand-write to get the same
figures as the product, on the same data, in the same run.

A floor reads everything the product's computation needs (not a convenient subset of it) and
leaves out only what a hand-written script can skip: the ORM, page objects, Python checks
that could have been SQL. Each floor is one function taking an office and returning the
seconds its queries took, fetching every row.
"""

from __future__ import annotations

import time

from django.db import connection

from registry.models import (
    ADMINISTRATOR_TYPES,
    LEFT_STATUSES,
    TEACHING_TYPES,
    Employment,
    PersonnelType,
    PersonStatus,
    Secondment,
)

STAFF_TYPES = (*ADMINISTRATOR_TYPES, *TEACHING_TYPES)


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _date_number(column: str) -> str:
    """YYYYMMDD as an integer, natively on each backend."""
    if connection.vendor == "postgresql":
        return f"CAST(TO_CHAR({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(REPLACE({column}, '-', '') AS INTEGER)"


def _run(statements: list[tuple[str, list]]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


# ------------------------------------------------------------------------------ staffing


def _in_service(alias: str, census, born_from, status_label: str) -> tuple[str, list]:
    """In service on the census day, whatever happened since (staffing.queries.in_service_on):
    the status of that day is the "from" of the earliest status change after it, if any."""
    then = f"""(SELECT c.old_value FROM registry_positionchange c
                WHERE c.person_id = {alias}.id AND c.field = %s AND c.effective_date > %s
                ORDER BY c.effective_date, c.id LIMIT 1)"""
    sql = f"""(({alias}.appointment_date IS NULL OR {alias}.appointment_date <= %s)
        AND (({alias}.status = '{PersonStatus.ACTIVE}'
              AND ({alias}.birth_date IS NULL OR {alias}.birth_date >= %s)
              AND COALESCE({then}, %s) = %s)
          OR ({alias}.status IN {_in(LEFT_STATUSES)} AND COALESCE({then}, '') = %s)
          OR ({alias}.status = '{PersonStatus.RETIRED}' AND {alias}.birth_date IS NOT NULL
              AND {alias}.birth_date >= %s AND NOT EXISTS (
                SELECT 1 FROM registry_positionchange c WHERE c.person_id = {alias}.id
                AND c.field = %s))))"""
    active = PersonStatus.ACTIVE.label
    params = [census, born_from, status_label, census, active, active, status_label, census,
              active, born_from, status_label]  # fmt: skip
    return sql, params


def _census_school(alias: str, census, workplace_label: str) -> tuple[str, list]:
    """The school a person was at on the census day (staffing.queries.school_on): the one
    the earliest change of workplace after it left, else their school now."""
    sql = f"""NULLIF(COALESCE((SELECT CASE WHEN c.old_school_id IS NOT NULL THEN c.old_school_id
                                    WHEN c.old_value = '' THEN 0 ELSE {alias}.school_id END
            FROM registry_positionchange c WHERE c.person_id = {alias}.id AND c.field = %s
              AND c.effective_date > %s ORDER BY c.effective_date, c.id LIMIT 1),
        {alias}.school_id), 0)"""
    return sql, [workplace_label, census]


def staffing_statements(office_id: int, *, census, born_from, academic_year: int):
    """Schools, the rule set in force, pupils and rooms, staff by register/workplace ×
    employment × type × learning area on the census day, vacant position numbers, out-of-field
    teachers by school and area, and the teachers whose major has no learning area."""
    from registry.actions import OFFICE_HISTORY_LABEL, WORKPLACE_HISTORY_LABEL
    from staffing.queries import STATUS_HISTORY_LABEL

    p_in, p_params = _in_service("p", census, born_from, STATUS_HISTORY_LABEL)
    at, at_params = _census_school("p", census, WORKPLACE_HISTORY_LABEL)
    h_in, h_params = _in_service("h", census, born_from, STATUS_HISTORY_LABEL)
    staff_kinds = f"""((p.employment = '{Employment.CIVIL_SERVANT}'
            AND p.personnel_type IN {_in(STAFF_TYPES)})
        OR (p.employment <> '{Employment.CIVIL_SERVANT}'
            AND (p.personnel_type IN {_in(TEACHING_TYPES)}
                 OR p.employment = '{Employment.CONTRACT_TEACHER}')))"""
    # The rule set in force (the office's own latest, else the shared default), its bands and
    # area weights, and the learning areas.
    rule_set = """(SELECT r.id FROM staffing_ruleset r
        WHERE (r.office_id = %s OR r.office_id IS NULL) AND r.effective_date <= %s
        ORDER BY r.office_id IS NULL, r.effective_date DESC, r.id DESC LIMIT 1)"""
    teachers = f"p.personnel_type IN {_in(TEACHING_TYPES)}"
    ended = "(p.secondment <> '' AND p.secondment_until < %s)"
    return [
        (
            """SELECT id, obec_code, name, level, latitude, longitude FROM registry_school
               WHERE office_id = %s""",
            [office_id],
        ),
        (f"SELECT * FROM staffing_rulerow WHERE rule_set_id = {rule_set}", [office_id, census]),
        (
            f"""SELECT w.level, a.code, w.weight FROM staffing_areaweight w
                JOIN registry_learningarea a ON a.id = w.learning_area_id
                WHERE w.rule_set_id = {rule_set}""",
            [office_id, census],
        ),
        ("SELECT id, code, short_name FROM registry_learningarea", []),
        (
            """SELECT e.school_id, SUM(e.students), SUM(e.classrooms) FROM registry_enrolment e
               JOIN registry_school s ON s.id = e.school_id
               WHERE s.office_id = %s AND e.academic_year = %s GROUP BY e.school_id""",
            [office_id, academic_year],
        ),
        (
            # The secondment on the census day: one ended by then is none (seconded in,
            # the school it came from kept beside it).
            f"""SELECT {at},
                       CASE WHEN {ended} THEN '' ELSE p.secondment END,
                       CASE WHEN p.secondment <> ''
                             AND NOT (p.secondment = '{Secondment.OUT}' AND {ended})
                            THEN p.secondment_school_id END,
                       p.employment, p.personnel_type, m.learning_area_id, COUNT(*)
                FROM registry_person p LEFT JOIN registry_major m ON m.id = p.major_id
                WHERE p.office_id = %s AND {p_in} AND {staff_kinds}
                GROUP BY 1, 2, 3, 4, 5, 6""",
            [*at_params, census, census, office_id, *p_params],
        ),
        (
            f"""SELECT {at}, COUNT(DISTINCT p.position_number) FROM registry_person p
                WHERE p.office_id = %s AND p.employment = '{Employment.CIVIL_SERVANT}'
                  AND p.personnel_type IN {_in(STAFF_TYPES)} AND p.position_number <> ''
                  AND NOT {p_in}
                  AND NOT EXISTS (SELECT 1 FROM registry_person h
                      WHERE h.office_id = p.office_id AND h.position_number = p.position_number
                        AND {h_in} AND NOT EXISTS (SELECT 1 FROM registry_positionchange j
                            WHERE j.person_id = h.id AND j.field = %s AND j.effective_date > %s))
                GROUP BY 1""",
            [*at_params, office_id, *p_params, *h_params, OFFICE_HISTORY_LABEL, census],
        ),
        # Teachers teaching an area outside their major's, by school and area (the need by
        # learning area of short schools).
        (
            f"""SELECT p.school_id, a.code, COUNT(DISTINCT p.id) FROM registry_person p
                JOIN registry_major m ON m.id = p.major_id
                JOIN registry_person_areas_taught t ON t.person_id = p.id
                JOIN registry_learningarea a ON a.id = t.learningarea_id
                WHERE p.office_id = %s AND p.status = '{PersonStatus.ACTIVE}' AND {teachers}
                  AND m.learning_area_id IS NOT NULL AND t.learningarea_id <> m.learning_area_id
                GROUP BY p.school_id, a.code""",
            [office_id],
        ),
        # Teachers counted whose major has no learning area, named (up to 500).
        (
            f"""SELECT p.id, p.title, p.first_name, p.last_name, {at}, p.secondment,
                       p.secondment_school_id, p.major_id, m.name
                FROM registry_person p LEFT JOIN registry_major m ON m.id = p.major_id
                WHERE p.office_id = %s AND {p_in} AND {staff_kinds}
                  AND p.personnel_type NOT IN {_in(ADMINISTRATOR_TYPES)}
                  AND (p.major_id IS NULL OR m.learning_area_id IS NULL)
                ORDER BY p.school_id, p.first_name LIMIT 500""",
            [*at_params, office_id, *p_params],
        ),
    ]


def staffing_floor(office) -> float:
    from registry.actions import rules_for
    from staffing.queries import census_date_for, default_year, first_birth_date_retiring_after

    year = default_year()
    census = census_date_for(office, year)
    born_from = first_birth_date_retiring_after(census, rules_for(office).retirement_age)
    return _run(
        staffing_statements(office.pk, census=census, born_from=born_from, academic_year=year)
    )


# ------------------------------------------------------------------------------ data quality


def quality_statements(office, *, today, academic_year: int, allow_leading_zero_or_nine: bool):
    """Per school: people, last update, and checked/failed counts of every data-quality rule
    (registry.quality.RULES); per school: its own rules."""
    from krupd.lib.db_functions import national_id_valid_sql
    from registry.quality import MAX_AGE, MIN_AGE, THAI_LATITUDE, THAI_LONGITUDE

    teachers = f"p.personnel_type IN {_in(TEACHING_TYPES)}"
    seconded = "p.secondment <> ''"
    both_dates = "p.birth_date IS NOT NULL AND p.appointment_date IS NOT NULL"
    span = f"({_date_number('p.appointment_date')} - {_date_number('p.birth_date')})"
    assistant = PersonnelType.ASSISTANT_TEACHER
    valid_id = national_id_valid_sql(
        "p.national_id",
        vendor=connection.vendor,
        allow_leading_zero_or_nine=allow_leading_zero_or_nine,
    )
    min_born = today.replace(year=today.year - MIN_AGE, day=min(today.day, 28))
    max_born = today.replace(year=today.year - MAX_AGE - 1, day=min(today.day, 28))
    # (applies, fails, the parameters of `fails`) per rule; applies None = every active person.
    rules = [
        (None, "p.birth_date IS NULL", []),
        (None, "p.gender = ''", []),
        (None, "p.position = ''", []),
        (None, "p.personnel_type = ''", []),
        (None, "p.appointment_date IS NULL", []),
        (None, "p.highest_degree = ''", []),
        (None, "p.major_id IS NULL", []),
        (None, "p.phone = ''", []),
        (f"{teachers} AND p.employment = '{Employment.CIVIL_SERVANT}'",
         "p.academic_standing_id IS NULL", []),
        (seconded, "p.secondment_school_id IS NULL", []),
        (None, f"NOT {valid_id}", []),
        (f"{teachers} AND p.major_id IS NOT NULL", "m.learning_area_id IS NULL", []),
        ("p.birth_date IS NOT NULL", "(p.birth_date > %s OR p.birth_date <= %s)",
         [min_born, max_born]),
        (both_dates, f"{span} < {MIN_AGE * 10_000}", []),
        (both_dates, f"{span} >= {(MAX_AGE + 1) * 10_000}", []),
        ("p.appointment_date IS NOT NULL", "p.appointment_date > %s", [today]),
        (teachers, "NOT EXISTS (SELECT 1 FROM registry_person_areas_taught t "
                   "WHERE t.person_id = p.id)", []),
        ("p.academic_standing_id IS NOT NULL",
         f"((p.personnel_type = '{assistant}' AND a.code <> 'assistant') "
         f"OR (p.personnel_type <> '{assistant}' AND a.code = 'assistant') "
         f"OR p.personnel_type = '{PersonnelType.EMPLOYEE}')", []),
        (f"{seconded} AND p.secondment_until IS NOT NULL", "p.secondment_until < %s", [today]),
        (f"p.personnel_type = '{PersonnelType.EMPLOYEE}'",
         f"p.employment = '{Employment.CIVIL_SERVANT}'", []),
    ]  # fmt: skip
    columns, params = [], []
    for applies, fails, fails_params in rules:
        if applies is None:
            columns.append(f"SUM(CASE WHEN {fails} THEN 1 ELSE 0 END)")
        else:
            columns.append(f"SUM(CASE WHEN {applies} THEN 1 ELSE 0 END)")
            columns.append(f"SUM(CASE WHEN ({applies}) AND {fails} THEN 1 ELSE 0 END)")
        params += fails_params
    people_sql = f"""SELECT p.school_id, COUNT(*), MAX(p.updated_at), {", ".join(columns)}
        FROM registry_person p
        LEFT JOIN registry_major m ON m.id = p.major_id
        LEFT JOIN registry_academicstanding a ON a.id = p.academic_standing_id
        WHERE p.office_id = %s AND p.status = '{PersonStatus.ACTIVE}'
        GROUP BY p.school_id"""
    has_coordinates = "s.latitude IS NOT NULL AND s.longitude IS NOT NULL"
    schools_sql = f"""SELECT s.id, s.name, s.obec_code, n.name, s.data_confirmed_at,
            CASE WHEN {has_coordinates} THEN 0 ELSE 1 END,
            CASE WHEN s.network_id IS NULL THEN 1 ELSE 0 END,
            CASE WHEN EXISTS (SELECT 1 FROM registry_enrolment e WHERE e.school_id = s.id
                              AND e.academic_year = %s) THEN 0 ELSE 1 END,
            CASE WHEN {has_coordinates} AND (s.latitude < {THAI_LATITUDE[0]}
                 OR s.latitude > {THAI_LATITUDE[1]} OR s.longitude < {THAI_LONGITUDE[0]}
                 OR s.longitude > {THAI_LONGITUDE[1]}) THEN 1 ELSE 0 END
        FROM registry_school s LEFT JOIN registry_network n ON n.id = s.network_id
        WHERE s.office_id = %s"""
    return [(schools_sql, [academic_year, office.pk]), (people_sql, [*params, office.pk])]


def quality_floor(office) -> float:
    from registry.quality import context_for

    ctx = context_for(office)
    return _run(
        quality_statements(
            office,
            today=ctx.today,
            academic_year=ctx.academic_year,
            allow_leading_zero_or_nine=ctx.rules.allow_leading_zero_or_nine_id,
        )
    )


# ------------------------------------------------------------------------------ KPI dashboard


def dashboard_floor(office, fiscal_year: int) -> float:
    """What the KPI dashboard reads: headcount, passed hours per person and year, O-NET sums,
    and today's data quality of every school (its readiness KPI)."""
    from bench.reporting_workloads import RAW_DASHBOARD_SQL

    statements = []
    for sql in RAW_DASHBOARD_SQL:
        params = [office.pk, fiscal_year - 3, fiscal_year] if "BETWEEN" in sql else [office.pk]
        statements.append((sql, params))
    return _run(statements) + quality_floor(office)


def sar_floor(office, fiscal_year: int) -> float:
    """The SAR evidence: the dashboard's figures plus the year's courses with participants and
    passes."""
    course_sql = """SELECT c.id, COUNT(e.id), SUM(CASE WHEN e.passed THEN 1 ELSE 0 END)
        FROM training_course c LEFT JOIN training_enrolment e ON e.course_id = c.id
        WHERE c.office_id = %s AND c.fiscal_year = %s GROUP BY c.id"""
    return dashboard_floor(office, fiscal_year) + _run([(course_sql, [office.pk, fiscal_year])])
