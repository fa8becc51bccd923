"""The learner's module list written by `module_steps` is the markup the template loop gave,
for every state of a module and any title (Thai, markup characters)."""

from types import SimpleNamespace

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

# The loop the tag replaced, as it stood in the course page.
_LOOP = Template(
    """{% for m, unlocked, done in module_states %}
    <li><span>หน่วยที่ {{ m.order }} {{ m.title }} {% if done %}<span class="done">✓ ผ่าน</span>{% elif not unlocked %}<span class="muted">🔒</span>{% endif %}</span>
      {% if unlocked %}<a role="button" class="outline" href="{% url 'training:module' m.pk %}">{% if done %}ทบทวน{% else %}เข้าเรียน{% endif %}</a>{% endif %}</li>
    {% endfor %}"""  # noqa: E501
)
_TAG = Template("{% load training_steps %}{% module_steps module_states %}")

titles = st.text(alphabet=st.sampled_from("กขคเแ่้ ๑๒<>&\"'abc"), max_size=30)
states = st.lists(
    st.tuples(st.integers(1, 10**6), st.integers(0, 99), titles, st.booleans(), st.booleans()),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(states)
def test_module_steps_render_as_the_loop_did(rows):
    module_states = [
        (SimpleNamespace(pk=pk, order=order, title=title), unlocked, done)
        for pk, order, title, unlocked, done in rows
    ]
    context = {"module_states": module_states}
    assert _TAG.render(Context(context)) == _LOOP.render(Context(context))
