"""The data-quality tables' rows built in Python (registry_tables) equal, byte for byte, the
template loops they replaced, kept here as the definition."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from registry import quality
from registry.models import Person, School

LOAD = "{% load registry_tables %}"

SCHOOL_LOOP = """{% for u in units %}
    <tr>
      <td><a href="{% url 'registry:quality_school' u.school_id %}">{{ u.name }}</a><br><small class="muted">{{ u.obec_code }}{% if u.network %} · {{ u.network }}{% endif %}</small></td>
      <td class="num">{{ u.people }}</td>
      <td class="num">{% if u.complete is None %}—{% else %}{{ u.complete|floatformat:1 }}%{% endif %}</td>
      <td class="num">{% if u.correct is None %}—{% else %}{{ u.correct|floatformat:1 }}%{% endif %}</td>
      <td><span class="badge {{ u.currency_badge }}" title="{{ u.last_update|be:'medium' }}">{% if u.days_since is None %}ไม่เคยปรับปรุง{% else %}{{ u.days_since }} วัน{% endif %}</span></td>
      <td class="num"><span class="badge {{ u.ready_badge }}">{{ u.ready|default_if_none:"—" }}</span></td>
      <td class="num">{{ u.problems }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="7">ไม่มีสถานศึกษา</td></tr>
  {% endfor %}"""  # noqa: E501

RULE_LOOP = """{% for c in unit.rule_counts %}
    <tr>
      <td>{% if link_rules and c.failed %}<a href="?rule={{ c.rule.code }}#problems">{{ c.rule.label }}</a>{% else %}{{ c.rule.label }}{% endif %}</td>
      <td><span class="badge">{{ c.rule.quality_label }}</span></td>
      <td class="num">{{ c.checked }}</td>
      <td class="num">{% if c.failed %}<span class="badge badge-bad">{{ c.failed }}</span>{% else %}0{% endif %}</td>
      <td class="num">{% if c.pass_pct is None %}<span class="muted">ไม่มีให้ตรวจ</span>{% else %}{{ c.pass_pct|floatformat:1 }}%{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

PROBLEM_LOOP = """{% for p in page %}
    <tr>
      <td>
        {% if p.person %}<a href="{% url p.fix_url_name p.person.pk %}">{{ p.person.full_name }}</a><br><small class="muted">{{ p.person.position|default:"ไม่ระบุตำแหน่ง" }}</small>
        {% else %}<a href="{% url p.fix_url_name p.school.pk %}">{{ p.school.name }}</a><br><small class="muted">ข้อมูลสถานศึกษา</small>{% endif %}
      </td>
      <td>{{ p.rule.label }} <span class="badge">{{ p.rule.quality_label }}</span></td>
      <td>{% for label, value, is_date in p.values %}<div><small class="muted">{{ label }}:</small> {% if is_date %}{{ value|be:"medium" }}{% else %}{{ value|default:"(ว่าง)" }}{% endif %}</div>{% empty %}<span class="muted">(ว่าง)</span>{% endfor %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="3">ไม่พบปัญหา</td></tr>
  {% endfor %}"""  # noqa: E501


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


text = st.text(alphabet="ab<>&\"' ก", max_size=8)
# A score is 0 or at least 100 / 10**8 (one failure in a hundred million records): below
# that, floatformat wrote a float's exponent ("2.2e-311%"), which the rows no longer copy
# (test_a_tiny_score_shows_as_zero).
score = (
    st.none()
    | st.floats(min_value=0, max_value=100).filter(lambda s: s == 0 or s >= 1e-6)
    | st.sampled_from([0.05, 99.95, 100.0])
)
count = st.integers(min_value=0, max_value=5000)
moment = st.none() | st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)
).map(timezone.make_aware)
rule_counts = st.lists(count, min_size=len(quality.RULES), max_size=len(quality.RULES))


@st.composite
def units(draw):
    checked = draw(rule_counts)
    return quality.Unit(
        school_id=draw(st.integers(min_value=1, max_value=10**6)),
        name=draw(text),
        obec_code=draw(text),
        network=draw(text),
        people=draw(count),
        checked=checked,
        failed=[min(c, f) for c, f in zip(checked, draw(rule_counts), strict=True)],
        last_update=draw(moment),
        days_since=draw(st.none() | count),
        complete=draw(score),
        correct=draw(score),
        ready=draw(st.none() | st.integers(min_value=0, max_value=100)),
        freshness_days=draw(st.integers(min_value=0, max_value=400)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(units(), max_size=4))
def test_school_rows_equal_the_template_loop(units):
    assert _render(LOAD + "{% quality_school_rows units %}", units=units) == _render(
        SCHOOL_LOOP, units=units
    )


@settings(max_examples=60, deadline=None)
@given(units(), st.sampled_from([True, False, ""]))
def test_rule_rows_equal_the_template_loop(unit, link_rules):
    context = {"unit": unit, "link_rules": link_rules}
    new = _render(LOAD + "{% quality_rule_rows unit link_rules %}", **context)
    assert new == _render(RULE_LOOP, **context)


value = st.one_of(
    st.tuples(text, text, st.just(False)),
    st.tuples(text, st.dates(), st.just(True)),
    st.tuples(text, moment.filter(bool), st.just(True)),
)


@st.composite
def problems(draw):
    rule = draw(st.sampled_from(quality.RULES))
    values = draw(st.lists(value, max_size=2))
    pk = draw(st.integers(min_value=1, max_value=10**6))
    if draw(st.booleans()):
        person = Person(pk=pk, title="นาย", first_name=draw(text), last_name=draw(text),
                        position=draw(text))  # fmt: skip
        return quality.Problem(rule=rule, person=person, values=values)
    return quality.Problem(rule=rule, school=School(pk=pk, name=draw(text)), values=values)


@settings(max_examples=60, deadline=None)
@given(st.lists(problems(), max_size=4))
def test_problem_rows_equal_the_template_loop(page):
    new = _render(LOAD + "{% quality_problem_rows page %}", page=page)
    assert new == _render(PROBLEM_LOOP, page=page)


@settings(max_examples=500, deadline=None)
@given(score.filter(lambda s: s is not None) | st.integers(min_value=0, max_value=100))
def test_a_score_shows_as_floatformat_shows_it(value):
    """The rows write scores with the reports' percent formatter, not floatformat: the text
    must be floatformat's for every score a unit can have (0–100, halves included)."""
    from django.template.defaultfilters import floatformat

    from registry.templatetags.registry_tables import _percent

    assert _percent(value) == f"{floatformat(value, 1)}%"


def test_a_tiny_score_shows_as_zero():
    """floatformat wrote a subnormal float as its exponent; the reports' formatter rounds it."""
    from registry.templatetags.registry_tables import _percent

    assert _percent(2.2e-311) == "0.0%"
    assert _percent(0.04) == "0.0%" and _percent(0.05) == "0.1%"


@settings(max_examples=30, deadline=None)
@given(
    st.lists(units(), max_size=4), st.sampled_from(["UTC", "Asia/Bangkok", "Pacific/Kiritimati"])
)
def test_school_rows_show_moments_in_the_current_time_zone_as_the_loop(units, zone):
    # The rows look the time zone up once per table (be's tz): the current one, as the loop.
    with timezone.override(zone):
        assert _render(LOAD + "{% quality_school_rows units %}", units=units) == _render(
            SCHOOL_LOOP, units=units
        )
