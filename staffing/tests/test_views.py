"""Every staffing page and endpoint with a role that may and one that may not; rule editing;
exports in the SAR's layout."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from accounts.roles import Role
from registry.models import AuditEntry
from staffing.models import RuleSet

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db

OFFICE_WIDE = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR]
AGGREGATE_PAGES = ["staffing:office", "staffing:schools", "staffing:problems",
                   "staffing:out_of_field", "staffing:retirements", "staffing:rules"]  # fmt: skip


@pytest.fixture
def demo(office, users):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3},
                lat=13.0, lon=100.0)  # fmt: skip
    school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 1},
                lat=13.1, lon=100.1)  # fmt: skip
    return office


@pytest.mark.parametrize("name", AGGREGATE_PAGES)
@pytest.mark.parametrize("role", OFFICE_WIDE + [Role.SCHOOL_DIRECTOR])
def test_it_shows_aggregate_pages_to_roles_that_may(client_for, demo, role, name):
    response = client_for(role).get(reverse(name), {"year": YEAR})
    assert response.status_code == 200


@pytest.mark.parametrize("name", AGGREGATE_PAGES + ["staffing:transfers"])
def test_it_refuses_teachers(client_for, demo, name):
    assert client_for(Role.TEACHER).get(reverse(name)).status_code == 403


def test_it_shows_the_office_summary_in_seed_layout(client_for, demo):
    html = (
        client_for(Role.INSPECTOR).get(reverse("staffing:office"), {"year": YEAR}).content.decode()
    )
    for text in ["จำนวนโรงเรียน (ภาครัฐ) ทั้งหมด", "จำนวนครูตาม จ.18", "โรงเรียนที่ขาดเกณฑ์",
                 "โรงเรียนที่มีครูเกินเกณฑ์", "โรงเรียนที่มีครูพอดีเกณฑ์", "ค่าเริ่มต้น 2569",
                 "ความต้องการครู (เฉพาะโรงเรียนที่ขาดครูตามเกณฑ์ ก.ค.ศ.)", "chart.umd.min.js"]:  # fmt: skip
        assert text in html
    # The shared rule set is named once, and what sets it apart said: shared by every office.
    assert "ค่าเริ่มต้น 2569 (ใช้ร่วมกันทุกเขต)</option>" in html
    assert "(ค่าเริ่มต้น)" not in html


def test_links_between_pages_carry_the_year_but_not_one_pages_filters(client_for, demo):
    """A filter of the list of schools must not follow the nav links: it piled up as
    ?status=short&status=short&... from page to page."""
    client = client_for(Role.OFFICE_ADMIN)
    html = client.get(reverse("staffing:schools"), {"year": YEAR, "status": "short"})
    text = html.content.decode()
    assert f'href="{reverse("staffing:retirements")}?year={YEAR}"' in text
    office = client.get(reverse("staffing:office"), {"year": YEAR, "status": "short"})
    page = office.content.decode().replace("&amp;", "&")
    assert "status=short&status=short" not in page
    assert f"?year={YEAR}&status=short" in page


def test_the_names_of_those_retiring_come_a_page_at_a_time(client_for, demo, monkeypatch):
    from staffing import views

    from .helpers import staff

    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 1)
    school = demo.schools.first()
    first, second = staff(demo, school, directors=0, teachers={"คณิตศาสตร์": 2},
                          birth_date=dt.date(YEAR - 543 - 59, 5, 1))  # fmt: skip
    client = client_for(Role.OFFICE_ADMIN)
    pages = [client.get(reverse("staffing:retirements"), {"year": YEAR, "page": n}).content.decode()
             for n in (1, 2)]  # fmt: skip
    assert "หน้า 1 จาก 2" in pages[0] and '<details id="people">' in pages[0]
    assert "หน้า 2 จาก 2" in pages[1] and '<details id="people" open>' in pages[1]
    for person in (first, second):
        link = f'href="{reverse("registry:person_detail", args=[person.pk])}"'
        assert sum(link in page for page in pages) == 1


def test_it_hides_names_from_inspectors(client_for, demo, teacher_person):
    client = client_for(Role.INSPECTOR)
    for name in ["staffing:out_of_field", "staffing:problems", "staffing:retirements"]:
        assert teacher_person.last_name not in client.get(reverse(name)).content.decode()


def test_it_scopes_the_school_page_for_directors(client_for, demo, school, other_school):
    client = client_for(Role.SCHOOL_DIRECTOR)
    assert client.get(reverse("staffing:school", args=[school.pk])).status_code == 200
    assert client.get(reverse("staffing:school", args=[other_school.pk])).status_code == 404
    html = client.get(reverse("staffing:schools")).content.decode()
    assert "1076019001" not in html


@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER])
def test_it_proposes_transfers_to_planners(client_for, demo, role):
    client = client_for(role)
    response = client.get(reverse("staffing:transfers"), {"year": YEAR})
    assert response.status_code == 200 and "ข้อเสนอการปรับย้ายครู" in response.content.decode()
    xlsx = client.get(reverse("staffing:transfers"), {"year": YEAR, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert "ข้อเสนอการปรับย้ายครู" in ws["A1"].value
    assert ws.cell(5, 7).value == "เหตุผล" and ws.cell(6, 2).value  # at least one move


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.SCHOOL_DIRECTOR])
def test_it_refuses_transfer_proposals(client_for, demo, role):
    assert client_for(role).get(reverse("staffing:transfers")).status_code == 403


def test_a_directors_export_names_her_school(client_for, demo, school):
    """A director's staffing report holds her school's figures only; it was titled with the
    office's name alone, as the office's report of all its schools."""
    client = client_for(Role.SCHOOL_DIRECTOR)
    docx = client.get(reverse("staffing:export", args=["docx"]), {"year": YEAR})
    subtitle = Document(io.BytesIO(docx.content)).paragraphs[1].text
    assert subtitle.startswith(f"{school.name} {school.office.name} ปีการศึกษา 2569")
    xlsx = client.get(reverse("staffing:export", args=["xlsx"]), {"year": YEAR})
    assert load_workbook(io.BytesIO(xlsx.content))["สรุป"]["A2"].value.startswith(school.name)
    office = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:export", args=["docx"]))
    assert Document(io.BytesIO(office.content)).paragraphs[1].text.startswith(school.office.name)


def test_the_docx_subtitle_keeps_the_year_with_its_label(client_for, demo):
    """An office named in full ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1") made the
    subtitle a few letters too long for its line: "2569" went alone to the second. Still one
    paragraph, the office and "ปีการศึกษา 2569" each take a line, as official headings do."""
    demo.name = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1"
    demo.save()
    docx = client_for(Role.OFFICE_ADMIN).get(
        reverse("staffing:export", args=["docx"]), {"year": YEAR}
    )
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[1] == f"{demo.name}\nปีการศึกษา 2569"
    assert paragraphs[2].startswith("ข้อมูลอัตรากำลังของสถานศึกษา")


def test_it_exports_xlsx_and_docx_with_thai_complex_script_font(client_for, demo):
    client = client_for(Role.OFFICE_ADMIN)
    xlsx = client.get(reverse("staffing:export", args=["xlsx"]), {"year": YEAR})
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:2] == ["สรุป", "รายโรงเรียน"]
    assert "ปีการศึกษา 2569" in wb["สรุป"]["A2"].value and "10 มิถุนายน 2569" in wb["สรุป"]["A2"].value
    docx = client.get(reverse("staffing:export", args=["docx"]), {"year": YEAR})
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "จำนวนโรงเรียน (ภาครัฐ) ทั้งหมด" in text and "2569" in text
    assert len(doc.tables) == 2 and doc.tables[0].cell(0, 0).text == "วิชา"
    run = next(r for p in doc.paragraphs for r in p.runs if r.text)
    fonts = run._element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH SarabunPSK"
    assert run._element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"


def test_the_workbook_names_each_data_problem_in_thai(client_for, demo, school):
    """`school` has no pupils counted: the problems sheet says what kind of problem in the
    page's words, never the internal kind code."""
    xlsx = client_for(Role.OFFICE_ADMIN).get(
        reverse("staffing:export", args=["xlsx"]), {"year": YEAR}
    )
    ws = load_workbook(io.BytesIO(xlsx.content))["ปัญหาข้อมูล"]
    kinds = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "ข้อมูลนักเรียน" in kinds
    assert not kinds & {"enrolment", "rules", "major"}


