"""Synthetic community data for the demo office: PLC, visits, networks, partners, awards and
best practices (modelled on the offices' reports). Deterministic; skips an office that has data."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.lib.numerals import format_percent
from registry.demo_users import office_user, office_users
from registry.models import Network, Office, Person, PersonnelType, School

from . import actions, goal_measures, goal_rules
from .models import (
    MOU,
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    BestPractice,
    JointActivity,
    NetworkActivity,
    NetworkBudget,
    NetworkGoal,
    NetworkProfile,
    Nomination,
    Partner,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeLevel,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Score,
    Visit,
    VisitStatus,
)

TOPICS = [
    ("อ่านออกเขียนได้ ป.1", "นักเรียน ป.1 ที่ยังอ่านไม่คล่อง"),
    ("คณิตคิดเร็ว", "นักเรียน ป.4–6 ที่คะแนนคณิตศาสตร์ต่ำกว่าร้อยละ 50"),
    ("การจัดการเรียนรู้เชิงรุก (Active Learning)", "นักเรียนทุกชั้น"),
    ("ภาษาอังกฤษเพื่อการสื่อสาร", "นักเรียน ม.1–3"),
    ("วิทยาศาสตร์ผ่านโครงงาน", "นักเรียน ป.5–6"),
]
PRACTICES = [
    ("การจัดการเรียนรู้เชิงรุกวิชาคณิตศาสตร์ด้วยเกมการศึกษา", "คณิตศาสตร์", "เกม, active learning"),
    ("ห้องเรียนต้นแบบภาษาไทย: อ่านคล่องเขียนคล่องใน 100 วัน", "ภาษาไทย", "การอ่าน, ป.1"),
    ("ห้องเรียนตัวอย่างเรียนร่วมคณิตศาสตร์ของเครือข่ายที่ 7", "คณิตศาสตร์", "เครือข่าย, โรงเรียนขนาดเล็ก"),
    ("โครงงานวิทยาศาสตร์จากภูมิปัญญาท้องถิ่นเพชรบุรี", "วิทยาศาสตร์และเทคโนโลยี", "โครงงาน, ท้องถิ่น"),
    ("สื่อดิจิทัลบน OBEC Content Center สอนภาษาอังกฤษ", "ภาษาต่างประเทศ", "ดิจิทัล, Gamification"),
    ("ระบบดูแลช่วยเหลือนักเรียนแบบบ้านพี่เลี้ยง", "", "ดูแลช่วยเหลือ"),
    ("การสอนเขียนสะกดคำด้วยแบบฝึกทักษะ", "ภาษาไทย", "การเขียน"),
    ("ค่ายคุณธรรมวิถีพุทธ", "สังคมศึกษา ศาสนา และวัฒนธรรม", "คุณธรรม"),
]
PARTNERS = [
    ("มหาวิทยาลัยราชภัฏเพชรบุรี", "university"),
    ("องค์การบริหารส่วนจังหวัดเพชรบุรี", "local_gov"),
    ("ธนาคารออมสิน สาขาเพชรบุรี", "company"),
    ("บริษัท ปูนซิเมนต์ไทย จำกัด (มหาชน)", "company"),
    ("มูลนิธิเพื่อการศึกษาชุมชนเมืองเพชร", "community"),
]
PROGRAMMES = [
    ("ครูดีในดวงใจ", "คุรุสภา", AwardLevel.NATIONAL),
    ("คุรุสดุดี", "คุรุสภา", AwardLevel.NATIONAL),
    ("หนึ่งแสนครูดี", "คุรุสภา", AwardLevel.NATIONAL),
    ("OBEC AWARDS", "สพฐ.", AwardLevel.NATIONAL),
    ("ครูดีศรีเพชร", "สพป. (รางวัลของเขตพื้นที่)", AwardLevel.AREA),
]
CRITERIA = [
    ("ผลงานที่เกิดกับผู้เรียน", Decimal("40"), Decimal("10")),
    ("การเป็นแบบอย่างที่ดี", Decimal("30"), Decimal("10")),
    ("การพัฒนาตนเองและวิชาชีพ", Decimal("30"), Decimal("10")),
]


def build(*, office: Office, reset: bool = False, stdout=None) -> None:
    if reset:
        for model in (PLCGroup, Visit, Partner, AwardProgramme, BestPractice):
            model.objects.filter(office=office).delete()
        NetworkProfile.objects.filter(network__office=office).delete()
        for model in (NetworkGoal, NetworkActivity, NetworkBudget):
            model.objects.filter(network__office=office).delete()
    elif PLCGroup.objects.filter(office=office).exists():
        _say(stdout, "ข้อมูลชุมชนการเรียนรู้สาธิตมีอยู่แล้ว (ใช้ --reset เพื่อสร้างใหม่)")
        return
    rng = random.Random(2569)
    admin = (
        office_user(office, Role.OFFICE_ADMIN)
        or User.objects.filter(office=office).order_by("pk").first()
    )
    with transaction.atomic():
        _networks(office, rng)
        _partners(office, rng, admin)
        _plc(office, rng, admin)
        _visits(office, rng, admin)
        _awards(office, rng, admin)
        _practices(office, rng, admin)
    _say(stdout, f"สร้างข้อมูล PLC นิเทศ เครือข่าย ภาคี รางวัล และผลงานเด่นสาธิตให้ {office.name} แล้ว")


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _active(office) -> Person:
    return Person.objects.filter(office=office, status="active")


def _today() -> dt.date:
    return timezone.localdate()


def _measured_goal(network, year: int, measure: str, subject: str, target: int) -> NetworkGoal:
    return NetworkGoal(
        network=network,
        academic_year=year,
        measure=measure,
        subject=subject,
        grade="p6",
        target_percent=Decimal(target),
        text=goal_measures.goal_text(measure, subject=subject, grade_label="ป.6"),
        target=f"ร้อยละ {format_percent(target)}",
    )


def _networks(office, rng):
    supervisors = list(_active(office).filter(personnel_type=PersonnelType.SUPERVISOR))
    this_year = thai_dates.academic_year(_today())
    for i, network in enumerate(Network.objects.filter(office=office).order_by("name")):
        people = list(_active(office).filter(school__network=network).order_by("id"))
        directors = [p for p in people if p.personnel_type == PersonnelType.DIRECTOR]
        teachers = [p for p in people if p.personnel_type == PersonnelType.TEACHER]
        profile = NetworkProfile.objects.create(
            network=network,
            chair=directors[0] if directors else None,
            secretary=teachers[0] if teachers else None,
            supervisor=supervisors[i % len(supervisors)] if supervisors else None,
            description="ยกระดับคุณภาพการศึกษา 4 แนวทาง: Best Practice ห้องเรียนต้นแบบ "
            "โรงเรียนสาขา และการบูรณาการหลักสูตรอาชีพ",
        )
        profile.committee.set(directors[1:6])
        for year in (this_year - 1, this_year):
            result = "" if year == this_year else f"{rng.randint(85, 100)}%"
            NetworkGoal.objects.bulk_create(
                [
                    NetworkGoal(
                        network=network,
                        academic_year=year,
                        achieved=goal_rules.judged("100%", result),
                        text="โรงเรียนผ่านการประกันคุณภาพภายในและภายนอก",
                        target="100%",
                        actual=result,
                    ),
                    # Measured from the schools' O-NET results each time they are shown.
                    _measured_goal(network, year, "onet_above_national", "คณิตศาสตร์", 80),
                    _measured_goal(network, year, "onet_rose", "ภาษาไทย", 60),
                    NetworkGoal(
                        network=network,
                        academic_year=year,
                        achieved=None,
                        text="อัตราส่วนครูต่อนักเรียน",
                        target="1:20",
                    ),
                ]
            )
        for k in range(2):
            NetworkActivity.objects.create(
                network=network,
                date=_today() - dt.timedelta(days=30 + 60 * k + i),
                title=["ประชุมคณะกรรมการเครือข่าย", "ห้องเรียนตัวอย่างเรียนร่วมคณิตศาสตร์"][k],
                participants=rng.randint(12, 70),
                cost=Decimal(rng.randint(0, 30)) * 1000,
            )
        NetworkBudget.objects.create(
            network=network,
            fiscal_year=thai_dates.fiscal_year(_today()),
            amount=Decimal(rng.randint(3, 8)) * 10000,
            source="สพป. จัดสรร",
        )


def _partners(office, rng, admin):
    networks = list(Network.objects.filter(office=office))
    fy_now = thai_dates.fiscal_year(_today())
    for n, (name, kind) in enumerate(PARTNERS):
        since = dt.date(2021 + n % 3, 6, 1)
        partner = Partner.objects.create(
            office=office, name=name, kind=kind, since=since, contact="ฝ่ายประสานงานการศึกษา"
        )
        mou = MOU.objects.create(
            partner=partner,
            title=f"ความร่วมมือพัฒนาคุณภาพการศึกษา กับ{name}",
            signed_on=since,
            starts=since,
            ends=since.replace(year=since.year + 4),
            scope="พัฒนาครู ห้องเรียนต้นแบบ ทุนการศึกษา",
        )
        # Activities grow roughly 30 % a year over four fiscal years.
        for back, count in ((3, 2), (2, 3), (1, 4), (0, 5)):
            fy = fy_now - back
            for _ in range(count if n < 3 else count - 1):
                date = dt.date(fy - 544, 10, 1) + dt.timedelta(days=rng.randint(0, 330))
                if date > _today():
                    continue
                JointActivity.objects.create(
                    office=office,
                    partner=partner,
                    mou=mou,
                    network=rng.choice(networks) if networks else None,
                    date=date,
                    title=rng.choice(
                        [
                            "ค่ายวิชาการ",
                            "อบรมครูด้านดิจิทัล",
                            "มอบทุนการศึกษา",
                            "ปรับปรุงห้องสมุด",
                            "อบรมวินัยการเงินครู",
                        ]
                    ),
                    cash=Decimal(rng.randint(0, 50)) * 1000,
                    in_kind_value=Decimal(rng.randint(0, 30)) * 1000,
                    in_kind=rng.choice(["", "คอมพิวเตอร์ 10 เครื่อง", "หนังสือ 500 เล่ม", "วิทยากร"]),
                )


def _plc(office, rng, admin):
    year = thai_dates.academic_year(_today())
    teacher_user = office_user(office, Role.TEACHER)
    director_user = office_user(office, Role.SCHOOL_DIRECTOR)
    schools = list(School.objects.filter(office=office).order_by("obec_code")[:12])
    if director_user and director_user.school and director_user.school not in schools:
        schools.insert(0, director_user.school)
    for n, school in enumerate(schools):
        people = list(
            _active(office).filter(
                school=school, personnel_type__in=["teacher", "assistant_teacher"]
            )
        )
        if len(people) < 2:
            continue
        if teacher_user and teacher_user.person_id and teacher_user.person in people:
            people.remove(teacher_user.person)
            people.insert(1, teacher_user.person)
        topic, target = TOPICS[n % len(TOPICS)]
        group = PLCGroup(
            office=office,
            level=PLCLevel.SCHOOL,
            school=school,
            name=f"PLC {topic}",
            topic=topic,
            target_learners=target,
            facilitator=people[0],
            academic_year=year,
        )
        actions.save_plc_group(acting_user=admin, group=group, members=people[1:8])
        members = [people[0], *people[1:8]]
        for k in range(rng.randint(3, 9)):
            meeting = PLCMeeting(
                group=group,
                # Within the group's year: a week or two after it opened, not the year before.
                date=max(
                    _today() - dt.timedelta(days=7 * k + rng.randint(0, 4)),
                    actions.plc_year_span(group)[0],
                ),
                hours=Decimal(rng.choice([2, 2, 3, 4])),
                problem="นักเรียนกลุ่มเป้าหมายยังไม่บรรลุตัวชี้วัด",
                plan="ออกแบบกิจกรรมร่วมกันและแบ่งบทบาทสังเกตชั้นเรียน",
                action="ครูต้นแบบสอนตามแผน เพื่อนครูสังเกต",
                observation="นักเรียนมีส่วนร่วมมากขึ้น",
                reflection="ปรับใบงานให้สั้นลง ติดตามผลครั้งถัดไป",
            )
            attendees = [p for p in members if rng.random() < 0.85] or members[:1]
            actions.log_plc_meeting(acting_user=admin, meeting=meeting, attendees=attendees)


def _visits(office, rng, admin):
    supervisor = office_user(office, Role.SUPERVISOR) or admin
    name = supervisor.get_full_name() or supervisor.username
    from community.queries import current_term, rules_for

    _label, start, _end = current_term(_today(), rules_for(office))
    span = max((_today() - start).days, 1)
    schools = list(School.objects.filter(office=office).order_by("obec_code"))
    for school in schools:
        r = rng.random()
        if r < 0.6:
            date = start + dt.timedelta(days=rng.randint(0, span - 1))
            visit = Visit(
                office=office,
                school=school,
                kind=rng.choice(["supervision", "coaching"]),
                status=VisitStatus.DONE,
                date=date,
                visitor=supervisor,
                visitor_name=name,
                focus=rng.choice(["การอ่านออกเขียนได้", "การจัดการเรียนรู้เชิงรุก", "การวัดและประเมินผล"]),
                findings="ครูใช้แผนการจัดการเรียนรู้ที่ปรับปรุงแล้ว นักเรียนร่วมกิจกรรมดี",
                follow_up="ติดตามผลสัมฤทธิ์หลังสอบกลางภาค",
                next_visit=_today() + dt.timedelta(days=rng.randint(3, 55))
                if rng.random() < 0.4
                else None,
            )
        elif r < 0.8:
            visit = Visit(
                office=office,
                school=school,
                kind="supervision",
                status=VisitStatus.PLANNED,
                date=_today() + dt.timedelta(days=rng.randint(1, 50)),
                visitor=supervisor,
                visitor_name=name,
                focus="นิเทศติดตามการจัดการเรียนรู้",
            )
        else:
            continue
        people = list(_active(office).filter(school=school, personnel_type="teacher")[:2])
        actions.save_visit(acting_user=supervisor, visit=visit, people=people)


def _awards(office, rng, admin):
    year = thai_dates.be_year(_today())
    judges = office_users(office, (Role.SUPERVISOR, Role.DEVELOPMENT_OFFICER, Role.OFFICE_ADMIN))
    teachers = list(_active(office).filter(personnel_type="teacher").order_by("id"))
    rng.shuffle(teachers)
    pool = iter(teachers)
    programmes = {}
    for name, organiser, level in PROGRAMMES:
        programmes[name] = AwardProgramme.objects.create(
            office=office, name=name, organiser=organiser, highest_level=level
        )
    # Last year: closed rounds with results, sized like the SAR's table.
    for name, nominated, winners, region, national in (
        ("ครูดีในดวงใจ", 6, 3, 1, 0),
        ("คุรุสดุดี", 4, 2, 1, 1),
        ("หนึ่งแสนครูดี", 30, 24, 0, 0),
        ("OBEC AWARDS", 8, 4, 2, 1),
        ("ครูดีศรีเพชร", 12, 9, 0, 0),
    ):
        r = _round(
            programmes[name],
            year - 1,
            f"{name} ประจำปี {year - 1}",
            RoundStatus.JUDGING,
            judges,
            admin,
            winners,
        )
        noms = _nominate(r, pool, nominated, admin)
        _score(r, noms, judges, rng)
        actions.decide_area_results(
            acting_user=admin, round_=r, announced_on=dt.date(year - 544, 9, 1)
        )
        area = [
            n
            for n in r.nominations.order_by("-average")
            if n.results.filter(outcome="winner").exists()
        ]
        for k, n in enumerate(area[:region]):
            AwardResult.objects.create(
                nomination=n,
                level=AwardLevel.REGION,
                outcome=ResultOutcome.WINNER,
                announced_on=dt.date(year - 544, 11, 1),
            )
            if k < national:
                AwardResult.objects.create(
                    nomination=n,
                    level=AwardLevel.NATIONAL,
                    outcome=ResultOutcome.WINNER,
                    announced_on=dt.date(year - 543, 1, 16),
                )
    # This year: one round open, one being judged.
    r_open = _round(
        programmes["ครูดีในดวงใจ"],
        year,
        f"ครูดีในดวงใจ ประจำปี {year}",
        RoundStatus.OPEN,
        judges,
        admin,
        3,
    )
    r_open.allow_self = True
    r_open.closes_on = _today() + dt.timedelta(days=30)
    r_open.save()
    _nominate(r_open, pool, 3, admin)
    r_judging = _round(
        programmes["OBEC AWARDS"],
        year,
        f"OBEC AWARDS ประจำปี {year}",
        RoundStatus.JUDGING,
        judges,
        admin,
        3,
    )
    noms = _nominate(r_judging, pool, 6, admin)
    _score(r_judging, noms[:4], [j for j in judges if j.role != Role.SUPERVISOR], rng)


def _round(programme, year, title, status, judges, admin, winners):
    r = AwardRound.objects.create(
        programme=programme,
        year=year,
        title=title,
        status=RoundStatus.OPEN,
        winners=winners,
        min_score=Decimal("60"),
    )
    actions.save_round(
        acting_user=admin,
        round_=r,
        judges=judges,
        criteria=[{"name": n, "weight": w, "max_score": m} for n, w, m in CRITERIA],
    )
    r.status = status
    r.save(update_fields=["status"])
    return r


def _nominate(r, pool, count, admin) -> list[Nomination]:
    status = r.status
    AwardRound.objects.filter(pk=r.pk).update(status=RoundStatus.OPEN)
    r.status = RoundStatus.OPEN
    out = []
    for _ in range(count):
        person = next(pool, None)
        if person is None:
            break
        out.append(
            actions.nominate(
                acting_user=admin,
                round_=r,
                person=person,
                work_title="ผลงานการพัฒนาการเรียนรู้ที่ส่งผลต่อผู้เรียน",
            )
        )
    AwardRound.objects.filter(pk=r.pk).update(status=status)
    r.status = status
    return out


def _score(r, nominations, judges, rng):
    criteria = list(r.criteria.all())
    for n in nominations:
        base = rng.uniform(5.5, 9.5)
        for judge in judges:
            scores = {
                c.pk: Decimal(str(round(min(10, max(0, base + rng.uniform(-1, 1))), 1)))
                for c in criteria
            }
            actions.score_nomination(acting_user=judge, nomination=n, scores=scores)


def _practices(office, rng, admin):
    from registry.models import LearningArea

    areas = {a.name: a for a in LearningArea.objects.all()}
    teachers = list(_active(office).filter(personnel_type="teacher").select_related("school")[:40])
    year = thai_dates.be_year(_today())
    for n, (title, area, tags) in enumerate(PRACTICES):
        owner = teachers[(n * 5) % len(teachers)] if teachers else None
        practice = BestPractice(
            office=office,
            title=title,
            school=owner.school if owner else None,
            learning_area=areas.get(area),
            level=[
                PracticeLevel.AREA,
                PracticeLevel.REGION,
                PracticeLevel.SCHOOL,
                PracticeLevel.NATIONAL,
            ][n % 4],
            year=year - n % 3,
            tags=tags,
            summary=f"{title} พัฒนาขึ้นจากการทำงานร่วมกันในกลุ่ม PLC ของโรงเรียน ผ่านวงจร PDCA "
            "นำไปใช้กับนักเรียนกลุ่มเป้าหมายแล้วผลสัมฤทธิ์ทางการเรียนสูงขึ้นร้อยละ 5 "
            "เผยแพร่ในเวทีแลกเปลี่ยนเรียนรู้ของเขตพื้นที่",
            status=PracticeStatus.PUBLISHED if n < 6 else PracticeStatus.SUBMITTED,
        )
        actions.save_practice(acting_user=admin, practice=practice, owners=[owner] if owner else [])


__all__ = ["build", "Score"]
