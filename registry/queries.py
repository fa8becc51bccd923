"""Reads for registry pages: always scoped to what the user's role may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.roles import Role
from krupd.lib import compiled_queries, query_params
from krupd.lib.natural import natural_sorted
from krupd.lib.numerals import clean_text, code_digits

from .labels import school_filter_labels
from .models import (
    ADMINISTRATOR_TYPES,
    TEACHING_TYPES,
    AcademicStanding,
    AuditEntry,
    LearningArea,
    Network,
    Office,
    Person,
    School,
    SizeBand,
)

# A filter's id from the query string; anything but an id matches no row (not a 500).
as_id = query_params.object_id


# Roles that list and open every person of their office.
OFFICE_PEOPLE_ROLES = (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR)


def people_scope(user, *, counted: bool = False) -> tuple[str, int] | None:
    """Which people a user may list or open, as (column, id): their office's, their school's
    or their own record; None: nobody. Inspectors see aggregates only, never people, so only
    what they are `counted` over is their office. A query compiled once per shape
    (compiled_queries) takes the column as its shape and the id as its argument."""
    if user.role in OFFICE_PEOPLE_ROLES or counted and user.role == Role.INSPECTOR:
        return ("office_id", user.office_id) if user.office_id else None
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return "school_id", user.school_id
    if user.role == Role.TEACHER and user.person_id:
        return "pk", user.person_id
    return None


def people_visible_to(user) -> QuerySet[Person]:
    """People a user may list or open (people_scope)."""
    return _people_in(people_scope(user))


def people_counted_for(user) -> QuerySet[Person]:
    """People a user's aggregates cover: inspectors count the whole office without seeing names."""
    return _people_in(people_scope(user, counted=True))


def _people_in(scope: tuple[str, int] | None) -> QuerySet[Person]:
    if scope is None:
        return Person.objects.none()
    column, id_ = scope
    return Person.objects.filter(**{column: id_})


def counts_whole_office(user) -> bool:
    """Whether the user's aggregates (people_counted_for) cover their whole office, so that an
    office-wide stored summary answers them."""
    return bool(user.office_id) and user.role in (*OFFICE_PEOPLE_ROLES, Role.INSPECTOR)


_HEADCOUNTS = ("total", "teachers", "administrators", "assistants")


def headcounts(user) -> dict[str, int]:
    """Active people the user's aggregates cover: in all, teachers, administrators and
    assistant teachers. On every home page: the SQL is compiled once per scope."""
    scope = people_scope(user, counted=True)
    if scope is None:
        return dict.fromkeys(_HEADCOUNTS, 0)
    column, id_ = scope

    def build(id_):
        return (
            _people_in((column, id_))
            .filter(status="active")
            .order_by()
            .values(column)
            .annotate(
                total=Count("id"),
                teachers=Count("id", filter=Q(personnel_type__in=TEACHING_TYPES)),
                administrators=Count("id", filter=Q(personnel_type__in=ADMINISTRATOR_TYPES)),
                assistants=Count("id", filter=Q(personnel_type="assistant_teacher")),
            )
            .values_list(*_HEADCOUNTS)
        )

    rows = compiled_queries.rows_for(
        ("registry.headcounts", column), build, id_, using=compiled_queries.reading(Person)
    )
    return dict(zip(_HEADCOUNTS, rows[0] if rows else (0, 0, 0, 0), strict=True))


def school_count(user, day: dt.date | None = None) -> int:
    """How many of the schools the user sees (schools_visible_to) are open on `day` (today
    when None): a school closed or merged into another by then no longer counts as one of
    the office's. Compiled once per shape."""
    scope = school_scope(user)
    if scope is None:
        return 0
    column, id_ = scope
    return compiled_queries.count_for(
        ("registry.school_count", column),
        lambda id_, day: School.objects.filter(**{column: id_}).filter(open_on(day)),
        (id_, day or timezone.localdate()),
        using=compiled_queries.reading(School),
    )


def office_networks(office_id) -> list[Network]:
    """The office's school networks in number order (เครือข่าย 2 before เครือข่าย 10). The
    filters of the people, schools and quality pages list them: the SQL is compiled once."""
    if not office_id:
        return []
    networks = compiled_queries.objects_for(
        "registry.office_networks",
        lambda office_id: Network.objects.filter(office_id=office_id),
        office_id,
        using=compiled_queries.reading(Network),
    )
    return natural_sorted(networks, key=lambda n: n.name)


