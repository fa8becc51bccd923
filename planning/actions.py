"""Every planning write: frameworks, rounds, answers, plans and their workflow, ID plans.

Atomic, keyword-only, takes the acting user, audited. Views, the API, the XLSX importer and
the demo loader all come through here, so the rules below hold everywhere:

* a framework version that has answers is never changed (copy it into a new version);
* answers are accepted only while the round is open and only on the round's scale;
* workflow transitions not in the table are refused, under a row lock, so two approvers
  clicking at once leave one event, not two.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from krupd import repeats
from krupd.lib import typed_text
from krupd.lib.clipping import clip
from krupd.lib.numerals import to_arabic_digits, to_thai_digits
from notifications import events
from registry import audit
from registry.models import AuditAction, Person

from . import queries
from .models import (
    Activity,
    BudgetLine,
    Competency,
    CompetencyLevel,
    Domain,
    Framework,
    IdPlan,
    IdPlanItem,
    IdPlanStatus,
    Mode,
    Plan,
    PlanEvent,
    PlanStatus,
    Project,
    ProjectKpi,
    ProjectReport,
    RaterKind,
    Rating,
    Response,
    ResultSource,
    Round,
    Topic,
    TopicAnswer,
)


class WorkflowError(ValidationError):
    """A transition or edit the current state does not allow; the message is Thai."""


def _office_of(user):
    return getattr(user, "office", None)


# ---------------------------------------------------------------------------------------------
# Frameworks


def framework_in_use(fw: Framework) -> bool:
    return Response.objects.filter(round__framework=fw).exists()


def ensure_framework_editable(fw: Framework) -> None:
    if fw.pk and framework_in_use(fw):
        raise WorkflowError(
            "กรอบฉบับนี้มีผลการประเมินแล้ว แก้ไขไม่ได้เพื่อให้ผลเดิมคงอยู่ — สร้างฉบับใหม่แล้วแก้ไขฉบับใหม่แทน"
        )


@transaction.atomic
def save_framework(*, acting_user, framework: Framework) -> Framework:
    ensure_framework_editable(framework)
    is_new = framework.pk is None
    framework.full_clean()
    framework.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        instance=framework,
        changes={"name": [None, framework.name], "version": [None, framework.version]},
    )
    return framework


@transaction.atomic
def save_domain(*, acting_user, domain: Domain) -> Domain:
    ensure_framework_editable(domain.framework)
    domain.save()
    return domain


@transaction.atomic
def delete_domain(*, acting_user, domain: Domain) -> None:
    ensure_framework_editable(domain.framework)
    domain.delete()


@transaction.atomic
def save_competency(
    *, acting_user, competency: Competency, descriptors: list[str] | None = None
) -> Competency:
    """Save an item; `descriptors` are its level descriptors, lowest level first."""
    fw = competency.domain.framework
    ensure_framework_editable(fw)
    competency.save()
    if descriptors is not None:
        competency.levels.all().delete()
        CompetencyLevel.objects.bulk_create(
            CompetencyLevel(competency=competency, value=fw.scale_min + i, descriptor=text)
            for i, text in enumerate(descriptors)
            if text.strip()
        )
    return competency


@transaction.atomic
def delete_competency(*, acting_user, competency: Competency) -> None:
    ensure_framework_editable(competency.domain.framework)
    competency.delete()


@transaction.atomic
def copy_framework(*, acting_user, framework: Framework, version: str) -> Framework:
    """A new editable version with the same domains, items and descriptors. Of two requests
    racing for one version (a double click), the second is refused in Thai, not with a
    server error from the unique version."""
    taken = WorkflowError(f"มีกรอบ {framework.code} ฉบับ {version} อยู่แล้ว")
    if Framework.objects.filter(
        office_id=framework.office_id, code=framework.code, version=version
    ).exists():
        raise taken
    try:
        with transaction.atomic():
            new = Framework.objects.create(
                office_id=framework.office_id,
                code=framework.code,
                version=version,
                name=framework.name,
                source=framework.source,
                scale_min=framework.scale_min,
                scale_max=framework.scale_max,
                scale_labels=list(framework.scale_labels),
                previous=framework,
            )
    except IntegrityError:
        raise taken from None
    for domain in framework.domains.prefetch_related("competencies__levels"):
        new_domain = Domain.objects.create(
            framework=new, code=domain.code, name=domain.name, sort_order=domain.sort_order
        )
        for comp in domain.competencies.all():
            new_comp = Competency.objects.create(
                domain=new_domain,
                code=comp.code,
                name=comp.name,
                description=comp.description,
                sort_order=comp.sort_order,
            )
            CompetencyLevel.objects.bulk_create(
                CompetencyLevel(competency=new_comp, value=lv.value, descriptor=lv.descriptor)
                for lv in comp.levels.all()
            )
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE,
        instance=new,
        changes={"copied_from": [None, str(framework)]},
    )
    return new


@dataclass
class ParsedItem:
    domain_code: str
    domain_name: str
    code: str
    name: str
    description: str
    descriptors: list[str]


@dataclass
class ParsedFramework:
    code: str
    version: str
    name: str
    source: str
    scale_min: int
    scale_max: int
    scale_labels: list[str]
    items: list[ParsedItem]
    # Rows read that the file hides, by sheet name (said with the import's result).
    hidden_rows: dict[str, list[int]] = field(default_factory=dict)


@transaction.atomic
def import_framework(*, acting_user, office, parsed: ParsedFramework) -> Framework:
    """Create a framework version from a validated file, all or nothing."""
    if Framework.objects.filter(office=office, code=parsed.code, version=parsed.version).exists():
        raise WorkflowError(
            f"มีกรอบ {parsed.code} ฉบับ {parsed.version} อยู่แล้ว — เปลี่ยนฉบับในแผ่นงาน “ข้อมูลกรอบ”"
        )
    previous = (
        Framework.objects.filter(office=office, code=parsed.code).order_by("-created_at").first()
    )
    fw = Framework.objects.create(
        office=office,
        code=parsed.code,
        version=parsed.version,
        name=parsed.name,
        source=parsed.source,
        scale_min=parsed.scale_min,
        scale_max=parsed.scale_max,
        scale_labels=parsed.scale_labels,
        previous=previous,
    )
    domains: dict[str, Domain] = {}
    for order, item in enumerate(parsed.items):
        domain = domains.get(item.domain_code)
        if domain is None:
            domain = domains[item.domain_code] = Domain.objects.create(
                framework=fw, code=item.domain_code, name=item.domain_name,
                sort_order=len(domains) + 1,
            )  # fmt: skip
        comp = Competency.objects.create(
            domain=domain,
            code=item.code,
            name=item.name,
            description=item.description,
            sort_order=order + 1,
        )
        CompetencyLevel.objects.bulk_create(
            CompetencyLevel(competency=comp, value=parsed.scale_min + i, descriptor=text)
            for i, text in enumerate(item.descriptors)
            if text
        )
    audit.record(
        actor=acting_user,
        action=AuditAction.IMPORT,
        instance=fw,
        changes={"items": [None, len(parsed.items)]},
    )
    return fw


def import_framework_file(*, acting_user, path: str, report) -> tuple[str, int]:
    """The task worker's part of a framework upload (imports/actions.py runs it): read the
    stored workbook, then create the version in one transaction. Every problem of the file
    comes back as one Thai message naming its sheet, row and column; nothing is written then."""
    from .framework_xlsx import FrameworkFileError, read_framework

    try:
        parsed = read_framework(path)
    except FrameworkFileError as error:
        raise ValidationError(error.errors) from None
    report(len(parsed.items), len(parsed.items), final=True)
    fw = import_framework(acting_user=acting_user, office=acting_user.office, parsed=parsed)
    summary = f"นำเข้า {fw} แล้ว ({len(parsed.items)} ข้อ)"
    if parsed.hidden_rows:  # no preview here: said with the result, rows named (as O-NET's)
        from imports import readers

        count = sum(len(rows) for rows in parsed.hidden_rows.values())
        where = " · ".join(
            f"แผ่นงาน “{sheet}” {readers.row_list(rows)}"
            for sheet, rows in parsed.hidden_rows.items()
        )
        summary += f" · {readers.hidden_rows_title(count, imported=True)}: {where}"
    return summary, fw.pk


# ---------------------------------------------------------------------------------------------
# The needs-survey topic catalogue

TOPIC_AUDIT_FIELDS = ["name", "competency_code", "active", "sort_order"]


@transaction.atomic
def save_topics(*, acting_user, office, saved: list[Topic], deleted: list[Topic]) -> None:
    """The catalogue page's rows, all or none: new and edited topics (unsaved instances as the
    form left them) and the rows marked for deletion. A topic answered in a survey or named
    by a project is kept and only taken out of the survey, so its answers and plans still
    read it. Each topic written, retired or deleted is audited with what changed, as the
    framework it sits beside is."""
    known = [t.pk for t in [*saved, *deleted] if t.pk]
    before = {
        t.pk: audit.snapshot(t, TOPIC_AUDIT_FIELDS)
        for t in Topic.objects.filter(pk__in=known, office=office)
    }
    entries = []
    for topic in saved:
        is_new = topic.pk is None
        topic.office = office
        topic.save()
        after = audit.snapshot(topic, TOPIC_AUDIT_FIELDS)
        changes = audit.diff({} if is_new else before.get(topic.pk, {}), after)
        if not changes:
            continue  # a row the form saw as changed (spaces only): nothing to record
        action = AuditAction.CREATE if is_new else AuditAction.UPDATE
        entries.append(audit.entry(actor=acting_user, action=action, instance=topic,
                                   office=office, changes=changes))  # fmt: skip
    for topic in deleted:
        if topic.projects.exists() or topic.topicanswer_set.exists():
            if topic.active:
                topic.active = False  # answered or planned: keep it, stop offering it
                topic.save(update_fields=["active"])
                entries.append(audit.entry(actor=acting_user, action=AuditAction.UPDATE,
                                           instance=topic, office=office,
                                           changes={"active": [True, False]}))  # fmt: skip
            continue
        entries.append(audit.entry(actor=acting_user, action=AuditAction.DELETE, instance=topic,
                                   office=office, changes=audit.diff(
                                       before.get(topic.pk, {}), {})))  # fmt: skip
        topic.delete()
    audit.record_many(entries)


# ---------------------------------------------------------------------------------------------
# Rounds and answers


@transaction.atomic
def save_round(*, acting_user, rnd: Round) -> Round:
    if repeats.saved_already(rnd, parent=rnd.office):
        # A double click or a reload opened the round twice: every target was told twice
        # and asked to answer two rounds.
        raise WorkflowError(repeats.REPEATED_ROW)
    is_new = rnd.pk is None
    if not is_new:
        stored = Round.objects.get(pk=rnd.pk)
        if stored.framework_id != rnd.framework_id and stored.responses.exists():
            raise WorkflowError("รอบนี้มีผู้ตอบแล้ว เปลี่ยนกรอบสมรรถนะไม่ได้")
    rnd.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        instance=rnd,
        changes={"window": [None, f"{rnd.opens} – {rnd.closes}"]},
    )
    events.round_saved(rnd)
    return rnd


@dataclass
class TopicInput:
    topic_id: int | None
    free_text: str
    current: int | None
    expected: int | None


def _check_value(value, fw: Framework, label: str, errors: list[str]) -> None:
    if value is not None and not fw.scale_min <= value <= fw.scale_max:
        errors.append(f"{label}: ต้องอยู่ระหว่าง {fw.scale_min}–{fw.scale_max}")


@transaction.atomic
def save_response(
    *,
    acting_user,
    rnd: Round,
    person: Person,
    rater_kind: str,
    ratings: dict[int, tuple[int | None, int | None]],
    topics: list[TopicInput] | None = None,
    modes: list[str] | None = None,
    reasons: str = "",
    submit: bool = False,
    today: dt.date | None = None,
) -> Response:
    """Save (and optionally submit) one person's answers. A draft may be partial; a submitted
    form must rate every item, current and expected, on the framework's scale."""
    today = today or timezone.localdate()
    if not rnd.is_open(today):
        raise WorkflowError("รอบการประเมินนี้ไม่ได้เปิดรับคำตอบในวันนี้")
    fw = rnd.framework
    items = {
        c.pk: c for c in Competency.objects.filter(domain__framework=fw).select_related("domain")
    }
    errors: list[str] = []
    clean: dict[int, tuple[int | None, int | None]] = {}
    for cid, (current, expected) in ratings.items():
        if cid not in items:
            errors.append("มีข้อที่ไม่อยู่ในกรอบสมรรถนะของรอบนี้")
            continue
        label = f"ข้อ {items[cid].code}"
        _check_value(current, fw, label, errors)
        _check_value(expected, fw, label, errors)
        clean[cid] = (current, expected)
    # Once sent, a response stays counted as sent: a later "save draft" with blanks would
    # leave a sent form with items missing from the needs figures, so it must be whole too.
    sent = Response.objects.filter(
        round=rnd, person=person, rater_kind=rater_kind, submitted_at__isnull=False
    ).exists()
    if submit or sent:
        missing = [c.code for cid, c in items.items() if None in clean.get(cid, (None, None))]
        if missing:
            errors.append(
                f"ยังไม่ได้ให้คะแนนครบ {len(missing)} ข้อ ({', '.join(missing[:10])}"
                f"{' …' if len(missing) > 10 else ''}) — "
                + ("แบบที่ส่งแล้วต้องให้คะแนนครบทุกข้อ" if sent else "บันทึกร่างไว้ก่อนได้")
            )
    for t in topics or []:
        _check_value(t.current, fw, f"หัวข้อ {t.free_text or t.topic_id}", errors)
        _check_value(t.expected, fw, f"หัวข้อ {t.free_text or t.topic_id}", errors)
    bad_modes = [m for m in modes or [] if m not in Mode.values]
    if bad_modes:
        errors.append("รูปแบบการพัฒนาไม่ถูกต้อง")
    if errors:
        raise ValidationError(errors)

    response, _ = Response.objects.select_for_update().get_or_create(
        round=rnd,
        person=person,
        rater_kind=rater_kind,
        defaults={"personnel_type": person.personnel_type},
    )
    response.rater = acting_user if getattr(acting_user, "pk", None) else None
    _take_groups(response, person)
    # Answered in the system (an imported form changed here is the person's own now: a later
    # import of the office's file does not replace it).
    response.source = ResultSource.ONLINE
    if rater_kind == RaterKind.SELF:
        _take_needs(response, modes or [], reasons)
    if submit:
        response.submitted_at = timezone.now()
    response.save()
    response.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(response=response, competency_id=cid, current=d, expected=i)
        for cid, (d, i) in clean.items()
        if d is not None and i is not None
    )
    if rater_kind == RaterKind.SELF and topics is not None:
        _write_topics(response, topics)
    if submit:
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            object_type="assessment",
            object_id=str(response.pk),
            object_label=f"{rnd.name}: {person.full_name} ({response.get_rater_kind_display()})",
            office=rnd.office,
            changes={"submitted": [None, len(clean)]},
        )
    return response


