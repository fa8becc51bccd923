"""Roles and what each may do. The one place a capability is granted.

A user has exactly one role. Views and queries ask `can(user, CAPABILITY)`;
which rows they then see is decided by scoping in each app's queries/access.
"""

from django.db import models


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "ผู้ดูแลระบบระดับเขตพื้นที่"
    DEVELOPMENT_OFFICER = "development_officer", "เจ้าหน้าที่กลุ่มพัฒนาครูฯ"
    SUPERVISOR = "supervisor", "ศึกษานิเทศก์"
    SCHOOL_DIRECTOR = "school_director", "ผู้อำนวยการสถานศึกษา"
    TEACHER = "teacher", "ครู"
    INSPECTOR = "inspector", "ผู้ตรวจราชการ (อ่านอย่างเดียว)"
    # Above the office: a scope at one level, aggregates only (never a person's record).
    PROVINCE_INSPECTOR = "province_inspector", "ผู้ตรวจราชการระดับจังหวัด"
    REGION_INSPECTOR = "region_inspector", "ผู้ตรวจราชการระดับภาค (อ่านอย่างเดียว)"
    OBEC_ANALYST = "obec_analyst", "นักวิเคราะห์ระดับประเทศ สพฐ. (อ่านอย่างเดียว)"


# Roles whose account belongs to one school (the school of its person record).
SCHOOL_ROLES = (Role.SCHOOL_DIRECTOR, Role.TEACHER)
# Roles whose user belongs to no office: their scope is a province, a region or the country
# (accounts.User.province / .region). An office admin can never grant them.
ABOVE_OFFICE_ROLES = frozenset({Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST})
OFFICE_ROLES = [(value, label) for value, label in Role.choices if value not in ABOVE_OFFICE_ROLES]


# Capabilities, named for what they allow.
VIEW_PEOPLE = "view_people"  # lists and detail pages of people in scope
EDIT_PEOPLE = "edit_people"  # create and edit people in scope
DELETE_PEOPLE = "delete_people"
VIEW_SCHOOLS = "view_schools"
EDIT_SCHOOLS = "edit_schools"
VIEW_FULL_NATIONAL_ID = "view_full_national_id"  # reveal an unmasked ID (audited)
IMPORT_DATA = "import_data"
EXPORT_DATA = "export_data"
VIEW_AGGREGATES = "view_aggregates"  # counts and data-quality summaries
VIEW_AUDIT_LOG = "view_audit_log"
EDIT_SETTINGS = "edit_settings"  # office rules: retirement age, freshness, ID rule, reference data
MANAGE_ACCOUNTS = "manage_accounts"  # the office's user accounts: create, edit, reset passwords
EDIT_OWN_CONTACT = "edit_own_contact"
EDIT_ENROLMENT = "edit_enrolment"  # students and classrooms per grade of a school in scope
EDIT_STAFFING_RULES = "edit_staffing_rules"  # staffing criteria versions (rule tables)
PLAN_TRANSFERS = "plan_transfers"  # transfer proposals naming people, office-wide
# Planning (needs assessment, strategy, plans, ID plans)
EDIT_FRAMEWORKS = "edit_frameworks"  # competency frameworks, needs-topic catalogue, strategic frame
MANAGE_ROUNDS = "manage_rounds"  # open assessment rounds, follow progress office-wide
VIEW_NEEDS = "view_needs"  # needs analysis (PNI) and progress, scoped (directors: own school)
SELF_ASSESS = "self_assess"  # own self-assessment, needs survey and ID plan (needs a person)
RATE_STAFF = "rate_staff"  # a director rates their own school's staff; approves their ID plans
VIEW_PLANS = "view_plans"  # strategic frame, HR and action plans, alignment
EDIT_PLANS = "edit_plans"  # draft and submit plans and projects
APPROVE_PLANS = "approve_plans"  # approve or return submitted plans
_PLANNING_OFFICE = {MANAGE_ROUNDS, VIEW_NEEDS, SELF_ASSESS, VIEW_PLANS, EDIT_PLANS}

_OFFICE_STAFF = {
    VIEW_PEOPLE, EDIT_PEOPLE, VIEW_SCHOOLS, VIEW_FULL_NATIONAL_ID,
    IMPORT_DATA, EXPORT_DATA, VIEW_AGGREGATES, EDIT_OWN_CONTACT, EDIT_ENROLMENT,
}  # fmt: skip

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: frozenset(
        _OFFICE_STAFF
        | {DELETE_PEOPLE, EDIT_SCHOOLS, VIEW_AUDIT_LOG, EDIT_SETTINGS, EDIT_STAFFING_RULES}
        | {MANAGE_ACCOUNTS}
        | {PLAN_TRANSFERS}
        | _PLANNING_OFFICE
        | {EDIT_FRAMEWORKS, APPROVE_PLANS}
    ),
    Role.DEVELOPMENT_OFFICER: frozenset(_OFFICE_STAFF | {PLAN_TRANSFERS} | _PLANNING_OFFICE),
    Role.SUPERVISOR: frozenset(
        {VIEW_PEOPLE, VIEW_SCHOOLS, EXPORT_DATA, VIEW_AGGREGATES, EDIT_OWN_CONTACT}
        | {VIEW_NEEDS, SELF_ASSESS, VIEW_PLANS}
    ),
    Role.SCHOOL_DIRECTOR: frozenset(
        {
            VIEW_PEOPLE,
            EDIT_PEOPLE,
            VIEW_SCHOOLS,
            VIEW_FULL_NATIONAL_ID,
            EXPORT_DATA,
            VIEW_AGGREGATES,
            EDIT_OWN_CONTACT,
            IMPORT_DATA,
            EDIT_ENROLMENT,
            VIEW_NEEDS,
            SELF_ASSESS,
            RATE_STAFF,
            VIEW_PLANS,
        }
    ),  # fmt: skip
    Role.TEACHER: frozenset({EDIT_OWN_CONTACT, SELF_ASSESS}),
    Role.INSPECTOR: frozenset({VIEW_SCHOOLS, VIEW_AGGREGATES, VIEW_NEEDS, VIEW_PLANS}),
}