def school_choices(user) -> list[tuple[int, str]]:
    """(id, name) of the schools the user sees (schools_visible_to), for a filter's
    drop-down; compiled once per shape (an office can have hundreds of schools). Labelled as
    every school filter labels them (labels.school_filter_labels): a school closed (or
    merged into another) by today stays, and says so after its name, "(ปิด/ยุบรวม)"."""
    scope = school_scope(user)
    if scope is None:
        return []
    column, id_ = scope
    rows = compiled_queries.rows_for(
        ("registry.school_choices", column),
        lambda id_: School.objects.filter(**{column: id_}).values_list(
            "id", "name", "obec_code", "closed_on"
        ),
        id_,
        using=compiled_queries.reading(School),
    )
    return list(school_filter_labels(rows, timezone.localdate()).items())


def standing_choices() -> list[tuple[int, str]]:
    """(id, name) of every academic standing, for a filter's drop-down."""
    return _every_row(AcademicStanding, "name")


def learning_area_choices() -> list[tuple[int, str]]:
    """(id, short name) of every learning area, for a filter's drop-down."""
    return _every_row(LearningArea, "short_name")


def _every_row(model, label: str) -> list[tuple[int, str]]:
    """(id, label) of every row of a reference table, by SQL compiled once."""
    return compiled_queries.rows_for(
        ("registry.every_row", model._meta.label, label),
        lambda _: model.objects.values_list("id", label),
        None,
        using=compiled_queries.reading(model),
    )


def size_bands_of_office(office_id) -> list[SizeBand]:
    """The school size bands of the office's kind, in one query: the office is read inside it
    rather than first on its own. The schools page's filter: compiled once."""
    if not office_id:
        return []

    def build(office_id):
        kind = Office.objects.filter(pk=office_id).values("kind")[:1]
        return SizeBand.objects.filter(office_kind=Subquery(kind))

    return compiled_queries.objects_for(
        "registry.size_bands_of_office", build, office_id, using=compiled_queries.reading(SizeBand)
    )


def one_school_or_office(user) -> tuple[bool, int | None]:
    """The schools a user sees, as (whole office?, the one school): (True, None) for the
    office's staff, (False, school id) for a director, (False, None) for no school at all (a
    teacher, a director without a school). schools_visible_to reads it; a query compiled once
    per shape (compiled_queries) takes it as its shape and ids."""
    if user.role == Role.SCHOOL_DIRECTOR:
        return False, user.school_id or None
    if user.role == Role.TEACHER:
        return False, None
    return True, None


def school_scope(user) -> tuple[str, int] | None:
    """The schools a user sees as (column, id): ("office_id", their office's) or ("pk", the
    one school); None: none. A query compiled once per shape takes the column as its shape."""
    whole_office, school_id = one_school_or_office(user)
    if whole_office and user.office_id:
        return "office_id", user.office_id
    if school_id:
        return "pk", school_id
    return None


def open_on(day: dt.date, prefix: str = "") -> Q:
    """Schools not closed (nor merged into another) on `day`: what a picker or form for a
    new record offers, and the schools a staffing census of that day lists. `prefix` reads
    it through a relation ("school__")."""
    return Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})


def closed_by(day: dt.date, prefix: str = "") -> Q:
    """Schools closed (or merged into another) on `day`: open_on's other side."""
    return Q(**{f"{prefix}closed_on__lte": day})


def offered_today(keep: int | None = None) -> Q:
    """Schools a form offers for a new choice: those not closed (nor merged into another)
    today, and `keep`, the school an existing record already names."""
    return open_on(timezone.localdate()) | Q(pk=keep)


def schools_offered(user, *, keep: int | None = None) -> QuerySet[School]:
    """The user's schools a form for a new record offers (offered_today)."""
    return schools_visible_to(user).filter(offered_today(keep))


# closed_schools_with_staff's columns, in its rows' order.
_CLOSED_STAFF_COLUMNS = ("id", "name", "obec_code", "closed_on", "merged_into__name", "staff")