def _take_needs(response: Response, modes: list[str], reasons: str) -> None:
    """The needs survey's modes (each once, in the order given) and reasons, as kept."""
    response.modes = list(dict.fromkeys(modes))
    response.reasons = reasons.strip()


def _write_topics(response: Response, topics: list[TopicInput]) -> None:
    """The topics the person wants developed, in place of those kept: a catalogue topic or
    a typed one (clipped to 200 characters); an empty one is none."""
    response.topics.all().delete()
    TopicAnswer.objects.bulk_create(
        TopicAnswer(
            response=response,
            topic_id=t.topic_id,
            free_text=clip(t.free_text.strip(), 200),
            current=t.current,
            expected=t.expected,
        )
        for t in topics
        if t.topic_id or t.free_text.strip()
    )


def _take_groups(response: Response, person: Person) -> None:
    """The person's school, type, standing and learning area as they are when the answers
    come in: later transfers or promotions do not move old answers between groups."""
    response.school_id = person.school_id
    response.personnel_type = person.personnel_type
    response.standing_id = person.academic_standing_id
    response.learning_area_id = person.major.learning_area_id if person.major_id else None


def write_imported_self_assessment(
    *,
    acting_user,
    rnd: Round,
    person: Person,
    ratings: dict[int, tuple[int, int]],
    submitted_at: dt.datetime,
    topics: list[TopicInput] | None = None,
    modes: list[str] | None = None,
    reasons: str | None = None,
    other_modes: list[str] | None = None,
) -> Response:
    """One person's self-assessment from a Google Forms responses file (imports app): a sent
    form with the items answered, marked as imported. The importer has checked the scale,
    the person and that no form sent in the system is replaced; it audits the write. Items
    left blank in the form are not answered (no rating), as in a draft. The round's dates
    do not limit it: the office brings in answers it collected itself. The needs survey's
    topics, modes and reasons are kept as a person's own answers keep them (save_response);
    a part the file does not have (None) is left as it is. `other_modes` are the form's
    "อื่นๆ" answers to the modes question, as typed (each once), kept with the modes."""
    if modes is not None and any(m not in Mode.values for m in modes):
        raise ValidationError("รูปแบบการพัฒนาไม่ถูกต้อง")
    response, _ = Response.objects.select_for_update().get_or_create(
        round=rnd,
        person=person,
        rater_kind=RaterKind.SELF,
        defaults={"personnel_type": person.personnel_type},
    )
    response.rater = acting_user if getattr(acting_user, "pk", None) else None
    _take_groups(response, person)
    response.source = ResultSource.IMPORT
    response.submitted_at = submitted_at
    if modes is not None:
        _take_needs(response, modes, response.reasons)
    if reasons is not None:
        _take_needs(response, response.modes, reasons)
    if other_modes is not None:
        response.other_modes = list(dict.fromkeys(t for t in other_modes if t.strip()))
    response.save()
    response.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(response=response, competency_id=cid, current=d, expected=i)
        for cid, (d, i) in ratings.items()
    )
    if topics is not None:
        _write_topics(response, topics)
    return response


