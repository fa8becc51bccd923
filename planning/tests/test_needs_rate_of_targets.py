"""The needs page's response rate counts the people the round asks today, as the round's
progress page does. A teacher who answered and then retired made the needs page say "ส่งแล้ว
2 จาก 1 คน (200.00%)" while the round page said 1 of 1 (100.00%); her answers still count
in the analysis, and the page and the report say so."""

import io

import pytest
from docx import Document

from accounts.roles import Role
from krupd.testing import make_person
from planning import actions, queries
from planning.models import RaterKind
from registry.models import PersonStatus

pytestmark = pytest.mark.django_db


def test_a_retired_respondent_is_analysed_but_not_counted_in_the_rate(
    users, client_for, rnd, comps, office, school, teacher_person
):
    retired = make_person(office, school, first_name="เกษียณ")
    for person in (teacher_person, retired):
        actions.save_response(
            acting_user=None, rnd=rnd, person=person, rater_kind=RaterKind.SELF,
            ratings={comps["A"].pk: (2, 4), comps["B"].pk: (3, 4)}, submit=True,
        )  # fmt: skip
    retired.status = PersonStatus.RETIRED
    retired.save()

    a = queries.analyse_needs(users[Role.DEVELOPMENT_OFFICER], rnd)
    assert (a.targets, a.submitted_targets, a.submitted) == (1, 1, 2)
    assert a.response_rate == 100
    assert a.competencies[0].n == 2  # her answers are analysed
    assert any("มาวิเคราะห์ด้วย 1 คน" in w for w in a.warnings)

    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = client.get(f"/planning/rounds/{rnd.pk}/needs/").content.decode()
    assert "100.00%" in page and "200.00%" not in page
    doc = Document(io.BytesIO(client.get(f"/planning/rounds/{rnd.pk}/needs/export/docx/").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "กลุ่มเป้าหมาย 1 คน ส่งแบบประเมินแล้ว 1 คน คิดเป็นร้อยละ 100.00" in text
    assert "มาวิเคราะห์ด้วย 1 คน" in text