def closed_schools_with_staff(user, today: dt.date) -> list[dict]:
    """The user's schools closed (or merged) by `today` where active people are still
    placed, with how many and where they were merged into: "บุคลากรในสถานศึกษาที่ปิดแล้ว",
    to be moved. One query, compiled once per shape: the data-quality page asks it at every
    request, and building it anew cost about 1 ms of CPU for a list that is mostly empty."""
    scope = school_scope(user)
    if scope is None:
        return []
    column, id_ = scope

    def build(id_, today):
        return (
            School.objects.filter(**{column: id_})
            .filter(closed_by(today))
            .annotate(staff=Count("people", filter=Q(people__status="active")))
            .filter(staff__gt=0)
            .order_by("obec_code")
            .values_list(*_CLOSED_STAFF_COLUMNS)
        )

    rows = compiled_queries.rows_for(
        ("registry.closed_schools_with_staff", column),
        build,
        (id_, today),
        using=compiled_queries.reading(School),
    )
    return [dict(zip(_CLOSED_STAFF_COLUMNS, row, strict=True)) for row in rows]


# seconded_to_closed_schools' columns, in its rows' order.
_SECONDED_CLOSED_COLUMNS = (
    "id", "title", "first_name", "last_name", "secondment", "secondment_school_id",
    "secondment_school__name", "secondment_school__obec_code", "secondment_school__closed_on",
    "secondment_school__merged_into__name",
)  # fmt: skip


def seconded_to_closed_schools(user, today: dt.date) -> list[dict]:
    """The active people the user's aggregates cover (people_counted_for) whose secondment
    (ช่วยราชการ, either way) names a school closed (or merged) by `today`, and ran on to its
    closing (no end, or an end on or after the closing day): "ช่วยราชการกับสถานศึกษาที่ปิด
    แล้ว", to be corrected on their own record. One query, compiled once per shape, as
    closed_schools_with_staff beside it on the data-quality page."""
    scope = people_scope(user, counted=True)
    if scope is None:
        return []
    column, id_ = scope

    def build(id_, today):
        return (
            _people_in((column, id_))
            .filter(status="active")
            .exclude(secondment="")
            .filter(closed_by(today, "secondment_school__"))
            .filter(
                Q(secondment_until__isnull=True)
                | Q(secondment_until__gte=F("secondment_school__closed_on"))
            )
            .order_by("secondment_school__obec_code", "first_name", "last_name", "id")
            .values_list(*_SECONDED_CLOSED_COLUMNS)
        )

    rows = compiled_queries.rows_for(
        ("registry.seconded_to_closed_schools", column),
        build,
        (id_, today),
        using=compiled_queries.reading(Person),
    )
    return [dict(zip(_SECONDED_CLOSED_COLUMNS, row, strict=True)) for row in rows]


def schools_visible_to(user) -> QuerySet[School]:
    scope = school_scope(user)
    if scope is None:
        return School.objects.none()
    column, id_ = scope
    return School.objects.filter(**{column: id_})


@dataclass(frozen=True)
class PeopleFilter:
    q: str = ""
    school: str = ""
    network: str = ""
    personnel_type: str = ""
    standing: str = ""
    learning_area: str = ""
    status: str = "active"
    sort: str = "name"


