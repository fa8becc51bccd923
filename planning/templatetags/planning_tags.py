from django import template

register = template.Library()


@register.filter
def heat_row(heatmap, competency_id):
    """Cells of one competency across the heatmap's groups (None where nobody answered)."""
    return heatmap.row(competency_id)


@register.filter
def heat_alpha(pni) -> str:
    """Opacity for a PNI cell: 0.08 at 0, full at 0.5 and above (PNI rarely exceeds 0.5)."""
    if pni is None:
        return "0"
    return f"{min(max(pni, 0) / 0.5, 1) * 0.85 + 0.05:.2f}"


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form, name: str):
    """{{ form|field:"name" }}: a bound field by a variable name."""
    return form[name]


@register.filter
def figure(value) -> str:
    """{{ kpi.baseline|figure }}: a typed figure as the plan writes it ("80", "12.5", "0"),
    "—" when none was typed. `default:"—"` showed a baseline of 0 as nothing, and a
    target of 80 as "80.00"."""
    from planning.queries import figure as typed_figure

    return typed_figure(value)


@register.filter
def with_unit(value, unit: str) -> str:
    """{{ kpi.target|with_unit:kpi.unit }}: "ร้อยละ 80", "200 คน" (planning.queries.with_unit)."""
    from planning.queries import with_unit as figure_with_unit

    return "—" if value is None else figure_with_unit(value, unit)
