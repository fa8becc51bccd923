"""What every sheet kind shares: comparing a row with the database, and writing in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from krupd.lib.audit_changes import validate_changes
from krupd.lib.clipping import clip
from registry.actions import WORKPLACE_HISTORY_LABEL, position_history_entries, rules_for
from registry.audit import LABEL_LENGTH, JsonText
from registry.models import AuditEntry, Office, PositionChange

from ..bulk import insert_rows
from . import Spec

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
ERROR = "error"

SCOPE_MESSAGE = "ไม่มีสิทธิ์นำเข้าข้อมูลของสถานศึกษาอื่น"


@dataclass
class Existing:
    """A record already in the database, in comparable form."""

    pk: int
    data: dict[str, Any]
    office_id: int | None = None
    school_id: int | None = None


@dataclass
class Outcome:
    status: str
    changes: dict[str, list[str]] = field(default_factory=dict)  # key → [before, after] as shown
    target_id: int | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Context:
    """Everything a row needs from the database, loaded once per validation or apply."""

    office: Office
    scope_school: Any = None  # a school director's own school: rows elsewhere are refused
    allow_leading_zero_or_nine_id: bool = True
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as in the file
    session: Any = None  # the course session a results batch records into
    # The office's day, taken once for every row of a validation (dates after it are refused).
    today: dt.date = field(default_factory=timezone.localdate)
    # Filled by kind-specific loaders.
    extra: dict[str, Any] = field(default_factory=dict)
    # Values the sheet gives once, in its title above the table, for a column it does not
    # have (Importer.title_values): every row takes them.
    given: dict[str, Any] = field(default_factory=dict)

    def header(self, spec: Spec, key: str) -> str:
        return self.headers.get(key) or spec.by_key[key].header

    def error(self, spec: Spec, key: str, message: str) -> dict[str, str]:
        return {"column": self.header(spec, key), "message": message}


def base_context(*, office: Office, scope_school=None) -> Context:
    rules = rules_for(office)
    return Context(
        office=office,
        scope_school=scope_school,
        allow_leading_zero_or_nine_id=rules.allow_leading_zero_or_nine_id,
        extra={"rules": rules},
    )


class Writer:
    """Collects audit entries and position history during an apply and writes them in bulk.

    Mirrors registry.audit.record, and takes career events from the same
    registry.actions.position_history_entries, so imported changes read exactly like changes
    made through the web forms.
    """

    def __init__(self, *, office: Office, actor, source: str) -> None:
        self.office = office
        self.actor = actor if getattr(actor, "pk", None) else None
        self.actor_name = getattr(actor, "username", "") or "ระบบ"
        self.source = source[:100]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.created = 0
        self.updated = 0
        self.schools_touched: set[int] = set()
        self._audit: list[dict] = []
        self._history: list[dict] = []

    @property
    def wrote(self) -> bool:
        return bool(self.created or self.updated)

    def audit(
        self,
        *,
        action: str,
        changes: dict,
        instance=None,
        object_type: str = "",
        object_id: str = "",
        object_label: str = "",
    ) -> None:
        """One entry about `instance`, or about the row named by type, id and label (a row
        written without a model instance)."""
        if instance is not None:
            object_type = instance._meta.model_name
            object_id = str(instance.pk)
            object_label = object_label or str(instance)
        self._audit.append(
            {
                "office_id": getattr(self.office, "pk", None),
                "actor_id": getattr(self.actor, "pk", None),
                "actor_name": self.actor_name,
                "at": self.now,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "object_label": clip(object_label, LABEL_LENGTH),
                # Text made from checked pieces (registry.actions.PersonCreatedJson) as it is.
                "changes": changes if changes.__class__ is JsonText else validate_changes(changes),
            }
        )

    def history(self, *, person_id: int, changes: dict, old_school_id: int | None = None) -> None:
        """Career events of an update; `old_school_id`: the person's school before it (kept
        with a change of workplace, as registry.actions does)."""
        for label, old, new in position_history_entries(changes):
            self._history.append(
                {
                    "person_id": person_id,
                    "effective_date": self.today,
                    "field": label,
                    "old_value": old,
                    "new_value": new,
                    "recorded_by_id": getattr(self.actor, "pk", None),
                    "recorded_at": self.now,
                    "source": self.source,
                    "old_school_id": old_school_id if label == WORKPLACE_HISTORY_LABEL else None,
                }
            )

    def flush(self) -> None:
        if self._audit:
            insert_rows(AuditEntry, self._audit)
            self._audit = []
        if self._history:
            insert_rows(PositionChange, self._history)
            self._history = []


def not_mapped(title_values: dict[str, Any], mapping: dict) -> dict[str, Any]:
    """The title's values every row takes (Importer.title_values): those of columns the file
    does not have. A column, when there is one, gives each row its own."""
    mapped = set(mapping.values())
    return {k: v for k, v in title_values.items() if k not in mapped}


class Importer:
    """One sheet kind. Subclasses declare `spec` and implement the database-facing parts."""

    kind: str = ""
    label: str = ""
    spec: Spec
    key_field: str = ""
    school_field: str = ""  # the column naming a school, for director scoping and totals rows
    allowed_for_director: bool = True
    # The preview's heading over row_warnings: what was found, and what the import does.
    warnings_title: str = "ข้อมูลที่ควรตรวจสอบ {count} รายการ (นำเข้าตามที่กรอก)"
    # Rows of one key are an error, except where the kind says which is the latest: a Google
    # Form sent again. Then the row with the latest value of this field (its time stamp; the
    # lower row on a tie or when it is blank) is imported and the others set aside, said on
    # the preview (actions._keep_latest).
    latest_by: str = ""

    # Columns read whole before any row is (`read_whole_column`): what one cell means may
    # depend on the others (a time stamp's day–month order).
    whole_columns: tuple[str, ...] = ()

    def for_batch(self, batch) -> Importer:
        """This importer as one batch reads it; the same for kinds whose columns are fixed."""
        return self

    # -- reading

    def context(self, *, office: Office, scope_school=None) -> Context:
        return base_context(office=office, scope_school=scope_school)

    def read_whole_column(self, key: str, cells: list, ctx: Context, header: str) -> list[dict]:
        """Read a column of `whole_columns` through, before its rows: `cells` are (row,
        cell) of its non-empty cells. What it finds goes into ctx.extra for the rows; it
        returns the preview's notes on it, or raises ImportFileError for no reading at all."""
        return []

    def mapping_problems(self, mapped: Iterable[str]) -> list[str]:
        mapped = set(mapped)
        return [
            f"ไม่พบคอลัมน์ “{self.spec.by_key[k].header}”"
            for k in self.spec.required_keys
            if k not in mapped
        ]

    def title_values(self, title_cells: list) -> dict[str, Any]:
        """Values the cells above the header give for the whole sheet, by column key (an
        enrolment sheet's "ปีการศึกษา 2568" in its title). Used only for a column the file
        does not have; none by default."""
        return {}

    def title_lines(self, given: dict[str, Any]) -> list[str]:
        """The title's values as the preview and the mapping page name them ("ปีการศึกษา 2568")."""
        return [
            f"{self.spec.by_key[key].header} {self.spec.by_key[key].show(value, None)}"
            for key, value in given.items()
            if key in self.spec.by_key
        ]

    def complete_mapping(self, guess, office) -> None:
        """Match headers the fixed column names cannot (e.g. an office's own questions)."""

    def field_labels(self, office) -> dict[str, str]:
        """How each field is named on the column-mapping page."""
        return {c.key: c.header for c in self.spec.columns}

    def template_columns(self, office) -> list:
        return [c for c in self.spec.columns if c.exported]

    def template_records(self, *, user=None, session=None) -> list[dict]:
        """The template's example rows: each column's example, with the user's own school
        where a column names one, so the example validates as it stands."""
        record = {"seq": 1}
        school = _example_school(user)
        if school is not None and self.school_field:
            record[self.school_field] = school.obec_code
            record["school_name"] = school.name
        return [record]

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        """Checks across fields of one row, and values inferred from others."""

    def row_warnings(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        """What is doubtful in a row without blocking it ({"column", "message"}), said on the
        preview; it takes out of `values` what was read only to be checked (a totals column)."""
        return []

    def summary_column(self, mapping: dict[int, str]) -> int | None:
        """The file column whose cell tells a totals or notes line from data: the key's."""
        return next((idx for idx, key in mapping.items() if key == self.key_field), None)

    def duplicate_message(self, other_rows: list[int]) -> str:
        rows = ", ".join(f"{n:,}" for n in other_rows)
        return f"ข้อมูลซ้ำกับแถวที่ {rows} (แก้ให้เหลือแถวเดียว)"

    def row_key(self, values: dict) -> str | None:
        value = values.get(self.key_field)
        return str(value) if value else None

    def row_label(self, values: dict, ctx: Context) -> str:
        return str(values.get(self.key_field) or "")

    def kept_unchanged(self, values: dict) -> dict:
        """What a row that changes nothing keeps of its values for the apply, which writes
        nothing for it: none by default."""
        return {}

    # -- comparing

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        raise NotImplementedError

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        raise NotImplementedError

    def changes_between(self, values: dict, before: dict, ctx: Context) -> dict[str, list[str]]:
        changes = {}
        for column in self.spec.importable:
            key = column.key
            if key in values and values[key] != before.get(key):
                changes[key] = [column.show(before.get(key), ctx), column.show(values[key], ctx)]
        return changes

    # -- writing

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        raise NotImplementedError

    def finish(self, ctx: Context, writer: Writer) -> None:
        """After every chunk is written: totals, confirmation dates."""

    # -- exporting

    def export_context(self, user) -> Context:
        return self.context(office=user.office, scope_school=None)

    def export_records(self, user, params: dict, ctx: Context) -> Iterator[dict]:
        raise NotImplementedError

    def export_size(self, user, params: dict) -> int:
        """How many records export_records yields, counted in the database."""
        raise NotImplementedError


def _example_school(user):
    from registry.models import School

    if user is None or not getattr(user, "office_id", None):
        return None
    if getattr(user, "school_id", None):
        return user.school
    # An open school: a new appointment to one closed (or merged into another) is refused, so
    # an example naming it would not import as it stands. None open: the first of them all.
    from django.utils import timezone

    from registry.queries import open_on

    schools = School.objects.filter(office_id=user.office_id).order_by("obec_code")
    return schools.filter(open_on(timezone.localdate())).first() or schools.first()


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
