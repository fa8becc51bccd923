from django import forms

from krupd.forms import ThaiModelForm

from .models import InspectionRound, RoundPointSummary


class OpenRoundForm(ThaiModelForm):
    class Meta:
        model = InspectionRound
        fields = ["fiscal_year", "round_number", "title", "due_date"]


class RoundFrontForm(ThaiModelForm):
    class Meta:
        model = InspectionRound
        fields = ["title", "due_date", "foreword"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 5})}


class PointSummaryForm(ThaiModelForm):
    class Meta:
        model = RoundPointSummary
        fields = ["summary", "success_factors", "area_suggestions", "policy_suggestions"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "รับรายงาน"), ("return", "ส่งกลับแก้ไข")])
    comment = forms.CharField(label="ความเห็นถึงหน่วยงาน", required=False, widget=forms.Textarea)