# ---------------------------------------------------------------------------------------------
# Plans and their workflow

# (from, to) → the capability the acting user needs. Anything else is refused.
PLAN_TRANSITIONS = {
    (PlanStatus.DRAFT, PlanStatus.SUBMITTED): "edit_plans",
    (PlanStatus.SUBMITTED, PlanStatus.APPROVED): "approve_plans",
    (PlanStatus.SUBMITTED, PlanStatus.DRAFT): "approve_plans",  # returned for changes
}


OWN_PLAN_APPROVAL_REFUSED = "อนุมัติแผนที่ตนเองเสนอไม่ได้ ต้องให้ผู้มีสิทธิ์อนุมัติแผนคนอื่นเป็นผู้พิจารณา"


def ensure_plan_editable(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise WorkflowError(
            f"แผนอยู่ในสถานะ “{plan.get_status_display()}” แก้ไขไม่ได้ — แก้ไขได้เฉพาะฉบับร่าง"
        )


@transaction.atomic
def save_plan(*, acting_user, plan: Plan) -> Plan:
    if plan.pk:
        ensure_plan_editable(Plan.objects.select_for_update().get(pk=plan.pk))
    is_new = plan.pk is None
    plan.save()
    if is_new:
        audit.record(actor=acting_user, action=AuditAction.CREATE, instance=plan)
    return plan


# A comment typed beside a status button is read by no form: checked here as a form would
# (a NUL pasted in is a server error on PostgreSQL).
COMMENT_LONGEST = 5000


def _check_comment(comment: str) -> None:
    problem = typed_text.problem(comment.strip(), longest=COMMENT_LONGEST, label="ความเห็น")
    if problem:
        raise WorkflowError(problem)


@transaction.atomic
def transition_plan(*, acting_user, plan_id: int, to_status: str, comment: str = "") -> Plan:
    from accounts.roles import can

    plan = Plan.objects.select_for_update().get(pk=plan_id)
    needed = PLAN_TRANSITIONS.get((plan.status, to_status))
    if needed is None:
        raise WorkflowError(
            f"เปลี่ยนสถานะจาก “{plan.get_status_display()}” เป็น “{PlanStatus(to_status).label}” ไม่ได้"
        )
    if not can(acting_user, needed):
        raise WorkflowError("ไม่มีสิทธิ์เปลี่ยนสถานะแผนนี้")
    if to_status == PlanStatus.APPROVED and queries.plan_submitter_id(plan) == acting_user.pk:
        # The office's plan is drafted by the development group and approved by someone
        # else (the office's director or whom they delegate): an approval by the one who
        # proposed it approves nothing. They may still take it back to draft.
        raise WorkflowError(OWN_PLAN_APPROVAL_REFUSED)
    _check_comment(comment)
    if to_status == PlanStatus.SUBMITTED and not plan.projects.exists():
        raise WorkflowError("แผนยังไม่มีโครงการ เสนออนุมัติไม่ได้")
    before = plan.status
    plan.status = to_status
    if to_status == PlanStatus.APPROVED:
        plan.approved_at, plan.approved_by = timezone.now(), acting_user
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    PlanEvent.objects.create(
        plan=plan,
        from_status=before,
        to_status=to_status,
        actor=acting_user,
        actor_name=acting_user.get_full_name() or acting_user.username,
        comment=comment.strip(),
    )
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=plan,
        changes={"status": [before, to_status]},
    )
    events.plan_changed(plan, comment=comment)
    return plan


