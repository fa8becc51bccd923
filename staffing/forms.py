from django import forms
from django.forms import inlineformset_factory

from krupd.forms import (
    ThaiBEYearField,
    ThaiDateField,
    ThaiDecimalField,
    ThaiInlineFormSet,
    ThaiIntegerField,
    ThaiModelForm,
    ThaiNumberInput,
    TrimmedTextInput,
)
from registry.models import LearningArea, SchoolLevel

from .models import AreaWeight, RuleRow, RuleSet


class RuleSetForm(ThaiModelForm):
    unique_with = ("office",)  # one version name per office
    effective_date = ThaiDateField(label="มีผลตั้งแต่ (พ.ศ.)")

    class Meta:
        model = RuleSet
        fields = [
            "name", "version", "source", "effective_date", "to_verify",
            "count_contract_staff", "contract_staff_to_verify", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class RuleRowForm(ThaiModelForm):
    class Meta:
        model = RuleRow
        fields = [
            "level", "basis", "band_min", "band_max", "administrators", "deputies", "teachers",
            "teachers_per_room", "students_per_teacher", "to_verify", "note",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        lo, hi = data.get("band_min"), data.get("band_max")
        if lo is not None and hi is not None and hi < lo:
            raise forms.ValidationError("ช่วงสิ้นสุดต้องไม่น้อยกว่าช่วงเริ่มต้น")
        return data


RuleRowFormSet = inlineformset_factory(
    RuleSet, RuleRow, form=RuleRowForm, formset=ThaiInlineFormSet, extra=2, can_delete=True
)


class CopyRuleSetForm(forms.Form):
    # Without invisible ends, as every model form's text box (krupd.forms): a zero-width space
    # pasted after "เขต-2570" made a second version that reads the same as the first.
    version = forms.CharField(label="ชื่อฉบับใหม่", max_length=50, widget=TrimmedTextInput)
    effective_date = ThaiDateField(label="มีผลตั้งแต่ (พ.ศ.)", required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        if RuleSet.objects.filter(office=self.office, version=version).exists():
            raise forms.ValidationError("เขตนี้มีเกณฑ์ฉบับชื่อนี้แล้ว")
        return version


class AreaWeightsForm(forms.Form):
    """A grid: one decimal field per (level, learning area); empty or 0 = no share."""

    def __init__(self, *args, rule_set, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(w.level, w.learning_area_id): w.weight for w in rule_set.area_weights.all()}
        self.areas = list(LearningArea.objects.exclude(code="admin"))
        self.levels = list(SchoolLevel.choices)
        for level, _label in self.levels:
            for area in self.areas:
                name = f"w_{level}_{area.pk}"
                self.fields[name] = ThaiDecimalField(
                    column=AreaWeight.weight, required=False, min_value=0,
                    initial=current.get((level, area.pk)),
                    widget=ThaiNumberInput(attrs={"style": "width:6rem"}, decimal=True),
                )  # fmt: skip

    def grid(self):
        return [
            (area, [self[f"w_{level}_{area.pk}"] for level, _ in self.levels])
            for area in self.areas
        ]

    def weights(self) -> dict:
        return {
            (level, area.pk): self.cleaned_data.get(f"w_{level}_{area.pk}")
            for level, _ in self.levels
            for area in self.areas
        }


class AnalysisForm(forms.Form):
    year = ThaiBEYearField(label="ปีการศึกษา (พ.ศ.)", min_value=2500, max_value=2700, required=False)
    rules = ThaiIntegerField(required=False, widget=forms.HiddenInput)
