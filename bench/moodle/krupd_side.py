"""KruPD's side of the Moodle comparison: the data the workloads read and enrol in, fresh
learners for each enrolment run, the enrolments they made, and the SQL queries one request
of each workload runs (counted in-process). Needs DATABASE_URL (compare.sh sets it).

    python -m bench.moodle.krupd_side prepare STATE.json     idempotent
    python -m bench.moodle.krupd_side users PREFIX N         N new teachers, as JSON
    python -m bench.moodle.krupd_side count PREFIX           their enrolments, as JSON
    python -m bench.moodle.krupd_side forget PREFIX          delete them (after counting)
    python -m bench.moodle.krupd_side queries STATE.json     queries per request, as JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

# Twelve subject words, as on Moodle's side, for the titles of the courses learners enrol in.
# Each enrolment request enrols in a session the learner is not in yet: one connection sends
# up to ~40 a second (logged_in.lua walks the list once a run before it repeats), so 400 ran
# out within a 15 s run at 8 connections.
ENROL_SESSIONS = 1000
SEARCHERS = 16  # one officer login per connection, the largest concurrency
TITLE_5 = "e-Training 5 หน่วย (ทดสอบภาระระบบ)"


def _setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
    django.setup()


def prepare(state_path: Path) -> dict:
    """The load bench's office, teachers and 20-module e-learning course, plus a 5-module
    one, officers for the people search and open sessions to enrol in. Done once per
    database: a second call returns the state file."""
    from django.db import transaction

    from training.models import Course

    if state_path.exists() and Course.objects.filter(title=TITLE_5).exists():
        state = json.loads(state_path.read_text())
        if len(state["enrol_sessions"]) >= ENROL_SESSIONS:
            return state
        with transaction.atomic():  # made when there were fewer: only the missing ones
            state["enrol_sessions"] += _enrol_sessions(len(state["enrol_sessions"]) + 1)
    else:
        # All or nothing: a set-up cut short leaves nothing for the next try to trip over.
        with transaction.atomic():
            state = _build()
    state_path.write_text(json.dumps(state, ensure_ascii=False, indent=1))
    return state


def _build() -> dict:
    from accounts.models import User
    from accounts.roles import Role
    from bench import load_bench

    teachers, _session, names, course20 = load_bench._prepare()
    office = course20.office
    officer = User.objects.get(username="officer")
    course5 = load_bench._elearning_course(office, officer, teachers, modules=5)
    officers = []
    for n in range(1, SEARCHERS + 1):
        user, _ = User.objects.get_or_create(
            username=f"bench-officer-{n}",
            defaults={
                "password": officer.password,
                "role": Role.DEVELOPMENT_OFFICER,
                "office": office,
            },
        )
        officers.append(user.username)
    return {
        "teachers": teachers,
        "officers": officers,
        "course5": course5.pk,
        "course20": course20.pk,
        "enrol_sessions": _enrol_sessions(1),
        "names": sorted(set(names)),
    }


def _enrol_sessions(first: int) -> list[int]:
    """Open sessions number `first` to ENROL_SESSIONS, one course each, titled by the subject
    words, in the bench office (the 20-module course's)."""
    import datetime as dt

    from accounts.models import User
    from krupd.lib.thai_dates import fiscal_year
    from training import actions
    from training.models import Course, Session

    officer = User.objects.get(username="officer")
    office = Course.objects.get(title=TITLE_5).office
    words = [
        "คณิตศาสตร์",
        "วิทยาศาสตร์",
        "ภาษาไทย",
        "ภาษาอังกฤษ",
        "ประวัติศาสตร์",
        "ภูมิศาสตร์",
        "ดนตรี",
        "ศิลปะ",
        "ฟิสิกส์",
        "เคมี",
        "ชีววิทยา",
        "วิทยาการคำนวณ",
    ]
    sessions = []
    # A session a month ahead: teachers enrol before a session, not after it.
    day = dt.date.today() + dt.timedelta(days=30)
    for n in range(first, ENROL_SESSIONS + 1):
        course = Course.objects.create(
            office=office,
            title=f"{words[n % len(words)]} รุ่นทดสอบ {n}",
            mode="seminar",
            hours=6,
            fiscal_year=fiscal_year(day),
        )
        session = actions.save_session(
            acting_user=officer,
            session=Session(
                course=course,
                start_date=day,
                end_date=day,
                capacity=1000,
            ),
        )
        sessions.append(session.pk)
    return sessions


def new_teachers(prefix: str, count: int) -> list[str]:
    """`count` teachers of the bench office who have no login yet, each given one."""
    from accounts.models import User
    from registry.models import Person

    model = User.objects.filter(username__startswith="load-").first()
    people = Person.objects.filter(
        office=model.office, personnel_type="teacher", status="active", user__isnull=True
    )[:count]
    names = []
    for n, person in enumerate(people, 1):
        user = User.objects.create(
            username=f"{prefix}-{n}",
            password=model.password,
            role=model.role,
            office=model.office,
            person=person,
        )
        names.append(user.username)
    if len(names) < count:
        raise RuntimeError(f"only {len(names)} teachers without a login are left in the office")
    return names


def count_enrolments(prefix: str) -> int:
    from training.models import Enrolment

    return Enrolment.objects.filter(
        person__user__username__startswith=f"{prefix}-", source="self"
    ).count()


def forget_enrolments(prefix: str) -> int:
    """Delete the self-enrolments of the PREFIX learners (once counted), so that every run
    starts from the same office: its home page counts the seats taken in each open session
    (reporting's "courses filling up"), and the 10,000+ enrolments a run left behind made the
    dashboard of the next run read 32,000 rows (22 ms of PostgreSQL CPU a page instead of 3)."""
    from training.models import Enrolment

    deleted, _ = Enrolment.objects.filter(
        person__user__username__startswith=f"{prefix}-", source="self"
    ).delete()
    return deleted


def queries(state: dict) -> dict[str, int]:
    """SQL queries one request of each workload runs, as the user the workload logs in."""
    import urllib.parse

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from bench import load_bench

    teacher, officer = state["teachers"][0], state["officers"][0]
    search = "/registry/people/?q=" + urllib.parse.quote(state["names"][0])
    out = load_bench._queries_per_request(
        {
            "course-5": (teacher, f"/training/courses/{state['course5']}/"),
            "course-20": (teacher, f"/training/courses/{state['course20']}/"),
            "dashboard": (teacher, "/"),
            "search": (officer, search),
        }
    )
    # A learner of their own, whose first enrolment in that session this is.
    learner = User.objects.get(username=new_teachers(f"bench-queries-{time.time_ns()}", 1)[0])
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(learner)
        client.get("/")
        path = f"/training/sessions/{state['enrol_sessions'][0]}/enrol/"
        with CaptureQueriesContext(connection) as captured:
            status = client.post(path).status_code
        if status != 302:
            raise RuntimeError(f"enrol: {path} answered {status}")
    out["self-enrol"] = len(captured.captured_queries)
    return out


def main(argv: list[str]) -> None:
    _setup_django()
    command, *args = argv
    if command == "prepare":
        prepare(Path(args[0]))
        print(json.dumps({"ok": True}))
    elif command == "users":
        print(json.dumps(new_teachers(args[0], int(args[1]))))
    elif command == "count":
        print(json.dumps({"self_enrolments": count_enrolments(args[0])}))
    elif command == "forget":
        print(json.dumps({"deleted": forget_enrolments(args[0])}))
    elif command == "queries":
        print(json.dumps(queries(json.loads(Path(args[0]).read_text())), ensure_ascii=False))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