def _shift(date: dt.date | None, years: int) -> dt.date | None:
    if date is None:
        return None
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 Feb
        return date.replace(year=date.year + years, day=28)


# A BE year written in a title, in Arabic or Thai digits ("แผนพัฒนาบุคลากร พ.ศ. ๒๕๖๘–๒๕๗๐").
_TITLE_YEAR = re.compile(r"(?<![0-9๐-๙])([0-9๐-๙]{4})(?![0-9๐-๙])")


def _title_moved(plan: Plan, shift: int) -> str:
    """The copy's title: each of the plan's own years in it (its first to its last fiscal
    year, so both ends of "2568–2570") moved by `shift`, written in the digits it was written
    in; other years (a strategy's "2566") stay. Replacing only the first year's Arabic digits
    titled a copy of a three-year plan "2569–2570", and one titled in Thai digits as its
    original."""

    def moved(match: re.Match) -> str:
        written = match.group(1)
        year = int(to_arabic_digits(written))
        if not plan.fiscal_year <= year <= plan.end_year:
            return written
        text = str(year + shift)
        return text if written.isascii() else to_thai_digits(text)

    return clip(_TITLE_YEAR.sub(moved, plan.title), Plan._meta.get_field("title").max_length)


class AlreadyCopied(WorkflowError):
    """The plan was already copied for that fiscal year: `copy` is that copy."""

    def __init__(self, copy: Plan):
        super().__init__(
            f"แผนนี้คัดลอกเป็นแผนปีงบประมาณ {copy.fiscal_year} ไว้แล้ว (“{copy.title}”) "
            "— เปิดฉบับนั้นแทนการคัดลอกซ้ำ"
        )
        self.copy = copy