# Training (courses, enrolment, evaluation, certificates, PD records).
MANAGE_TRAINING = "manage_training"  # courses, sessions, attendance, tests, certificates
NOMINATE_TRAINEES = "nominate_trainees"  # enrol others: a director their school, the office anyone
VIEW_TRAINING_RESULTS = "view_training_results"  # results, evaluation, % developed (scoped)
CONFIRM_FOLLOW_UP = "confirm_follow_up"  # confirm participants' follow-up reports (scoped)
_TRAINING_OFFICE = {MANAGE_TRAINING, NOMINATE_TRAINEES, VIEW_TRAINING_RESULTS, CONFIRM_FOLLOW_UP}
for _role, _granted in {
    Role.OFFICE_ADMIN: _TRAINING_OFFICE,
    Role.DEVELOPMENT_OFFICER: _TRAINING_OFFICE,
    Role.SUPERVISOR: {VIEW_TRAINING_RESULTS, CONFIRM_FOLLOW_UP},
    Role.SCHOOL_DIRECTOR: {NOMINATE_TRAINEES, VIEW_TRAINING_RESULTS, CONFIRM_FOLLOW_UP},
    Role.INSPECTOR: {VIEW_TRAINING_RESULTS},
}.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _granted

# Community and career (PLC, visits, networks, awards, best practices, PA, debt clinic).
MANAGE_PLC = "manage_plc"  # create PLC groups (directors: own school) and see PLC activity
RECORD_VISITS = "record_visits"  # plan and record supervision/coaching visits, see coverage
MANAGE_NETWORKS = "manage_networks"  # network profiles, partners, MOUs, joint activities
MANAGE_AWARDS = "manage_awards"  # award programmes, rounds, criteria, judges, results
NOMINATE_AWARDS = "nominate_awards"  # nominate people of one's own scope for an award
PUBLISH_PRACTICES = "publish_practices"  # review and publish best practices of anyone
MANAGE_PA = "manage_pa"  # office-wide PA status, evaluator assignment, PA settings
MANAGE_DEBT = "manage_debt"  # personal debt records (every read is audited)
VIEW_DEBT_SUMMARY = "view_debt_summary"  # office debt counts only, no personal details
for _role, _granted in {
    Role.OFFICE_ADMIN: {MANAGE_PLC, RECORD_VISITS, MANAGE_NETWORKS, MANAGE_AWARDS, NOMINATE_AWARDS,
                        PUBLISH_PRACTICES, MANAGE_PA, MANAGE_DEBT, VIEW_DEBT_SUMMARY},
    Role.DEVELOPMENT_OFFICER: {MANAGE_PLC, RECORD_VISITS, MANAGE_NETWORKS, MANAGE_AWARDS,
                               NOMINATE_AWARDS, PUBLISH_PRACTICES, MANAGE_PA, VIEW_DEBT_SUMMARY},
    Role.SUPERVISOR: {MANAGE_PLC, RECORD_VISITS, PUBLISH_PRACTICES},
    Role.SCHOOL_DIRECTOR: {MANAGE_PLC, NOMINATE_AWARDS},
    Role.INSPECTOR: {VIEW_DEBT_SUMMARY},
}.items():  # fmt: skip
    CAPABILITIES[_role] = CAPABILITIES[_role] | _granted


# Reporting (KPI dashboard, SAR, inspection report, annual summaries).
VIEW_REPORTS = "view_reports"  # KPI dashboard and what needs action, scoped (directors: own school)
VIEW_OFFICE_REPORTS = "view_office_reports"  # SAR, inspection report, annual summaries (office)
EDIT_REPORTS = "edit_reports"  # KPI targets, O-NET import, SAR narratives/levels, inspection report
for _role, _granted in {
    Role.OFFICE_ADMIN: {VIEW_REPORTS, VIEW_OFFICE_REPORTS, EDIT_REPORTS},
    Role.DEVELOPMENT_OFFICER: {VIEW_REPORTS, VIEW_OFFICE_REPORTS, EDIT_REPORTS},
    Role.SUPERVISOR: {VIEW_REPORTS, VIEW_OFFICE_REPORTS},
    Role.SCHOOL_DIRECTOR: {VIEW_REPORTS},
    Role.INSPECTOR: {VIEW_REPORTS, VIEW_OFFICE_REPORTS},
}.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _granted


# Above the office (oversight): offices compared side by side, the provincial inspection round.
COMPARE_OFFICES = "compare_offices"  # KPI, staffing, development and data-quality aggregates
VIEW_PROVINCE_INSPECTION = "view_province_inspection"  # provincial inspection reports in scope
RUN_PROVINCE_INSPECTION = "run_province_inspection"  # open a round, accept/return, summarise
CAPABILITIES[Role.PROVINCE_INSPECTOR] = frozenset(
    {COMPARE_OFFICES, VIEW_PROVINCE_INSPECTION, RUN_PROVINCE_INSPECTION}
)
CAPABILITIES[Role.REGION_INSPECTOR] = frozenset({COMPARE_OFFICES, VIEW_PROVINCE_INSPECTION})
CAPABILITIES[Role.OBEC_ANALYST] = frozenset({COMPARE_OFFICES, VIEW_PROVINCE_INSPECTION})


def can(user, capability: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())
