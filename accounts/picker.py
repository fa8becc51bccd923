"""The people picker over accounts: where the choice is someone who signs in (a PA
evaluator, an award round's judges, the officer handling a debt case), not a person record.

Same search box, filters, rows and "select all filtered" as the person picker
(registry/picker.py); only what a row is differs. Position is the account's role; school,
academic standing and learning area are read from the account's own school and its person
record, so an account without a person record is found by name, username and role.
"""

from django.db.models import Q

from registry.models import AcademicStanding, Person, School
from registry.picker import (
    Menu,
    PeoplePickerField,
    PersonPickerField,
    PickSource,
    Row,
    learning_area_menu,
    school_menu,
    standing_menu,
)
from registry.queries import PickFilter, as_id, pick_people

from .models import User
from .queries import accounts_matching
from .roles import Role


class AccountSource(PickSource):
    related = ("school", "office", "person__school", "person__office")
    search_hint = "ค้นหาชื่อ นามสกุล ชื่อผู้ใช้ หรืออีเมล"
    none_found = "ไม่พบผู้ใช้ตามตัวกรองนี้"

    def match(self, candidates, f):
        users = accounts_matching(candidates, f.q)
        if f.school == "office":
            users = users.filter(school__isnull=True, person__school__isnull=True)
        elif f.school:
            school_id = as_id(f.school)
            users = users.filter(Q(school_id=school_id) | Q(person__school_id=school_id))
        if f.role:
            users = users.filter(role=f.role)
        if f.standing or f.learning_area:
            of_person = PickFilter(standing=f.standing, learning_area=f.learning_area)
            people = pick_people(Person.objects.all(), of_person)
            users = users.filter(person__in=people.values("pk"))
        return self.order(users)

    def order(self, rows):
        return rows.order_by("first_name", "last_name", "username")

    def row(self, user: User) -> Row:
        if user.school_id:
            workplace = user.school.name
        elif user.person_id:
            workplace = user.person.workplace_name
        else:
            workplace = user.office.name if user.office_id else ""
        detail = " · ".join(part for part in (user.role_label, workplace) if part)
        return Row(user.pk, user.get_full_name() or user.username, detail)

    def menus(self, candidates):
        plain = candidates.order_by()
        schools = School.objects.filter(
            Q(pk__in=plain.values("school_id")) | Q(pk__in=plain.values("person__school_id"))
        )
        present = set(plain.values_list("role", flat=True).distinct())
        roles = [(value, label) for value, label in Role.choices if value in present]
        standings = AcademicStanding.objects.filter(
            pk__in=plain.values("person__academic_standing_id")
        )
        by_standing = standing_menu(standings)
        menus = [school_menu(schools), Menu("role", "บทบาท", "ทุกบทบาท", roles), by_standing]
        if by_standing.choices:  # some candidates have a person record to filter by
            menus.append(learning_area_menu())
        return menus


ACCOUNTS = AccountSource()


class _ChoosesAccounts:
    source = ACCOUNTS

    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.role_label})"


class AccountPickerField(_ChoosesAccounts, PersonPickerField):
    """One account, chosen by search: a PA evaluator's seat, a debt case's officer."""

    default_error_messages = {
        "required": "ยังไม่ได้เลือกผู้ใช้",
        "invalid_choice": "เลือกผู้ใช้นี้ไม่ได้ในหน้านี้ โปรดค้นหาและเลือกใหม่",
    }


class AccountsPickerField(_ChoosesAccounts, PeoplePickerField):
    """Several accounts, chosen by search and filters: an award round's judges."""

    default_error_messages = {
        "required": "ยังไม่ได้เลือกผู้ใช้",
        "invalid_choice": "มีผู้ใช้ที่เลือกไม่ได้ในหน้านี้ (ลำดับที่ %(value)s) โปรดค้นหาและเลือกใหม่",
    }