PEOPLE_SORTS = {
    "name": ("first_name", "last_name", "id"),
    "-name": ("-first_name", "-last_name", "-id"),
    "school": ("school__name", "first_name", "id"),
    "-school": ("-school__name", "first_name", "id"),
    "standing": ("academic_standing__rank", "first_name", "id"),
    "-standing": ("-academic_standing__rank", "first_name", "id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "id"),
}


# The filters that choose a row by its id (a school, network, standing, learning area).
_ID_FILTERS = ("school", "network", "standing", "learning_area")


def _filter_ids(f: PeopleFilter) -> dict[str, int]:
    """The id of each id filter that is set ("office", the office's own staff, is not one)."""
    return {
        name: as_id(getattr(f, name))
        for name in _ID_FILTERS
        if getattr(f, name) and not (name == "school" and f.school == "office")
    }


def search_texts(q: str) -> tuple[bool, tuple[str, ...]]:
    """How the people search reads its box: (a number?, the texts it looks for). A number
    (digits, dashes and spaces: an ID, a position number, a phone) is looked for as (its
    digits, as typed); otherwise each word is."""
    q = clean_text(q)
    digits = code_digits(q)
    if digits.isdigit():
        return True, (digits, q)
    return False, tuple(q.split())


def filter_people(
    people: QuerySet[Person],
    f: PeopleFilter,
    *,
    ids: dict[str, int] | None = None,
    texts: tuple[str, ...] | None = None,
) -> QuerySet[Person]:
    """`people` narrowed by the filter; `ids`: the id filters' ids, `texts`: the search's
    texts (search_texts), when not f's own."""
    ids = _filter_ids(f) if ids is None else ids
    number, typed = search_texts(f.q)
    texts = typed if texts is None else texts
    if number:
        digits, as_typed = texts
        people = people.filter(
            Q(national_id__startswith=digits)
            | Q(position_number=digits)
            | Q(phone__contains=as_typed)
        )
    else:
        for word in texts:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(first_name_en__icontains=word)
                | Q(last_name_en__icontains=word)
                | Q(position__icontains=word)
            )
    if f.school == "office":
        people = people.filter(school__isnull=True)
    elif "school" in ids:
        people = people.filter(school_id=ids["school"])
    if "network" in ids:
        people = people.filter(school__network_id=ids["network"])
    if f.personnel_type:
        people = people.filter(personnel_type=f.personnel_type)
    if "standing" in ids:
        people = people.filter(academic_standing_id=ids["standing"])
    if "learning_area" in ids:
        area = Q(major__learning_area_id=ids["learning_area"])
        people = people.filter(area | Q(areas_taught__id=ids["learning_area"])).distinct()
    if f.status:
        people = people.filter(status=f.status)
    return people.order_by(*PEOPLE_SORTS.get(f.sort, PEOPLE_SORTS["name"]))


def people_list(user, f: PeopleFilter) -> QuerySet[Person]:
    """The people page's rows with everything a row shows, in a fixed number of queries."""
    return _listed(filter_people(people_visible_to(user), f))