@transaction.atomic
def copy_plan(*, acting_user, plan: Plan, fiscal_year: int) -> Plan:
    """Start next year's plan from this one: a draft with every project, activity (dates moved
    by the same number of years), budget line and KPI; actual figures are not copied.

    Once per fiscal year: a double click (or Back and copy again) made a second full copy,
    and the year's plans then counted every project and baht twice."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if fiscal_year < plan.fiscal_year:
        raise WorkflowError(
            f"คัดลอกแผนปีงบประมาณ {plan.fiscal_year} ไปเป็นแผนปี {fiscal_year} ไม่ได้ "
            f"ปีของแผนใหม่ต้องไม่ก่อนปี {plan.fiscal_year}"
        )
    existing = Plan.objects.filter(copied_from=plan, fiscal_year=fiscal_year).first()
    if existing is not None:
        raise AlreadyCopied(existing)
    shift = fiscal_year - plan.fiscal_year
    new = Plan.objects.create(
        office=plan.office,
        kind=plan.kind,
        title=_title_moved(plan, shift),
        fiscal_year=fiscal_year,
        end_year=plan.end_year + shift,
        frame=plan.frame,
        needs_round=plan.needs_round,
        introduction=plan.introduction,
        copied_from=plan,
    )
    for p in plan.projects.prefetch_related(
        "activities", "budget_lines", "kpis", "strategies", "competencies", "topics"
    ):
        strategies, competencies, topics = (
            list(p.strategies.all()),
            list(p.competencies.all()),
            list(p.topics.all()),
        )
        activities, lines, kpis = (
            list(p.activities.all()),
            list(p.budget_lines.all()),
            list(p.kpis.all()),
        )
        p.pk, p.id, p.plan = None, None, new
        p.save()
        p.strategies.set(strategies)
        p.competencies.set(competencies)
        p.topics.set(topics)
        Activity.objects.bulk_create(
            Activity(project=p, name=a.name, mode=a.mode, starts=_shift(a.starts, shift),
                     ends=_shift(a.ends, shift), participants=a.participants)
            for a in activities
        )  # fmt: skip
        BudgetLine.objects.bulk_create(
            BudgetLine(project=p, item=b.item, amount=b.amount, source=b.source) for b in lines
        )
        ProjectKpi.objects.bulk_create(
            ProjectKpi(project=p, text=k.text, target=k.target, unit=k.unit) for k in kpis
        )
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE,
        instance=new,
        changes={"copied_from": [None, str(plan)]},
    )
    return new


@transaction.atomic
def save_project(
    *, acting_user, project: Project, strategies=None, competencies=None, topics=None
) -> Project:
    ensure_plan_editable(Plan.objects.select_for_update().get(pk=project.plan_id))
    if repeats.saved_already(project, parent=project.plan):
        # A double click or a reload added the project twice: its budget counted twice.
        raise WorkflowError(repeats.REPEATED_ROW)
    project.save()
    if strategies is not None:
        project.strategies.set(strategies)
    if competencies is not None:
        project.competencies.set(competencies)
    if topics is not None:
        project.topics.set(topics)
    return project


REPORT_FIELDS = ("summary", "quality_results", "success_factors", "problems", "suggestions")


@transaction.atomic
def save_project_report(
    *, acting_user, project: Project, values: dict, kpi_results=(), spending=()
) -> ProjectReport:
    """The written parts of a project's results report and the results recorded against its
    KPIs and budget lines (kpi_results / spending: (row id, actual) pairs of this project).
    Results are written whatever the plan's status: they are reported after approval."""
    report, _ = ProjectReport.objects.select_for_update().get_or_create(project=project)
    changes = {
        name: [getattr(report, name), values[name]]
        for name in REPORT_FIELDS
        if name in values and getattr(report, name) != values[name]
    }
    for name in REPORT_FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.updated_by = acting_user
    report.save()
    for model, pairs, label in (
        (ProjectKpi, kpi_results, "ผลตัวชี้วัด"), (BudgetLine, spending, "ใช้จริง")
    ):  # fmt: skip
        stored = {r.pk: r for r in model.objects.select_for_update().filter(project=project)}
        for pk, actual in pairs:
            row = stored.get(pk)
            if row is None or row.actual == actual:
                continue
            changes[clip(f"{label}: {row}", 80)] = [str(row.actual or ""), str(actual or "")]
            row.actual = actual
            row.save(update_fields=["actual"])
    if changes:
        audit.record(
            actor=acting_user, action=AuditAction.UPDATE, instance=report,
            office=project.plan.office, changes=changes,
        )  # fmt: skip
    return report


