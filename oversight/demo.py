"""The demo above the office: the demo office's province (เพชรบุรี) and a neighbouring one
(ราชบุรี), two or three offices each, in one region, with a provincial inspector, a regional
inspector and an OBEC analyst to log in as.

The neighbouring offices are smaller than the demo office but get every app's demo data, so
the comparison has real figures to compare; their summaries are computed at the end, as the
nightly command would. Which region a province belongs to is the administrator's data: the
demo sets its two provinces into one region only so that the regional view has something
to show.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from registry.demo import DEMO_PASSWORD, DemoLogin, OfficeSpec, build_neighbour_office
from registry.models import Office
from reporting.developed import rebuild as rebuild_developed

from .actions import refresh_offices
from .inspection_demo import build_inspection_round_demo
from .models import Province, Region

DEMO_REGION = 7
HOME_PROVINCE = "เพชรบุรี"
NEIGHBOUR_PROVINCE = "ราชบุรี"
# (code, name, province, province code, zone, schools, people)
NEIGHBOURS = [
    ("7602", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 2", HOME_PROVINCE, "76", 2, 24, 180),
    ("7001", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาราชบุรี เขต 1", NEIGHBOUR_PROVINCE, "70", 1, 30, 220),
    ("7002", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาราชบุรี เขต 2", NEIGHBOUR_PROVINCE, "70", 2, 20, 150),
]  # fmt: skip
# National-ID serials after the demo office's people, so nobody is generated twice.
SERIAL_BASE = 900_000


def place_demo_provinces() -> Region:
    region = Region.objects.get(number=DEMO_REGION)
    Province.objects.filter(name__in=[HOME_PROVINCE, NEIGHBOUR_PROVINCE]).update(region=region)
    return region


def build_neighbours(*, stdout=None) -> list[Office]:
    """The neighbouring offices with every app's demo data; existing ones are left alone."""
    from career.demo import build as career_demo
    from community.demo import build as community_demo
    from planning.demo import build as planning_demo
    from registry.demo import create_demo_users
    from reporting.demo import build_reporting_demo
    from training.demo import build_training_demo

    built = []
    offset = SERIAL_BASE
    for index, (code, name, province, province_code, zone, schools, people) in enumerate(
        NEIGHBOURS, start=1
    ):
        spec = OfficeSpec(index, code, name, province, province_code, zone)
        office = build_neighbour_office(
            spec=spec, schools=schools, people=people, serial_offset=offset
        )
        offset += people
        if office is None:
            continue
        _say(stdout, f"{name}: {schools} โรงเรียน {people} คน")
        # The office's own users exist for the app demos (authors, approvers); they are not
        # listed in the login table, which shows the demo office's users only.
        create_demo_users(office=office, prefix=f"o{code}-")
        planning_demo(office=office)
        build_training_demo(office=office)
        community_demo(office=office)
        career_demo(office=office)
        build_reporting_demo(office=office)
        built.append(office)
    return built


def create_oversight_users() -> list[DemoLogin]:
    """The three users above the office, in the login table beside the office's users."""
    region = place_demo_provinces()
    province = Province.objects.get(name=HOME_PROVINCE)
    specs = [
        ("province", Role.PROVINCE_INSPECTOR, {"province": province},
         f"เปรียบเทียบเขตพื้นที่ในจังหวัด{province.name} และรอบการตรวจราชการของจังหวัด"),
        ("region", Role.REGION_INSPECTOR, {"region": region},
         f"เปรียบเทียบจังหวัดและเขตพื้นที่ใน{region.name} (อ่านอย่างเดียว)"),
        ("obec", Role.OBEC_ANALYST, {},
         "เปรียบเทียบทุกภาค จังหวัด และเขตพื้นที่ (อ่านอย่างเดียว ไม่เห็นข้อมูลรายบุคคล)"),
    ]  # fmt: skip
    # Named as the office's own demo staff are: the home page greets them by name, and
    # "สวัสดี province" reads like a test account.
    names = {"province": ("สมศักดิ์", "บุญประเสริฐ"), "region": ("กาญจนา", "ทองดี"),
             "obec": ("ณัฐพล", "ศรีวิเชียร")}  # fmt: skip
    password_hash = make_password(DEMO_PASSWORD)
    logins = []
    with transaction.atomic():
        for username, role, scope, sees in specs:
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                user = User(username=username, password=password_hash)
            user.first_name, user.last_name = names[username]
            user.role = role
            user.office = user.school = user.person = None
            user.province = scope.get("province")
            user.region = scope.get("region")
            user.save()
            password = DEMO_PASSWORD if created else "(รหัสเดิม)"
            logins.append(DemoLogin(username, Role(role).label, password, sees))
    return logins


def build(*, stdout=None) -> int:
    """Neighbouring offices, every office's summary (what the nightly command does), and the
    demo province's inspection round with its offices' submissions."""
    place_demo_provinces()
    build_neighbours(stdout=stdout)
    offices = Office.objects.filter(province__in=[HOME_PROVINCE, NEIGHBOUR_PROVINCE])
    for office in offices:  # their demo records were written directly, not kept as they came
        rebuild_developed(office)
    count = refresh_offices(offices.order_by("code"))
    build_inspection_round_demo(Province.objects.get(name=HOME_PROVINCE))
    return count


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)
