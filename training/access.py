"""The only way training views load one object by id from a request: scoped, refused with
404 (not in scope) or 403 (in scope, but the role may not do this)."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import (
    CONFIRM_FOLLOW_UP,
    MANAGE_TRAINING,
    NOMINATE_TRAINEES,
    VIEW_TRAINING_RESULTS,
    Role,
    can,
)
from krupd.lib import compiled_queries
from krupd.lib.query_params import MAX_ID

from .models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Lesson,
    Module,
    Session,
    SessionDay,
)
from .queries import courses_visible_to, enrolments_visible_to


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def _one_in_scope(user, pk: int, key: tuple, build):
    """The one row `build(pk, scope)` finds, where `scope` stands for the user's role and
    office (courses_visible_to reads nothing else of a user); Http404 when there is none.

    The pages and the enrolment that ask this run on every request, so its SQL is compiled
    once per `key` (which names the role and anything else the query depends on) and reused
    with the ids swapped in (test_session_for_view_is_the_orms_for_every_role)."""
    if not user.is_authenticated or not user.office_id or not 0 < pk <= MAX_ID:
        raise Http404  # (the ORM answers an id beyond the column's range with no row too)

    def scoped(row_id: int, office_id: int):
        scope = SimpleNamespace(is_authenticated=True, office_id=office_id, role=user.role)
        return build(row_id, scope)

    found = compiled_queries.objects_for(key, scoped, (pk, user.office_id))
    if not found:
        raise Http404
    return found[0]


def course_for_view(user, pk: int) -> Course:
    """A course the user may see, with its office and project, read in one query."""
    return _one_in_scope(
        user, pk, ("training.course_for_view", user.role),
        lambda course_id, scope: (
            courses_visible_to(scope).select_related("office", "project").filter(pk=course_id)
        ),
    )  # fmt: skip


def course_for_manage(user, pk: int) -> Course:
    require(user, MANAGE_TRAINING)
    return get_object_or_404(courses_visible_to(user).select_related("office"), pk=pk)


def course_for_results(user, pk: int) -> Course:
    require(user, VIEW_TRAINING_RESULTS)
    return course_for_view(user, pk)


def session_for_view(user, pk: int, *, locked: bool = False) -> Session:
    """A session of a course the user may see (course_for_view's rule), read in one query.

    locked: the session's row is locked until the transaction ends, as
    training.actions.locked_session locks it (self-enrolment reads and locks it at once)."""

    def build(session_id: int, scope):
        sessions = Session.objects.select_related("course__office").filter(
            pk=session_id, course__in=courses_visible_to(scope)
        )
        return sessions.select_for_update(of=("self",)) if locked else sessions

    return _one_in_scope(user, pk, ("training.session_for_view", user.role, locked), build)


def session_for_manage(user, pk: int) -> Session:
    require(user, MANAGE_TRAINING)
    return get_object_or_404(
        Session.objects.select_related("course__office").filter(course__office_id=user.office_id),
        pk=pk,
    )


def session_for_nominate(user, pk: int) -> Session:
    require(user, NOMINATE_TRAINEES)
    return session_for_view(user, pk)


def day_for_manage(user, pk: int) -> SessionDay:
    require(user, MANAGE_TRAINING)
    return get_object_or_404(
        SessionDay.objects.select_related("session__course__office").filter(
            session__course__office_id=user.office_id
        ),
        pk=pk,
    )


def own_enrolment(user, course: Course) -> Enrolment | None:
    """The user's own live (or last) enrolment in a course."""
    if not user.person_id:
        return None
    # Every course page a learner opens asks it: compiled once, the two ids swapped in.
    found = compiled_queries.objects_for(
        "training.own_enrolment",
        lambda course_id, person_id: (
            Enrolment.objects.filter(course_id=course_id, person_id=person_id)
            # the pages that read it show the survey and the follow-up report as well
            .select_related("session", "course", "survey", "follow_up")
            .order_by("-requested_at", "-id")[:1]
        ),
        (course.pk, user.person_id),
        using=compiled_queries.reading(Enrolment),
    )
    return found[0] if found else None


def own_enrolment_or_404(user, course: Course) -> Enrolment:
    enrolment = own_enrolment(user, course)
    if enrolment is None:
        raise PermissionDenied
    return enrolment


def enrolment_for_view(user, pk: int) -> Enrolment:
    return get_object_or_404(
        enrolments_visible_to(user).select_related("course", "session", "person__school"), pk=pk
    )


def enrolment_for_cancel(user, pk: int) -> Enrolment:
    """Participants cancel their own; directors their school's nominations; the office any."""
    enrolment = enrolment_for_view(user, pk)
    if enrolment.person_id == user.person_id or can(user, NOMINATE_TRAINEES):
        return enrolment
    raise PermissionDenied


def enrolment_for_decision(user, pk: int) -> Enrolment:
    require(user, MANAGE_TRAINING)
    return enrolment_for_view(user, pk)


def follow_up_for_confirm(user, pk: int) -> FollowUp:
    require(user, CONFIRM_FOLLOW_UP)
    follow_up = get_object_or_404(FollowUp.objects.select_related("enrolment"), pk=pk)
    enrolment_for_view(user, follow_up.enrolment_id)
    if follow_up.enrolment.person_id == user.person_id:
        raise PermissionDenied  # nobody confirms their own report
    return follow_up


def follow_up_for_unconfirm(user, pk: int) -> FollowUp:
    """A confirmed report the office takes back: its admin and development officers only
    (directors, supervisors, teachers and inspectors are refused), in its scope, never
    their own report."""
    if not is_office_staff(user):
        raise PermissionDenied
    return follow_up_for_confirm(user, pk)


def certificate_for_download(user, pk: int) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment"), pk=pk)
    enrolment_for_view(user, certificate.enrolment_id)
    return certificate


def certificate_for_manage(user, pk: int) -> Certificate:
    require(user, MANAGE_TRAINING)
    return certificate_for_download(user, pk)


def module_for_learner(user, pk: int) -> tuple[Module, Enrolment]:
    module = get_object_or_404(Module.objects.select_related("course"), pk=pk)
    course = course_for_view(user, module.course_id)
    return module, own_enrolment_or_404(user, course)


def lesson_file_for_download(user, pk: int) -> Lesson:
    """A lesson's attached file, for its course's learners and the office that runs it only
    (media is never served publicly). 404 when the course is out of the user's scope or the
    lesson has no file; 403 for someone who sees the course but may not study this lesson:
    not enrolled (pending, wait-listed, cancelled…) or the module is still locked."""
    from .actions import module_unlocked  # actions never imports access: no cycle

    lesson = get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)
    if not lesson.file:
        raise Http404
    course = course_for_view(user, lesson.module.course_id)
    if can(user, MANAGE_TRAINING):
        return lesson  # the office that writes the course (course_for_view scoped it)
    enrolment = own_enrolment(user, course)
    if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
        raise PermissionDenied
    if not module_unlocked(enrolment, lesson.module):
        raise PermissionDenied
    return lesson


def is_office_staff(user) -> bool:
    return user.role in (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER)