@transaction.atomic
def delete_project(*, acting_user, project: Project) -> None:
    ensure_plan_editable(Plan.objects.select_for_update().get(pk=project.plan_id))
    project.delete()


# ---------------------------------------------------------------------------------------------
# ID plans


def id_plan_suggestions(person: Person, rnd: Round | None, limit: int = 3) -> list[dict]:
    """Suggested items: the person's largest gaps, each with the catalogue topic that serves
    that competency (if any), then the topics they asked for in the survey."""
    from .queries import own_gaps

    if rnd is None:
        return []
    suggestions = []
    catalogue = {
        t.competency_code: t
        for t in Topic.objects.filter(office_id=person.office_id, active=True).exclude(
            competency_code=""
        )
    }
    for gap in own_gaps(person.pk, rnd, limit=limit):
        topic = catalogue.get(gap["competency__code"])
        suggestions.append(
            {
                "competency_id": gap["competency_id"],
                "topic_id": topic.pk if topic else None,
                "title": topic.name if topic else gap["competency__name"],
                "why": f"{gap['competency__code']} {gap['competency__name']}: "
                f"ปัจจุบัน {gap['current']} คาดหวัง {gap['expected']} (ห่าง {gap['gap']})",
            }
        )
    seen = {s["topic_id"] for s in suggestions}
    wanted = TopicAnswer.objects.filter(
        response__round=rnd, response__person=person, response__rater_kind=RaterKind.SELF
    ).select_related("topic")
    for answer in wanted:
        if answer.topic_id and answer.topic_id not in seen:
            seen.add(answer.topic_id)
            suggestions.append(
                {"competency_id": None, "topic_id": answer.topic_id, "title": answer.topic.name,
                 "why": "หัวข้อที่เลือกไว้ในแบบสำรวจความต้องการ"}
            )  # fmt: skip
        elif answer.free_text:
            suggestions.append(
                {"competency_id": None, "topic_id": None, "title": answer.free_text,
                 "why": "หัวข้อที่เขียนเพิ่มในแบบสำรวจความต้องการ"}
            )  # fmt: skip
    return suggestions


