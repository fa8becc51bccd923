"""The people and schools pages' table rows, built here rather than by a template loop:
fifty rows of seven cells cost the people page about a third of its CPU that way (some 13
variable look-ups, a URL reversed and a date filtered per row). The markup is the one the
loops gave, byte for byte; a cell's value is shown as a template shows it (`_shown`)."""

import html

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from krupd.templatetags.thai import be

register = template.Library()

# An id no row has, to reverse a page's URL once and put each row's id in its place.
_ANY_ID = 987654321987


def _url_parts(name: str) -> tuple[str, str]:
    before, after = reverse(name, args=[_ANY_ID]).split(str(_ANY_ID))
    return before, after


def _shown(value) -> str:
    """`{{ value }}` as a template renders it (localized, then escaped)."""
    return conditional_escape(localize(value))


_ROW = (
    '\n    <tr>\n      <td><a href="{url}">{name}</a>{status}</td>\n'
    "      <td><code>{national_id}</code></td>\n"
    "      <td>{position}</td>\n"
    "      <td>{standing}</td>\n"
    "      <td>{workplace}</td>\n"
    "      <td>{major}</td>\n"
    "      <td><small>{updated}</small></td>\n"
    "    </tr>\n  "
)
_NONE_FOUND = '\n    <tr><td colspan="7">ไม่พบบุคลากรตามเงื่อนไข</td></tr>\n  '


def _major(person) -> str:
    major = person.major
    if not major:
        return '<span class="badge badge-warn">ไม่ระบุ</span>'
    area = major.learning_area
    if not area:
        return html.escape(major.name)
    short = html.escape(area.short_name)
    return f'{html.escape(major.name)} <small class="muted">({short})</small>'


@register.simple_tag
def people_rows(people) -> str:
    """The `<tr>`s of `people` (a page of people_list's rows), or the "none found" row."""
    before, after = _url_parts("registry:person_detail")
    out = []
    for p in people:
        status = (
            f' <span class="badge">{html.escape(p.get_status_display())}</span>'
            if p.status != "active"
            else ""
        )
        standing = p.academic_standing.name if p.academic_standing else ""
        out.append(
            _ROW.format(
                url=html.escape(f"{before}{p.pk}{after}"),
                name=html.escape(p.full_name),
                status=status,
                national_id=html.escape(p.masked_national_id),
                position=html.escape(p.position),
                standing=html.escape(standing or "—"),
                workplace=html.escape(p.workplace_name),
                major=_major(p),
                updated=html.escape(be(p.updated_at)),
            )
        )
    return mark_safe("".join(out) if out else _NONE_FOUND)


_SCHOOL_ROW = (
    "\n    <tr>\n      <td><code>{code}</code></td>\n"
    '      <td><a href="{url}">{name}</a></td>\n'
    "      <td>{level}</td><td>{district}</td><td>{network}</td>\n"
    '      <td class="num">{students}</td><td class="num">{classrooms}</td><td>{band}</td>\n'
    "    </tr>\n  "
)


@register.simple_tag
def school_rows(schools) -> str:
    """The `<tr>`s of `schools` (a page of school_list's rows), or the "none found" row."""
    before, after = _url_parts("registry:school_detail")
    out = []
    for s in schools:
        network = s.network.name if s.network else ""
        out.append(
            _SCHOOL_ROW.format(
                code=_shown(s.obec_code),
                url=conditional_escape(f"{before}{s.pk}{after}"),
                name=_shown(s.name),
                level=_shown(s.get_level_display()),
                district=_shown(s.district),
                network=_shown(network or "—"),
                students=_shown(intcomma(s.total_students)),
                classrooms=_shown(s.total_classrooms),
                band=_shown(s.size_band or "—"),
            )
        )
    return mark_safe("".join(out) if out else _NO_SCHOOL)


_NO_SCHOOL = '<tr><td colspan="8">ไม่พบสถานศึกษาตามเงื่อนไข</td></tr>'
