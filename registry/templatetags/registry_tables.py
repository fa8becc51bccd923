"""The people and schools pages' table rows, built here rather than by a template loop:
fifty rows of seven cells cost the people page about a third of its CPU that way (some 13
variable look-ups, a URL reversed and a date filtered per row). The markup is the one the
loops gave, byte for byte; a cell's value is shown as a template shows it (`_shown`)."""

import html

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from krupd.lib.numerals import format_percent
from krupd.lib.table_cells import choice_labels, grouped_int, once_per_table
from krupd.lib.table_cells import shown as _shown
from krupd.lib.table_cells import url_parts as _url_parts
from krupd.templatetags.thai import be
from registry.models import Person, School

register = template.Library()

# Each cell but the name carries its column's name (data-label): on a phone a row is a card
# that says what each figure is (table.cards in krupd.css).
_ROW = (
    '\n    <tr>\n      <td><a href="{url}">{name}</a>{status}</td>\n'
    '      <td data-label="เลขประจำตัวประชาชน"><code>{national_id}</code></td>\n'
    '      <td data-label="ตำแหน่ง">{position}</td>\n'
    '      <td data-label="วิทยฐานะ">{standing}</td>\n'
    '      <td data-label="สถานศึกษา">{workplace}</td>\n'
    '      <td data-label="วิชาเอก">{major}</td>\n'
    '      <td data-label="แก้ไขล่าสุด"><small>{updated}</small></td>\n'
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
    statuses = choice_labels(Person, "status")
    out = []
    for p in people:
        status = (
            f' <span class="badge">{html.escape(str(statuses.get(p.status, p.status)))}</span>'
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
    '      <td><a href="{url}">{name}</a>{closed}</td>\n'
    "      <td>{level}</td><td>{district}</td><td>{network}</td>\n"
    '      <td class="num">{students}</td><td class="num">{classrooms}</td><td>{band}</td>\n'
    "    </tr>\n  "
)


@register.simple_tag
def school_rows(schools) -> str:
    """The `<tr>`s of `schools` (a page of school_list's rows), or the "none found" row."""
    before, after = _url_parts("registry:school_detail")
    levels = choice_labels(School, "level")
    today = timezone.localdate()
    out = []
    for s in schools:
        network = s.network.name if s.network else ""
        closed = ""
        if s.closed_on is not None and s.closed_on <= today:  # School.is_closed_on
            title = _shown(s.closure_label)
            closed = f' <span class="badge badge-warn" title="{title}">ปิด/ยุบรวม</span>'
        out.append(
            _SCHOOL_ROW.format(
                code=_shown(s.obec_code),
                url=conditional_escape(f"{before}{s.pk}{after}"),
                name=_shown(s.name),
                closed=closed,
                level=_shown(levels.get(s.level, s.level)),
                district=_shown(s.district),
                network=_shown(network or "—"),
                students=_shown(grouped_int(s.total_students)),
                classrooms=_shown(s.total_classrooms),
                band=_shown(s.size_band or "—"),
            )
        )
    return mark_safe("".join(out) if out else _NO_SCHOOL)


_NO_SCHOOL = '<tr><td colspan="8">ไม่พบสถานศึกษาตามเงื่อนไข</td></tr>'


# The data-quality pages' tables (registry/quality.html, _quality_problems.html): their loops
# were about half of the office quality page's template time (a URL reversed, two numbers
# through floatformat and some fifteen look-ups per school row).

_QUALITY_SCHOOL_ROW = (
    '\n    <tr>\n      <td><a href="{url}">{name}</a><br><small class="muted">{code}{network}'
    "</small></td>\n"
    '      <td class="num">{people}</td>\n'
    '      <td class="num">{complete}</td>\n'
    '      <td class="num">{correct}</td>\n'
    '      <td><span class="badge {currency_badge}" title="{last_update}">{days}</span></td>\n'
    '      <td class="num"><span class="badge {ready_badge}">{ready}</span></td>\n'
    '      <td class="num">{problems}</td>\n'
    "    </tr>\n  "
)
_NO_QUALITY_SCHOOL = '\n    <tr><td colspan="7">ไม่มีสถานศึกษา</td></tr>\n  '


def _percent(score) -> str:
    """`{% if score is None %}—{% else %}{{ score|floatformat:1 }}%{% endif %}`, by the
    reports' own percent formatter (the same text for scores of 0–100, at under half of
    floatformat's cost: two per school row)."""
    return "—" if score is None else f"{format_percent(score, 1)}%"


@register.simple_tag
def quality_school_rows(units) -> str:
    """The `<tr>`s of the office quality page's schools (a page of quality.Unit), or the
    "no school" row."""
    before, after = _url_parts("registry:quality_school")
    percent, shown = once_per_table(_percent), once_per_table(_shown)
    tz = timezone.get_current_timezone()  # be's, looked up once for the table
    out = []
    for u in units:
        days = "ไม่เคยปรับปรุง" if u.days_since is None else f"{shown(u.days_since)} วัน"
        out.append(
            _QUALITY_SCHOOL_ROW.format(
                # (html.escape: conditional_escape's text for a str, without marking it safe)
                url=html.escape(f"{before}{u.school_id}{after}"),
                name=_shown(u.name),
                code=_shown(u.obec_code),
                network=f" · {shown(u.network)}" if u.network else "",  # a few networks repeat
                people=shown(u.people),
                complete=percent(u.complete),
                correct=percent(u.correct),
                currency_badge=shown(u.currency_badge),
                last_update=_shown(be(u.last_update, "medium", tz=tz)),
                days=days,
                ready_badge=shown(u.ready_badge),
                ready=shown("—" if u.ready is None else u.ready),
                problems=shown(u.problems),
            )
        )
    return mark_safe("".join(out) if out else _NO_QUALITY_SCHOOL)


_RULE_ROW = (
    "\n    <tr>\n      <td>{rule}</td>\n"
    '      <td><span class="badge">{quality}</span></td>\n'
    '      <td class="num">{checked}</td>\n'
    '      <td class="num">{failed}</td>\n'
    '      <td class="num">{passed}</td>\n'
    "    </tr>\n  "
)


@register.simple_tag
def quality_rule_rows(unit, link_rules) -> str:
    """The `<tr>`s of a unit's checked and failed counts per rule; with link_rules (one
    school's page) a failed rule links to its problems."""
    out = []
    for c in unit.rule_counts():
        label = _shown(c.rule.label)
        if link_rules and c.failed:
            label = f'<a href="?rule={_shown(c.rule.code)}#problems">{label}</a>'
        failed = f'<span class="badge badge-bad">{_shown(c.failed)}</span>' if c.failed else "0"
        passed = (
            '<span class="muted">ไม่มีให้ตรวจ</span>' if c.pass_pct is None else _percent(c.pass_pct)
        )
        out.append(
            _RULE_ROW.format(
                rule=label,
                quality=_shown(c.rule.quality_label),
                checked=_shown(c.checked),
                failed=failed,
                passed=passed,
            )
        )
    return mark_safe("".join(out))


_PROBLEM_ROW = (
    "\n    <tr>\n      <td>\n        {who}\n      </td>\n"
    '      <td>{rule} <span class="badge">{quality}</span></td>\n'
    "      <td>{values}</td>\n"
    "    </tr>\n  "
)
_NO_PROBLEM = '\n    <tr><td colspan="3">ไม่พบปัญหา</td></tr>\n  '


def _problem_values(values) -> str:
    """Each value on file of a problem's record, or "(ว่าง)" when the rule shows none."""
    if not values:
        return '<span class="muted">(ว่าง)</span>'
    return "".join(
        f'<div><small class="muted">{_shown(label)}:</small> '
        f"{_shown(be(value, 'medium') if is_date else value or '(ว่าง)')}</div>"
        for label, value, is_date in values
    )


@register.simple_tag
def quality_problem_rows(problems) -> str:
    """The `<tr>`s of a page of quality.Problem (who or what, the rule, the values on file
    and a link to fix them), or the "none found" row."""
    urls = {}
    out = []
    for p in problems:
        if p.fix_url_name not in urls:
            urls[p.fix_url_name] = _url_parts(p.fix_url_name)
        before, after = urls[p.fix_url_name]
        if p.person:
            url = conditional_escape(f"{before}{p.person.pk}{after}")
            position = _shown(p.person.position or "ไม่ระบุตำแหน่ง")
            who = (
                f'<a href="{url}">{_shown(p.person.full_name)}</a><br>'
                f'<small class="muted">{position}</small>\n        '
            )
        else:
            url = conditional_escape(f"{before}{p.school.pk}{after}")
            who = (
                f'<a href="{url}">{_shown(p.school.name)}</a><br>'
                '<small class="muted">ข้อมูลสถานศึกษา</small>'
            )
        out.append(
            _PROBLEM_ROW.format(
                who=who,
                rule=_shown(p.rule.label),
                quality=_shown(p.rule.quality_label),
                values=_problem_values(p.values),
            )
        )
    return mark_safe("".join(out) if out else _NO_PROBLEM)
