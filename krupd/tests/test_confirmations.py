"""Every button that destroys, withdraws or sends back something asks first (data-confirm,
handled by static/krupd/krupd.js), across all templates, including ones added later."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DESTRUCTIVE = re.compile(r"ลบ|ยกเลิก|เพิกถอน|ไม่อนุมัติ|ส่งกลับ|ถอนตัว|ล้างข้อมูล|ทิ้ง|ออกใหม่|มาครบ")
# Buttons whose words match but that ask nothing irreversible: a confirmation page's own
# "ยืนยันการลบ" is the confirmation.
ALREADY_A_CONFIRMATION = re.compile(r"ยืนยัน")
POST_FORM = re.compile(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", re.S)
BUTTON = re.compile(r"<button([^>]*)>(.*?)</button>", re.S)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>|\{[%{].*?[%}]\}", "", html).strip()


def test_destructive_post_buttons_ask_for_confirmation():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for form in POST_FORM.finditer(source):
            form_asks = "data-confirm" in form.group(0).split(">", 1)[0]
            for attrs, label in BUTTON.findall(form.group(0)):
                text = _text(label)
                if not DESTRUCTIVE.search(text) or ALREADY_A_CONFIRMATION.search(text):
                    continue
                if not form_asks and "data-confirm" not in attrs:
                    line = source[: form.start()].count("\n") + 1
                    missing.append(f"{path.relative_to(TEMPLATES)}:{line} {text[:40]}")
    assert not missing, "destructive buttons without data-confirm:\n" + "\n".join(missing)


def test_no_button_asks_again_what_its_form_has_asked():
    """A data-confirm on both the form and its button shows two dialogs one after the other
    for one click (the revoke button of the certificates page did)."""
    twice = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for form in POST_FORM.finditer(source):
            opening, body = form.group(0).split(">", 1)
            if "data-confirm" in opening and "data-confirm" in body:
                line = source[: form.start()].count("\n") + 1
                twice.append(f"{path.relative_to(TEMPLATES)}:{line}")
    assert not twice, "forms that ask twice:\n" + "\n".join(twice)