@transaction.atomic
def start_id_plan(*, acting_user, person: Person, year: int, rnd: Round | None) -> IdPlan:
    """The person's plan for the year, created with suggested items pre-filled."""
    plan, created = IdPlan.objects.get_or_create(
        person=person, year=year, defaults={"round": rnd, "school_id": person.school_id}
    )
    if created:
        IdPlanItem.objects.bulk_create(
            IdPlanItem(plan=plan, competency_id=s["competency_id"], topic_id=s["topic_id"],
                       title=s["title"][:300], mode=Mode.WORKSHOP)
            for s in id_plan_suggestions(person, rnd)
        )  # fmt: skip
    return plan


def ensure_id_plan_editable(plan: IdPlan) -> None:
    if plan.status not in (IdPlanStatus.DRAFT, IdPlanStatus.RETURNED):
        raise WorkflowError(
            f"แผนพัฒนาตนเองอยู่ในสถานะ “{plan.get_status_display()}” แล้ว แก้ไขไม่ได้ "
            "— แก้ไขได้เมื่อเป็นร่างหรือถูกส่งกลับแก้ไข"
        )


ID_PLAN_TRANSITIONS = {
    (IdPlanStatus.DRAFT, IdPlanStatus.SUBMITTED): "owner",
    (IdPlanStatus.RETURNED, IdPlanStatus.SUBMITTED): "owner",
    (IdPlanStatus.SUBMITTED, IdPlanStatus.APPROVED): "director",
    (IdPlanStatus.SUBMITTED, IdPlanStatus.RETURNED): "director",
}


