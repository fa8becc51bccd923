"""What the award certificates and PLC pages print reads as the office's own Thai work: no
English labels, no invisible characters typed into boxes no form reads."""

import pytest

from accounts.roles import Role
from community import actions
from community.models import AwardCertificate
from community.tests.test_award_certificates import closed_round, issue_url  # noqa: F401
from community.tests.test_community import plc_group  # noqa: F401

OFFICER = Role.DEVELOPMENT_OFFICER
NOTHING_SEEN = " \u200b\u200c\ufeff "

pytestmark = pytest.mark.django_db


def test_a_signer_pasted_with_invisible_ends_prints_as_typed(client_for, closed_round):  # noqa: F811
    """The signer's name pasted from a Word letter kept its zero-width spaces: the certificate
    printed them (a box holding only one printed an empty "( )" signature line)."""
    client = client_for(OFFICER)
    client.post(
        issue_url(closed_round),
        {"signer_name": "\u200bนายใจดี มีธรรม\u200b ", "signer_title": NOTHING_SEEN},
    )
    cert = AwardCertificate.objects.order_by("id").first()
    assert cert.signer_name == "นายใจดี มีธรรม"
    assert cert.signer_title == actions.DEFAULT_SIGNER_TITLE  # nothing seen → the default title


def test_a_certificate_is_not_revoked_for_a_reason_that_shows_nothing(
    client_for,
    users,
    closed_round,  # noqa: F811
):
    actions.issue_award_certificates(acting_user=users[Role.OFFICE_ADMIN], round_=closed_round)
    cert = AwardCertificate.objects.get(level="area")
    client = client_for(OFFICER)
    url = f"/community/awards/nominations/{cert.result.nomination_id}/certificate/revoke/"
    response = client.post(url, {"level": "area", "reason": NOTHING_SEEN}, follow=True)
    assert "กรุณาระบุเหตุผล" in response.content.decode()
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_plc_pages_name_the_facilitator_in_thai(client_for, plc_group):  # noqa: F811
    """The PLC list, the group's page and its members' table said "Facilitator"."""
    client = client_for(OFFICER)
    for url in ("/community/plc/", f"/community/plc/{plc_group.pk}/"):
        page = client.get(url).content.decode()
        assert "Facilitator" not in page
        assert "ผู้อำนวยความสะดวก" in page


def test_the_awards_table_page_totals_what_its_workbook_totals(client_for, office):
    """The page's "รวม" row summed only the area column (its "1 คน" under a table of 3
    nominated, 1 selected, 1 at region level), while the workbook summed all four."""
    import io
    import re

    import openpyxl

    from community.models import AwardLevel, AwardProgramme, AwardRound, Nomination, ResultOutcome
    from krupd.testing import make_person

    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    for title, outcomes in (("รอบ ก", ["winner", "not_selected"]), ("รอบ ข", ["winner"])):
        round_ = AwardRound.objects.create(programme=programme, year=2568, title=title)
        for i, outcome in enumerate(outcomes):
            n = Nomination.objects.create(
                round=round_, person=make_person(office, None), source="office", work_title=f"{i}"
            )
            n.results.create(level=AwardLevel.AREA, outcome=outcome, announced_on="2025-09-01")
            if title == "รอบ ก" and outcome == ResultOutcome.WINNER:
                n.results.create(
                    level=AwardLevel.REGION, outcome=outcome, announced_on="2025-10-01"
                )
    client = client_for(OFFICER)
    page = client.get("/community/awards/table/?year=2568").content.decode()
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<th[^>]*>.*?</th>", foot)]
    assert cells == ["", "รวม", "3", "2 คน", "1", "0"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/community/awards/table/?year=2568&format=xlsx").content)
    ).active
    assert list(sheet.iter_rows(values_only=True))[-1] == (None, "รวม", None, 3, 2, 1, 0)
    assert "จำนวนผู้ได้รับการคัดเลือก (ระดับเขต)" in page  # the workbook's heading, the same figure
