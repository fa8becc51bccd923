from django import forms

from accounts.models import User
from krupd.forms import ThaiDateField, ThaiDecimalField, ThaiModelForm
from registry.models import AcademicStanding, Person
from registry.picker import PersonPickerField

from .models import CareerRules, CreditorKind, DebtCase, PAAgreement, StandingRequest

LEVELS = [(4, "4"), (3, "3"), (2, "2"), (1, "1")]


class AgreementForm(ThaiModelForm):
    class Meta:
        model = PAAgreement
        fields = [
            "teaching_hours",
            "support_hours",
            "quality_hours",
            "policy_hours",
            "challenge_title",
            "challenge_problem",
            "challenge_method",
            "challenge_quant",
            "challenge_qual",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ["challenge_problem", "challenge_method", "challenge_quant", "challenge_qual"]
        }

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for key, label in (("tasks", "งาน"), ("outcomes", "ผลลัพธ์"), ("measures", "ตัวชี้วัด")):
                self.fields[f"i{item.indicator_id}_{key}"] = forms.CharField(
                    label=label,
                    required=False,
                    initial=getattr(item, key),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def item_rows(self):
        for item in self.items:
            yield (
                item,
                [self[f"i{item.indicator_id}_{k}"] for k in ("tasks", "outcomes", "measures")],
            )

    def item_data(self) -> dict[int, dict]:
        return {
            item.indicator_id: {
                k: self.cleaned_data[f"i{item.indicator_id}_{k}"]
                for k in ("tasks", "outcomes", "measures")
            }
            for item in self.items
        }


class EvaluatorsForm(forms.Form):
    def __init__(self, *args, users, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for seat in (1, 2, 3):
            field = forms.ModelChoiceField(
                queryset=users, label=f"ผู้ประเมินคนที่ {seat}", initial=current.get(seat)
            )
            field.label_from_instance = lambda u: (
                f"{u.get_full_name() or u.username} ({u.role_label})"
            )
            self.fields[f"seat{seat}"] = field

    def evaluators(self) -> list[User]:
        return [self.cleaned_data[f"seat{s}"] for s in (1, 2, 3)]


class EvaluationForm(forms.Form):
    method = forms.TypedChoiceField(
        label="ประเด็นท้าทาย: วิธีการดำเนินการ (20 คะแนน)",
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    quant = forms.TypedChoiceField(
        label="ผลลัพธ์เชิงปริมาณ (10 คะแนน)", choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    qual = forms.TypedChoiceField(
        label="ผลลัพธ์เชิงคุณภาพ (10 คะแนน)", choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="ข้อเสนอแนะ", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        saved = evaluation.indicator_levels or {}
        for ind in self.indicators:
            self.fields[f"ind{ind.pk}"] = forms.TypedChoiceField(
                label=str(ind),
                choices=LEVELS,
                coerce=int,
                widget=forms.RadioSelect,
                initial=saved.get(str(ind.pk)),
            )
        self.fields["method"].initial = evaluation.challenge_method_level
        self.fields["quant"].initial = evaluation.challenge_quant_level
        self.fields["qual"].initial = evaluation.challenge_qual_level
        self.fields["comment"].initial = evaluation.comment

    def indicator_fields(self):
        return [self[f"ind{i.pk}"] for i in self.indicators]

    def levels(self) -> dict[int, int]:
        return {i.pk: self.cleaned_data[f"ind{i.pk}"] for i in self.indicators}


class StandingRequestForm(ThaiModelForm):
    person = PersonPickerField(queryset=Person.objects.none(), label="ผู้ยื่นขอ")
    submitted_on = ThaiDateField(label="วันที่ยื่น", required=False)

    class Meta:
        model = StandingRequest
        fields = ["person", "to_standing", "submitted_on", "status", "note"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["to_standing"].queryset = AcademicStanding.objects.filter(rank__gte=2)


class DeductionForm(forms.Form):
    creditor_kind = forms.ChoiceField(label="ประเภทเจ้าหนี้", choices=CreditorKind.choices)
    creditor = forms.CharField(label="เจ้าหนี้", max_length=200)
    monthly = ThaiDecimalField(label="หักต่อเดือน (บาท)", min_value=0, decimal_places=2)
    outstanding = ThaiDecimalField(
        label="ยอดหนี้คงเหลือ (บาท)", min_value=0, decimal_places=2, required=False
    )


DeductionFormSet = forms.formset_factory(DeductionForm, extra=2, can_delete=True)


class DebtProfileForm(forms.Form):
    gross = ThaiDecimalField(label="เงินเดือน (บาท/เดือน)", min_value=0.01, decimal_places=2)
    other_income = ThaiDecimalField(
        label="เงินเพิ่ม/ค่าตอบแทนอื่นที่รับผ่านเงินเดือน (บาท)", min_value=0, decimal_places=2, initial=0
    )


class DebtCaseForm(ThaiModelForm):
    opened_on = ThaiDateField(label="วันที่ยื่นคำขอ")

    class Meta:
        model = DebtCase
        fields = ["opened_on", "creditor_kind", "request", "outcome", "outcome_note"]
        widgets = {
            "request": forms.Textarea(attrs={"rows": 2}),
            "outcome_note": forms.Textarea(attrs={"rows": 2}),
        }


__all__ = ["Person"]


def _pct_field(name: str) -> ThaiDecimalField:
    field = CareerRules._meta.get_field(name)
    return ThaiDecimalField(
        label=field.verbose_name,
        help_text=field.help_text,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )


class CareerRulesForm(ThaiModelForm):
    pa_pass_pct = _pct_field("pa_pass_pct")
    debt_net_min_pct = _pct_field("debt_net_min_pct")

    class Meta:
        model = CareerRules
        fields = ["pa_pass_pct", "debt_net_min_pct"]
