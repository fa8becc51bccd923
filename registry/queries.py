"""Reads for registry pages: always scoped to what the user's role may see."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Subquery

from accounts.roles import Role
from krupd.lib import query_params
from krupd.lib.natural import natural_sorted
from krupd.lib.numerals import clean_text

from .models import (
    ADMINISTRATOR_TYPES,
    TEACHING_TYPES,
    AuditEntry,
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


def people_visible_to(user) -> QuerySet[Person]:
    """People a user may list or open. Inspectors see aggregates only, never people."""
    people = Person.objects.all()
    if user.role in OFFICE_PEOPLE_ROLES:
        return people.filter(office_id=user.office_id)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return people.filter(school_id=user.school_id)
    if user.role == Role.TEACHER and user.person_id:
        return people.filter(pk=user.person_id)
    return people.none()


def people_counted_for(user) -> QuerySet[Person]:
    """People a user's aggregates cover: inspectors count the whole office without seeing names."""
    if user.role == Role.INSPECTOR:
        return Person.objects.filter(office_id=user.office_id)
    return people_visible_to(user)


def counts_whole_office(user) -> bool:
    """Whether the user's aggregates (people_counted_for) cover their whole office, so that an
    office-wide stored summary answers them."""
    return bool(user.office_id) and user.role in (*OFFICE_PEOPLE_ROLES, Role.INSPECTOR)


def headcounts(user) -> dict[str, int]:
    active = people_counted_for(user).filter(status="active")
    return active.aggregate(
        total=Count("id"),
        teachers=Count("id", filter=Q(personnel_type__in=TEACHING_TYPES)),
        administrators=Count("id", filter=Q(personnel_type__in=ADMINISTRATOR_TYPES)),
        assistants=Count("id", filter=Q(personnel_type="assistant_teacher")),
    )


def office_networks(office_id) -> list[Network]:
    """The office's school networks in number order (เครือข่าย 2 before เครือข่าย 10)."""
    return natural_sorted(Network.objects.filter(office_id=office_id), key=lambda n: n.name)


def size_bands_of_office(office_id) -> QuerySet[SizeBand]:
    """The school size bands of the office's kind, in one query: the office is read inside it
    rather than first on its own."""
    kind = Office.objects.filter(pk=office_id).values("kind")[:1]
    return SizeBand.objects.filter(office_kind=Subquery(kind))


def schools_visible_to(user) -> QuerySet[School]:
    schools = School.objects.all()
    if user.role == Role.SCHOOL_DIRECTOR:
        return schools.filter(pk=user.school_id) if user.school_id else schools.none()
    if user.role == Role.TEACHER:
        return schools.none()
    return schools.filter(office_id=user.office_id)


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


def filter_people(people: QuerySet[Person], f: PeopleFilter) -> QuerySet[Person]:
    q = clean_text(f.q)
    if q:
        digits = q.replace("-", "").replace(" ", "")
        if digits.isdigit():
            people = people.filter(
                Q(national_id__startswith=digits) | Q(position_number=digits) | Q(phone__contains=q)
            )
        else:
            for word in q.split():
                people = people.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(first_name_en__icontains=word)
                    | Q(last_name_en__icontains=word)
                    | Q(position__icontains=word)
                )
    if f.school:
        people = (
            people.filter(school_id=as_id(f.school))
            if f.school != "office"
            else people.filter(school__isnull=True)
        )
    if f.network:
        people = people.filter(school__network_id=as_id(f.network))
    if f.personnel_type:
        people = people.filter(personnel_type=f.personnel_type)
    if f.standing:
        people = people.filter(academic_standing_id=as_id(f.standing))
    if f.learning_area:
        people = people.filter(
            Q(major__learning_area_id=as_id(f.learning_area))
            | Q(areas_taught__id=as_id(f.learning_area))
        ).distinct()
    if f.status:
        people = people.filter(status=f.status)
    return people.order_by(*PEOPLE_SORTS.get(f.sort, PEOPLE_SORTS["name"]))


def people_list(user, f: PeopleFilter) -> QuerySet[Person]:
    """The people page's rows with everything a row shows, in a fixed number of queries."""
    return filter_people(people_visible_to(user), f).select_related(
        "school", "academic_standing", "major__learning_area", "office"
    )


# The columns a row of the people page shows (registry_tables.people_rows): its 50 rows are
# some 300 model objects, and building them with every column of each cost about a tenth of
# the page's CPU.
PEOPLE_PAGE_COLUMNS = (
    "status", "title", "first_name", "last_name", "national_id", "position", "updated_at",
    "school__name", "office__name", "academic_standing__name", "major__name",
    "major__learning_area__short_name",
)  # fmt: skip


def people_page(user, f: PeopleFilter) -> QuerySet[Person]:
    """people_list's rows with only the columns the people page shows."""
    return people_list(user, f).only(*PEOPLE_PAGE_COLUMNS)


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


SCHOOL_SORTS = {
    "code": ("obec_code",),
    "name": ("name", "id"),
    "-name": ("-name", "id"),
    "students": ("total_students", "id"),
    "-students": ("-total_students", "id"),
    "network": ("network__name", "name"),
}


def school_list(user, f: SchoolFilter) -> QuerySet[School]:
    schools = schools_visible_to(user).select_related("network")
    q = clean_text(f.q)
    if q:
        schools = schools.filter(
            Q(name__icontains=q) | Q(obec_code__startswith=q) | Q(district__icontains=q)
        )
    if f.network:
        schools = schools.filter(network_id=as_id(f.network))
    if f.level:
        schools = schools.filter(level=f.level)
    if f.size_band:
        schools = schools.filter(size_band=f.size_band)
    return schools.order_by(*SCHOOL_SORTS.get(f.sort, SCHOOL_SORTS["code"]))


def audit_entries_for(user, *, object_type: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(office_id=user.office_id).select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


# The audit page links an entry to the record it is about while that record is still there.
AUDIT_LINKED = {"person": (Person, "registry:person_detail"),
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
            for e in AuditEntry.objects.filter(object_type="person", object_id=str(person.pk))
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