def _listed(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.select_related("school", "academic_standing", "major__learning_area", "office")


# The columns a row of the people page shows (registry_tables.people_rows): its 50 rows are
# some 300 model objects, and building them with every column of each cost about a tenth of
# the page's CPU.
PEOPLE_PAGE_COLUMNS = (
    "status", "title", "first_name", "last_name", "national_id", "position", "updated_at",
    "school__name", "office__name", "academic_standing__name", "major__name",
    "major__learning_area__short_name",
)  # fmt: skip


def people_page(user, f: PeopleFilter) -> QuerySet[Person] | compiled_queries.KeptPages:
    """people_list's rows with only the columns the people page shows, for its paginator.

    Read by SQL compiled once per shape of filter (which filters are set, the sort, a number
    or how many words are searched), the scope's and the filters' ids and the searched texts
    its arguments: building the query cost the ORM several times the database's work. A
    search of more than six words is built by the ORM."""
    scope = people_scope(user)
    number, texts = search_texts(f.q)
    if scope is None or len(texts) > len(compiled_queries.STAND_IN_TEXTS):
        return people_list(user, f).only(*PEOPLE_PAGE_COLUMNS)
    column, scope_id = scope
    ids = _filter_ids(f)
    names = tuple(ids)

    def build(scope_id, *args):
        chosen = dict(zip(names, args[: len(names)], strict=True))
        people = filter_people(
            _people_in((column, scope_id)), f, ids=chosen, texts=args[len(names) :]
        )
        return _listed(people).only(*PEOPLE_PAGE_COLUMNS)

    shape = (column, names, f.school == "office", f.personnel_type, f.status, f.sort, number,
             len(texts))  # fmt: skip
    return compiled_queries.KeptPages(
        ("registry.people_page", shape),
        build,
        (scope_id, *ids.values(), *texts),
        using=compiled_queries.reading(Person),
    )


@dataclass(frozen=True)
class PickFilter:
    """What the people picker narrows its candidates by (registry/picker.py)."""

    q: str = ""
    school: str = ""
    personnel_type: str = ""
    standing: str = ""
    learning_area: str = ""
    need: str = ""  # a development topic someone asked for (needs survey or ID plan)
    role: str = ""  # an account's role, when the picker chooses accounts (accounts/picker.py)
    year: str = ""  # a course's fiscal year, when the picker chooses courses (community/picker.py)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)


def pick_people(candidates: QuerySet[Person], f: PickFilter) -> QuerySet[Person]:
    """The picker's matches among its candidates, by the same rules as the people page, plus
    open development needs when the planning app is installed."""
    people = filter_people(
        candidates,
        PeopleFilter(
            q=f.q,
            school=f.school,
            personnel_type=f.personnel_type,
            standing=f.standing,
            learning_area=f.learning_area,
            status="",
            sort="school",
        ),
    )
    if f.need:
        from django.apps import apps

        if apps.is_installed("planning"):
            from planning.queries import people_with_open_need

            people = people.filter(pk__in=people_with_open_need(as_id(f.need)))
    return people


@dataclass(frozen=True)
class SchoolFilter:
    q: str = ""
    network: str = ""
    level: str = ""
    size_band: str = ""
    sort: str = "code"
    # Closed (or merged) schools: "" hidden (as of today), "all" shown too, "only" them alone.
    closed: str = ""


# The schools page's closed-schools filter: (value, label), the first the default.
SCHOOL_CLOSED_CHOICES = [
    ("", "ไม่แสดงสถานศึกษาที่ปิด/ยุบรวม"),
    ("all", "แสดงสถานศึกษาที่ปิด/ยุบรวมด้วย"),
    ("only", "เฉพาะสถานศึกษาที่ปิด/ยุบรวม"),
]


SCHOOL_SORTS = {
    "code": ("obec_code",),
    "name": ("name", "id"),
    "-name": ("-name", "id"),
    "students": ("total_students", "id"),
    "-students": ("-total_students", "id"),
    "network": ("network__name", "name"),
}


def school_list(user, f: SchoolFilter, today: dt.date | None = None) -> QuerySet[School]:
    network_id = as_id(f.network) if f.network else None
    return _filter_schools(schools_visible_to(user), f, network_id, today or timezone.localdate())


def _filter_schools(schools: QuerySet[School], f: SchoolFilter, network_id,
                    today: dt.date | None) -> QuerySet[School]:  # fmt: skip
    schools = schools.select_related("network", "merged_into")
    if f.closed == "only":
        schools = schools.filter(closed_by(today))
    elif f.closed != "all":
        schools = schools.filter(open_on(today))
    q = clean_text(f.q)
    if q:
        schools = schools.filter(
            Q(name__icontains=q) | Q(obec_code__startswith=q) | Q(district__icontains=q)
        )
    if f.network:
        schools = schools.filter(network_id=network_id)
    if f.level:
        schools = schools.filter(level=f.level)
    if f.size_band:
        schools = schools.filter(size_band=f.size_band)
    return schools.order_by(*SCHOOL_SORTS.get(f.sort, SCHOOL_SORTS["code"]))


def school_page(user, f: SchoolFilter) -> QuerySet[School] | compiled_queries.KeptPages:
    """school_list's rows for the schools page's paginator: browsing (no words searched)
    reads them by SQL compiled once per shape of filter, as people_page does."""
    scope = school_scope(user)
    today = timezone.localdate()
    if clean_text(f.q) or scope is None:
        return school_list(user, f, today)
    column, scope_id = scope
    network = (as_id(f.network),) if f.network else ()
    closed = f.closed if f.closed in ("all", "only") else ""
    # Today is a parameter of the query unless every school is listed, closed or not.
    day = () if closed == "all" else (today,)

    def build(scope_id, *args):
        today, network_id = (None, args) if closed == "all" else (args[0], args[1:])
        schools = School.objects.filter(**{column: scope_id})
        return _filter_schools(schools, f, network_id[0] if network_id else None, today)

    return compiled_queries.KeptPages(
        ("registry.school_page", column, bool(network), f.level, f.size_band, f.sort, closed),
        build,
        (scope_id, *day, *network),
        using=compiled_queries.reading(School),
    )


# The object type of the entry of a merge of a duplicate into a person (registry.merge): about
# the person too, shown in their history and linked to their page.
PERSON_MERGE_ENTRY = "person_merge"
PERSON_ENTRY_TYPES = ("person", PERSON_MERGE_ENTRY)


def audit_entries_for(user, *, object_type: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(office_id=user.office_id).select_related("actor")
    if object_type == "person":
        entries = entries.filter(object_type__in=PERSON_ENTRY_TYPES)
    elif object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


# The audit page links an entry to the record it is about while that record is still there.
AUDIT_LINKED = {"person": (Person, "registry:person_detail"),
                PERSON_MERGE_ENTRY: (Person, "registry:person_detail"),
                "school": (School, "registry:school_detail")}  # fmt: skip


def audit_links(entries, *, office_id) -> dict[int, str]:
    """{entry id: address of its record} for the entries about a person or a school of the
    office that still exists (one query per kind): a deleted record, or an entry whose object id
    is empty or not a number (an entry written by hand, an older writer), is shown unlinked;
    such an id made the whole log a server error, and a deleted one linked to "not found"."""
    from django.urls import reverse

    wanted: dict[str, dict[int, list[int]]] = {}
    for e in entries:
        pk = as_id(e.object_id) if e.object_type in AUDIT_LINKED else 0
        if pk:
            wanted.setdefault(e.object_type, {}).setdefault(pk, []).append(e.pk)
    links = {}
    for kind, by_pk in wanted.items():
        model, name = AUDIT_LINKED[kind]
        for pk in model.objects.filter(pk__in=by_pk, office_id=office_id).values_list(
            "pk", flat=True
        ):
            links.update({entry: reverse(name, args=[pk]) for entry in by_pk[pk]})
    return links


def own_data_export(person: Person) -> dict:
    """Everything the registry holds about one person, for their PDPA data-access request."""
    from .actions import PERSON_AUDIT_FIELDS
    from .audit import snapshot

    record = snapshot(person, PERSON_AUDIT_FIELDS)
    record["areas_taught"] = [area.name for area in person.areas_taught.all()]
    return {
        "record": record,
        "position_history": [
            {"effective_date": str(c.effective_date), "field": c.field,
             "old": c.old_value, "new": c.new_value, "source": c.source}
            for c in person.position_changes.all()
        ],
        "audit": [
            {"at": e.at.isoformat(), "by": e.actor_name, "action": e.action_label,
             "changes": e.changes}
            for e in AuditEntry.objects.filter(
                object_type__in=PERSON_ENTRY_TYPES, object_id=str(person.pk)
            )
        ],
        **_own_certificates(person),
    }  # fmt: skip


def _own_certificates(person: Person) -> dict:
    """The person's evidence: every course and award certificate issued to them (replaced
    and revoked ones too, as the register keeps them), each with the address anyone checks
    it at. The export held the registry record only: a teacher moving office, or asked for
    her certificates by an outside verifier, had to collect them course by course."""
    from community.models import AwardCertificate
    from training.certificates import verify_url
    from training.models import Certificate, CertificateStanding

    courses = (
        Certificate.objects.filter(enrolment__person=person)
        .select_related("enrolment", "replaced_by")
        .order_by("issued_on", "id")
    )
    awards = AwardCertificate.objects.filter(result__nomination__person=person).order_by(
        "issued_on", "id"
    )
    return {
        "certificates": [
            {"code": c.code, "number": c.number, "course": c.course_title,
             "hours": str(c.hours), "completed_on": str(c.completed_on),
             "issued_on": str(c.issued_on),
             "valid_until": str(c.valid_until) if c.valid_until else None,
             "office": c.office_name, "standing": CertificateStanding(c.standing).label,
             "verify_url": verify_url(c.code)}
            for c in courses
        ],
        "award_certificates": [
            {"code": a.code, "number": a.number, "award": a.programme_name,
             "level": a.get_level_display(), "year": a.year, "work": a.work_title,
             "issued_on": str(a.issued_on), "office": a.office_name,
             "standing": a.get_status_display(), "verify_url": verify_url(a.code)}
            for a in awards
        ],
    }  # fmt: skip


def certificates_held(person: Person) -> int:
    """Valid course and award certificates issued to this person. Each stays checkable by
    anyone holding its code, and only the course's or the round's page can revoke it: a
    deleted record would leave them valid for good, with no page left to revoke them from."""
    from community.models import AwardCertificate, AwardCertificateStatus
    from training.models import Certificate, CertificateStatus

    courses = Certificate.objects.filter(enrolment__person=person, status=CertificateStatus.VALID)
    awards = AwardCertificate.objects.filter(
        result__nomination__person=person, status=AwardCertificateStatus.VALID
    )
    return courses.count() + awards.count()


# ------------------------------------------------------------------ duplicate records (merge)


@dataclass(frozen=True)
class Holding:
    """One kind of row a person record holds, as the merge page counts it and
    registry.merge moves it: rows of `model` whose `field` is the person. `kind` says how it
    is moved: "rows" (a foreign key: each row is repointed), "one" (a one-to-one: at most one
    per person), "member" (a many-to-many: the memberships are joined, one per group)."""

    key: str
    label: str
    model: str  # "app_label.Model"
    field: str
    kind: str = "rows"


# Everything a person record holds, in the order the merge page lists it. Hours of each year
# (reporting.PersonHours) are no holding: a summary, recounted from these by the merge.
PERSON_HOLDINGS = (
    Holding("accounts", "บัญชีผู้ใช้", "accounts.User", "person", "one"),
    Holding("history", "ประวัติการดำรงตำแหน่ง", "registry.PositionChange", "person"),
    Holding("enrolments", "การลงทะเบียนหลักสูตร", "training.Enrolment", "person"),
    Holding("responses", "แบบประเมินสมรรถนะและความต้องการ", "planning.Response", "person"),
    Holding("id_plans", "ID Plan", "planning.IdPlan", "person"),
    Holding("plc_facilitated", "กลุ่ม PLC ที่เป็นผู้นำกลุ่ม", "community.PLCGroup", "facilitator"),
    Holding("plc_groups", "กลุ่ม PLC ที่เป็นสมาชิก", "community.PLCGroup", "members", "member"),
    Holding(
        "plc_meetings", "การประชุม PLC ที่เข้าร่วม", "community.PLCMeeting", "attendees", "member"
    ),  # fmt: skip
    Holding("visits", "การนิเทศ ติดตาม", "community.Visit", "people", "member"),
    Holding(
        "committees", "กรรมการเครือข่ายสถานศึกษา", "community.NetworkProfile", "committee", "member"
    ),  # fmt: skip
    Holding("nominations", "การเสนอชื่อรับรางวัล", "community.Nomination", "person"),
    Holding(
        "practices", "แนวปฏิบัติที่ดี (Best Practice)", "community.BestPractice", "owners", "member"
    ),  # fmt: skip
    Holding("pa_agreements", "ข้อตกลงในการพัฒนางาน (PA)", "career.PAAgreement", "person"),
    Holding("standing_requests", "คำขอวิทยฐานะ", "career.StandingRequest", "person"),
    Holding("debt_profile", "ข้อมูลรายได้และหนี้สิน", "career.DebtProfile", "person", "one"),
    Holding("debt_cases", "เรื่องขอรับการแก้ไขหนี้", "career.DebtCase", "person"),
)
# Related rows no holding names: recounted by the merge, never moved.
RECOUNTED_RELATIONS = frozenset({"reporting.PersonHours"})


def holding_rows(holding: Holding, person_id: int) -> QuerySet:
    """The rows of one holding that belong to this person."""
    from django.apps import apps

    return apps.get_model(holding.model).objects.filter(**{holding.field: person_id})


def person_holdings(person: Person) -> list[tuple[Holding, int]]:
    """(holding, how many rows of it the person holds), every holding in its order."""
    return [(h, holding_rows(h, person.pk).count()) for h in PERSON_HOLDINGS]


def holdings_side_by_side(people: list[Person]) -> list[dict]:
    """{"label", "counts": one per person} for each holding any of them has: what neither
    holds is left out (a phone would scroll past a column of zeros)."""
    held = [person_holdings(p) for p in people]
    return [
        {"label": row[0][0].label, "counts": counts}
        for row in zip(*held, strict=True)
        if any(counts := [n for _, n in row])
    ]


def merge_candidates(user, person: Person) -> QuerySet[Person]:
    """The records `person` may be merged with: the others of the same office, in scope."""
    return people_visible_to(user).filter(office_id=person.office_id).exclude(pk=person.pk)
