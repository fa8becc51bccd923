import datetime as dt
import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from training import actions
from training.models import Session

from .conftest import answer_key

pytestmark = pytest.mark.django_db


def text(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


def test_probe_pages(client_for, users, course, teacher_person):
    officer = users[Role.DEVELOPMENT_OFFICER]
    course.hours = Decimal("13.5")
    course.save()
    s = actions.save_session(acting_user=officer, session=Session(course=course, name="รุ่นที่ 1",
        start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 1, 13), capacity=5, hours_per_day=Decimal("6.5")))
    e = actions.enrol(acting_user=users[Role.TEACHER], session=s, person=teacher_person)
    for day in s.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={e.pk})
    e.refresh_from_db()
    print("RESULT", e.result, e.hours_credited, e.credit_fiscal_year)
    cert = actions.issue_certificate(acting_user=officer, enrolment=e)
    urls = {
        Role.TEACHER: [f"/training/courses/{course.pk}/", "/training/me/?fy=2569", "/training/"],
        Role.DEVELOPMENT_OFFICER: [f"/training/sessions/{s.pk}/", f"/training/courses/{course.pk}/certificates/",
                                   "/training/results/?fy=2569", f"/training/people/{teacher_person.pk}/transcript/?fy=2569",
                                   f"/training/courses/{course.pk}/evaluation/", "/training/developed/?fy=2569",
                                   f"/training/courses/{course.pk}/"],
        Role.SCHOOL_DIRECTOR: [f"/training/people/{teacher_person.pk}/transcript/?fy=2569", "/training/results/?fy=2569"],
    }
    for role, us in urls.items():
        c = client_for(role)
        for u in us:
            r = c.get(u)
            t = text(r)
            bad = re.findall(r".{30}\b\d+\.0\b.{20}", t)
            print(role, u, r.status_code, "BAD:", bad[:5])
            if "transcript" in u or "me/" in u:
                print(t[t.find("ระเบียน"):][:1500])
    # hours change after certificate
    s.hours_per_day = Decimal("6")
    actions.save_session(acting_user=officer, session=s)
    cert.refresh_from_db(); e.refresh_from_db()
    print("after hours change", e.hours_credited, cert.hours, cert.needs_review, cert.review_reason)
    t = text(client_for(Role.DEVELOPMENT_OFFICER).get(f"/training/courses/{course.pk}/certificates/"))
    print(t[t.find("ต้องตรวจสอบ")-200:][:800])
    t = text(client_for(Role.TEACHER).get(f"/training/courses/{course.pk}/"))
    print("TEACHER COURSE PAGE", t[t.find("ผล"):][:1200])
