"""The e-learning modules of a learner's course page, written here rather than by a template
loop: a course of twenty modules cost its page a URL reversed and some ten look-ups per
module that way. The markup is the one the loop gave; values are shown as a template shows
them (table_cells.shown)."""

from django import template
from django.utils.safestring import mark_safe

from krupd.lib.table_cells import shown, url_parts

register = template.Library()

_STEP = "\n    <li><span>หน่วยที่ {order} {title} {state}</span>\n      {link}</li>\n    "
_DONE = '<span class="done">✓ ผ่าน</span>'
_LOCKED = '<span class="muted">🔒</span>'
_WAIVED = (
    '<span class="muted">(เพิ่มหลังจากท่านเรียนจบหลักสูตรแล้ว ไม่นับเป็นเงื่อนไขผ่านของท่าน เรียนเพิ่มเติมได้)</span>'
)
_LINK = '<a role="button" class="outline" href="{url}">{label}</a>'


@register.simple_tag
def module_steps(module_states, waived=()) -> str:
    """The `<li>` of each (module, unlocked, done) of actions.module_states: its order and
    title, passed or locked (or not required of this learner: the ids `waived`), and the
    button into it when it is open."""
    before, after = url_parts("training:module")
    out = []
    for module, unlocked, done in module_states:
        state = (
            _DONE if done else _LOCKED if not unlocked else _WAIVED if module.pk in waived else ""
        )
        link = ""
        if unlocked:
            label = "ทบทวน" if done else "เข้าเรียน"
            link = _LINK.format(url=shown(f"{before}{module.pk}{after}"), label=label)
        out.append(
            _STEP.format(
                order=shown(module.order), title=shown(module.title), state=state, link=link
            )  # fmt: skip
        )
    return mark_safe("".join(out))