def test_it_refuses_exports_to_inspectors(client_for, demo):
    assert (
        client_for(Role.INSPECTOR).get(reverse("staffing:export", args=["xlsx"])).status_code == 403
    )


def test_it_lets_office_admins_copy_and_edit_rules(client_for, office, users):
    client = client_for(Role.OFFICE_ADMIN)
    default = RuleSet.objects.get(office=None)
    assert client.get(reverse("staffing:rule_set_edit", args=[default.pk])).status_code == 404
    response = client.post(reverse("staffing:rule_set_copy", args=[default.pk]),
                           {"version": "เขต-2570", "effective_date": "01/01/2569"})  # fmt: skip
    own = RuleSet.objects.get(office=office)
    assert response.status_code == 302 and own.rows.count() == default.rows.count()
    assert own.effective_date.year == 2026
    rows = list(own.rows.order_by("pk"))
    data = {"name": own.name, "version": own.version, "source": "ว 99/2569",
            "effective_date": "01/01/2569", "to_verify": "", "notes": "",
            "rows-TOTAL_FORMS": len(rows), "rows-INITIAL_FORMS": len(rows),
            "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, r in enumerate(rows):
        for f in ["level", "basis", "band_min", "band_max", "administrators", "deputies",
                  "teachers", "teachers_per_room", "students_per_teacher", "note"]:  # fmt: skip
            value = getattr(r, f)
            data[f"rows-{i}-{f}"] = "" if value is None else value
        data[f"rows-{i}-id"] = r.pk
        data[f"rows-{i}-rule_set"] = own.pk
    data["rows-0-teachers"] = 2
    response = client.post(reverse("staffing:rule_set_edit", args=[own.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.source == "ว 99/2569" and own.rows.order_by("pk").first().teachers == 2
    assert (
        AuditEntry.objects.filter(object_type="staffing_ruleset", object_id=str(own.pk)).count()
        == 2
    )
    # A band ending before it starts is refused.
    data["rows-0-band_max"] = 0
    data["rows-0-band_min"] = 5
    assert client.post(reverse("staffing:rule_set_edit", args=[own.pk]), data).status_code == 200
    # Renamed to a version the office already has: one version name per office (the office is
    # not a box of the form, so the rule went unchecked and the save was a server error).
    data["rows-0-band_max"], data["rows-0-band_min"] = 120, 1
    other = RuleSet.objects.create(office=office, name=own.name, version="เขต-2571",
                                   effective_date=own.effective_date)  # fmt: skip
    data["version"] = other.version
    response = client.post(reverse("staffing:rule_set_edit", args=[own.pk]), data)
    assert response.status_code == 200 and "ซ้ำกันนี้อยู่แล้ว" in response.content.decode()
    own.refresh_from_db()
    assert own.version == "เขต-2570"


def test_a_double_click_on_copy_makes_one_version(client_for, office, users, monkeypatch):
    """Both clicks of a double click pass the form's "version not taken" check before either
    writes: the second then hit the unique version and showed a server error, though the
    copy had been made. It now lands on that copy with a Thai note naming the version."""
    from staffing.forms import CopyRuleSetForm

    # The second request validated its form before the first one wrote.
    monkeypatch.setattr(CopyRuleSetForm, "clean_version",
                        lambda form: form.cleaned_data["version"].strip())  # fmt: skip
    client = client_for(Role.OFFICE_ADMIN)
    default = RuleSet.objects.get(office=None)
    url = reverse("staffing:rule_set_copy", args=[default.pk])
    assert client.post(url, {"version": "เขต-2570"}).status_code == 302
    own = RuleSet.objects.get(office=office)
    again = client.post(url, {"version": "เขต-2570"}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("staffing:rule_set", args=[own.pk])
    assert "เขตนี้มีเกณฑ์ฉบับ “เขต-2570” แล้ว" in again.content.decode()
    assert RuleSet.objects.filter(office=office).count() == 1


def test_it_saves_area_weights(client_for, office, users):
    client = client_for(Role.OFFICE_ADMIN)
    default = RuleSet.objects.get(office=None)
    client.post(reverse("staffing:rule_set_copy", args=[default.pk]), {"version": "v2"})
    own = RuleSet.objects.get(office=office)
    url = reverse("staffing:rule_set_weights", args=[own.pk])
    assert client.get(url).status_code == 200
    from registry.models import LearningArea

    math = LearningArea.objects.get(code="math")
    assert client.post(url, {f"w_secondary_{math.pk}": "3"}).status_code == 302
    assert list(own.area_weights.values_list("level", "weight")) == [("secondary", 3)]


@pytest.mark.parametrize("role", [Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR,
                                  Role.SCHOOL_DIRECTOR, Role.TEACHER])  # fmt: skip
def test_it_refuses_rule_edits_to_other_roles(client_for, office, role):
    default = RuleSet.objects.get(office=None)
    client = client_for(role)
    assert client.post(reverse("staffing:rule_set_copy", args=[default.pk]),
                       {"version": "x"}).status_code == 403  # fmt: skip
    assert not RuleSet.objects.filter(office=office).exists()


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICE_WIDE)
def test_it_serves_the_office_summary(client_for, demo, role):
    data = client_for(role).get("/api/staffing/office", {"year": YEAR}).json()
    assert data["rule_version"] == "ค่าเริ่มต้น 2569" and data["rule_to_verify"] is True
    rows = client_for(role).get("/api/staffing/schools", {"year": YEAR}).json()
    known = [r for r in rows if r["diff"] is not None]
    assert data["diff"] == sum(r["diff"] for r in known)
    assert data["short_positions"] == -sum(r["diff"] for r in known if r["diff"] < 0)
    assert all(r["rule_version"] == "ค่าเริ่มต้น 2569" for r in rows)


def test_it_scopes_the_api_for_directors(client_for, demo, school, other_school):
    client = client_for(Role.SCHOOL_DIRECTOR)
    rows = client.get("/api/staffing/schools").json()
    assert [r["id"] for r in rows] == [school.pk]
    assert client.get(f"/api/staffing/schools/{school.pk}").status_code == 200
    assert client.get(f"/api/staffing/schools/{other_school.pk}").status_code == 404


def test_it_refuses_the_api_to_teachers_and_strangers(client_for, client, demo, school):
    assert client.get("/api/staffing/office").status_code == 401
    teacher = client_for(Role.TEACHER)
    for url in [
        "/api/staffing/office",
        "/api/staffing/schools",
        f"/api/staffing/schools/{school.pk}",
    ]:
        assert teacher.get(url).status_code == 403


def test_it_survives_a_bad_year(client_for, demo):
    client = client_for(Role.OFFICE_ADMIN)
    assert client.get(reverse("staffing:office"), {"year": "abc"}).status_code == 200
    assert client.get(reverse("staffing:retirements"), {"years": "x"}).status_code == 200
    html = client.get(reverse("staffing:office"), {"year": 2590}).content.decode()
    assert "คำนวณไม่ได้" in html  # no enrolment that year: listed, not zero


def test_the_summary_of_an_office_without_schools_reads_as_a_sentence(db):
    """No school and nobody seconded: no "จำแนกเป็น" left hanging, no "−0"/"+0"."""
    from krupd.testing import make_office, make_user
    from staffing.exports import summary_lines
    from staffing.queries import analyse

    admin = make_user("admin-empty", Role.OFFICE_ADMIN, make_office("7699", "สพป.ทดสอบ เขต 9"))
    text = "\n".join(summary_lines(analyse(admin, academic_year=YEAR)))
    assert "ทั้งหมด 0 โรงเรียน\n" in text and "จำแนกเป็น" not in text
    assert "ไปช่วยราชการ 0 มาช่วยราชการ 0" in text
    assert "−0" not in text and "+0" not in text


def test_the_summary_says_when_the_criteria_could_not_be_applied(office, users):
    """A year with no pupil numbers: item 3 says it cannot be computed yet, not "เกินเกณฑ์ 0
    อัตรา (ตามเกณฑ์ 0 อัตรา)"; with some schools computed it says the difference covers
    only those (item 2 counts the staff of every school)."""
    from staffing.exports import summary_lines
    from staffing.queries import analyse

    school_with(office, "1076019001", students=120, rooms=6)
    school_with(office, "1076019002", students=None, rooms=None)
    admin = users[Role.OFFICE_ADMIN]
    text = "\n".join(summary_lines(analyse(admin, academic_year=2590)))
    assert "3. อัตรากำลังครูเทียบเกณฑ์ในภาพรวม: ยังคำนวณไม่ได้" in text
    assert "ปีการศึกษา 2590" in text and "ตามเกณฑ์ 0 อัตรา" not in text
    line = next(x for x in summary_lines(analyse(admin, academic_year=YEAR)) if x[:3] == "3. ")
    assert "เฉพาะ 1 โรงเรียนที่คำนวณได้ ซึ่งมีจริง 1 อัตรา)" in line