@transaction.atomic
def transition_id_plan(*, acting_user, plan_id: int, to_status: str, comment: str = "") -> IdPlan:
    """Owner submits; the director of the plan's school approves or returns with comments."""
    from registry.access import OWN_DECISION_REFUSED, decides_for

    plan = IdPlan.objects.select_for_update(of=("self",)).select_related("person").get(pk=plan_id)
    who = ID_PLAN_TRANSITIONS.get((plan.status, to_status))
    if who is None:
        raise WorkflowError(
            f"เปลี่ยนสถานะจาก “{plan.get_status_display()}” เป็น "
            f"“{IdPlanStatus(to_status).label}” ไม่ได้"
        )
    if who == "owner" and acting_user.person_id != plan.person_id:
        raise WorkflowError("เฉพาะเจ้าของแผนเท่านั้นที่ส่งแผนได้")
    if who == "director" and acting_user.person_id == plan.person_id:
        raise WorkflowError(OWN_DECISION_REFUSED)
    if who == "director" and not decides_for(acting_user, plan.person):
        raise WorkflowError("เฉพาะผู้บริหารสถานศึกษาของครูผู้นี้เท่านั้นที่พิจารณาแผนได้")
    if to_status == IdPlanStatus.SUBMITTED and not plan.items.exists():
        raise WorkflowError("แผนยังไม่มีเรื่องที่จะพัฒนา")
    if to_status == IdPlanStatus.SUBMITTED and not plan.goal.strip():
        # The director approves a plan toward a goal: one without any is sent back anyway.
        raise WorkflowError("กรุณาเขียนเป้าหมายการพัฒนาตนเองก่อนส่งแผน")
    if to_status == IdPlanStatus.RETURNED and not comment.strip():
        raise WorkflowError("กรุณาเขียนความเห็นว่าต้องแก้ไขอะไร")
    _check_comment(comment)
    before = plan.status
    plan.status = to_status
    now = timezone.now()
    if to_status == IdPlanStatus.SUBMITTED:
        plan.submitted_at = now
    if who == "director":
        plan.director_comment = comment.strip()
    if to_status == IdPlanStatus.APPROVED:
        plan.approved_at, plan.approved_by = now, acting_user
    plan.save()
    PlanEvent.objects.create(
        id_plan=plan,
        from_status=before,
        to_status=to_status,
        actor=acting_user,
        actor_name=acting_user.get_full_name() or acting_user.username,
        comment=comment.strip(),
    )
    events.id_plan_changed(plan, comment=comment)
    return plan
