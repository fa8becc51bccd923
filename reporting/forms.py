from django import forms

from imports.forms import SpreadsheetUploadForm, spreadsheet_field
from krupd.forms import ThaiDecimalField, ThaiModelForm
from krupd.uploads import DOCUMENT, UploadField

from .models import FocusAnswer, InspectionReport, OnetNationalMean, SarEntry
from .onet import ONET_SUBJECTS


class OnetUploadForm(SpreadsheetUploadForm):
    file = spreadsheet_field("ไฟล์ผล O-NET", "คอลัมน์: รหัสสถานศึกษา วิชา ปีการศึกษา คะแนนเฉลี่ย (ชั้น ถ้ามี)")


class NationalMeanForm(ThaiModelForm):
    """One national O-NET mean, typed from NIETS' published results."""

    mean = ThaiDecimalField(
        column=OnetNationalMean.mean,
        label="ค่าเฉลี่ยระดับประเทศ",
        min_value=0,
        max_value=100,
    )

    class Meta:
        model = OnetNationalMean
        fields = ["academic_year", "grade", "subject", "mean", "source"]

    def __init__(self, *args, subjects: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        names = list(dict.fromkeys([*ONET_SUBJECTS, *subjects]))
        self.fields["subject"] = forms.ChoiceField(
            label="วิชา", choices=[("", "— เลือกวิชา —")] + [(n, n) for n in names],
            help_text="วิชาตามที่นำเข้าผลของโรงเรียน ชื่อต้องตรงกันจึงเปรียบเทียบได้",
        )  # fmt: skip
        self.fields["academic_year"].help_text = "ปีการศึกษาที่สอบ (พ.ศ.)"

    def clean_academic_year(self):
        year = self.cleaned_data["academic_year"]
        if not 2540 <= year <= 2700:
            raise forms.ValidationError("ปีการศึกษาต้องเป็นปี พ.ศ. เช่น 2567")
        return year


LEVEL_CHOICES = [("", "— ยังไม่ตัดสิน —")] + [(str(i), f"ระดับ {i}") for i in range(1, 5)]


class SarEntryForm(ThaiModelForm):
    officer_level = forms.TypedChoiceField(
        label="ระดับคุณภาพที่เจ้าหน้าที่ตัดสิน",
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = SarEntry
        fields = [
            "officer_level",
            "office_data",
            "success_factors",
            "problems",
            "points_to_develop",
            "guidelines",
            "extra_evidence",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "office_data",
                "success_factors",
                "problems",
                "points_to_develop",
                "guidelines",
                "extra_evidence",
            ]
        }


class AttachmentForm(forms.Form):
    label = forms.CharField(label="ชื่อเอกสาร", max_length=300)
    file = UploadField(kind=DOCUMENT, label="ไฟล์")


class FocusAnswerForm(ThaiModelForm):
    class Meta:
        model = FocusAnswer
        fields = ["success_factors", "best_practice", "area_suggestions", "policy_suggestions"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


def problem_rows_error(data) -> str:
    """A row with a solution but no problem would be dropped by problems_from: say which."""
    rows = [
        str(i)
        for i in range(1, 21)
        if data.get(f"solution_{i}", "").strip() and not data.get(f"problem_{i}", "").strip()
    ]
    if not rows:
        return ""
    return f"แถวที่ {', '.join(rows)} ของตารางปัญหา: มีวิธีการแก้ไขแต่ยังไม่ได้กรอกปัญหา/อุปสรรค"


def problems_from(data) -> list[tuple[str, str]]:
    """The problems ↔ solutions rows of a posted form (problem_1, solution_1, …)."""
    rows = []
    for i in range(1, 21):
        problem = data.get(f"problem_{i}", "").strip()
        if problem:
            rows.append((problem, data.get(f"solution_{i}", "").strip()))
    return rows


class InspectionFrontForm(ThaiModelForm):
    class Meta:
        model = InspectionReport
        fields = ["round_number", "foreword"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 4})}
