from django import forms
from django.utils import timezone

from accounts.models import User
from accounts.picker import AccountPickerField
from krupd.forms import RowForm, ThaiDateField, ThaiDecimalField, ThaiModelForm
from krupd.uploads import EVIDENCE, UploadField
from registry.models import AcademicStanding, Person
from registry.picker import PersonPickerField

from .models import (
    WORKLOAD_TOTAL_FIELD,
    CareerRules,
    CreditorKind,
    DebtCase,
    DebtProfile,
    Deduction,
    PAAgreement,
    PAWorkload,
    RequestStatus,
    StandingRequest,
    WorkloadKind,
)

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
        if self.instance.pk and self.instance.workload.exists():
            # The totals are the sums of the workload table's lines (edited there).
            for name in WORKLOAD_TOTAL_FIELD.values():
                self.fields[name].disabled = True
                self.fields[name].help_text = "รวมจากตารางภาระงาน"
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
    """Three seats, each one account found with the picker (``users``: who may evaluate).
    The teacher being evaluated is not offered; posted anyway, actions.assign_evaluators
    refuses them saying why."""

    def __init__(self, *args, users, current: dict, evaluated_person_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        for seat in (1, 2, 3):
            label = f"ผู้ประเมินคนที่ {seat}"
            field = self.fields[f"seat{seat}"] = AccountPickerField(
                queryset=users,
                label=label,
                initial=current.get(seat),
                error_messages={
                    "required": f"ยังไม่ได้เลือก{label}",
                    "invalid_choice": f"{label}: เลือกได้เฉพาะผู้ใช้ที่เปิดใช้งานของเขตพื้นที่นี้ "
                    "(ไม่รวมผู้ตรวจราชการ) โปรดค้นหาและเลือกใหม่",
                },
            )
            if evaluated_person_id:
                field.widget.candidates = users.exclude(person_id=evaluated_person_id)

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

    # Not a column: the day an approved standing takes effect, for the person's history.
    effective_date = ThaiDateField(
        label="วันที่มีผล (เมื่ออนุมัติ)",
        required=False,
        help_text="เมื่อบันทึกสถานะ “อนุมัติ” วิทยฐานะในทะเบียนบุคลากรจะเปลี่ยนตามคำขอ เว้นว่างหมายถึงวันที่ยื่น",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["to_standing"].queryset = AcademicStanding.objects.filter(rank__gte=2)

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("วันที่มีผลต้องไม่เป็นวันในอนาคต")
        return day

    def clean(self):
        data = super().clean()
        person, standing = data.get("person"), data.get("to_standing")
        current = person.academic_standing if person else None
        if standing and current and standing.rank <= current.rank and not self._approved_already():
            self.add_error(
                "to_standing",
                f"วิทยฐานะที่ขอต้องสูงกว่าวิทยฐานะปัจจุบัน ({current.name})",
            )
        return data

    def _approved_already(self) -> bool:
        """An approved request's person holds the standing it gave: editing its note is fine."""
        return bool(self.instance.pk) and self.instance.status == RequestStatus.APPROVED


class DebtPersonForm(forms.Form):
    """Whose income and debts to record next (the debt list's "add" box)."""

    person = PersonPickerField(
        queryset=Person.objects.none(),
        label="บุคลากรที่จะบันทึกข้อมูลรายได้และหนี้สิน",
        error_messages={
            "required": "ยังไม่ได้เลือกบุคลากรที่จะบันทึกข้อมูลรายได้และหนี้สิน",
            "invalid_choice": "บุคลากรที่จะบันทึกข้อมูลรายได้และหนี้สิน: เลือกได้เฉพาะบุคลากร"
            "ของเขตพื้นที่นี้ที่ยังไม่มีข้อมูล โปรดค้นหาและเลือกใหม่",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DeductionForm(RowForm):
    creditor_kind = forms.ChoiceField(label="ประเภทเจ้าหนี้", choices=CreditorKind.choices)
    creditor = forms.CharField(label="เจ้าหนี้", max_length=200)
    monthly = ThaiDecimalField(
        column=Deduction.monthly,
        label="หักต่อเดือน (บาท)",
        min_value=0,
    )
    outstanding = ThaiDecimalField(
        column=Deduction.outstanding,
        label="ยอดหนี้คงเหลือ (บาท)",
        min_value=0,
        required=False,
    )


DeductionFormSet = forms.formset_factory(DeductionForm, extra=2, can_delete=True)


class DebtProfileForm(forms.Form):
    gross = ThaiDecimalField(
        column=DebtProfile.gross_salary,
        label="เงินเดือน (บาท/เดือน)",
        min_value=0.01,
    )
    other_income = ThaiDecimalField(
        column=DebtProfile.other_income,
        label="เงินเพิ่ม/ค่าตอบแทนอื่นที่รับผ่านเงินเดือน (บาท)",
        min_value=0,
        initial=0,
    )


class DebtCaseForm(ThaiModelForm):
    opened_on = ThaiDateField(label="วันที่ยื่นคำขอ")
    assigned_officer = AccountPickerField(
        queryset=User.objects.none(),
        label="เจ้าหน้าที่ผู้รับผิดชอบ",
        required=False,
        help_text="ผู้ที่เลือกได้รับแจ้งในระบบ (ข้อความไม่มีรายละเอียดของคำขอ)",
        error_messages={
            "invalid_choice": "เจ้าหน้าที่ผู้รับผิดชอบ: เลือกได้เฉพาะผู้ใช้ของเขตพื้นที่นี้ที่ดูแล"
            "สถานีแก้หนี้ครู โปรดค้นหาและเลือกใหม่"
        },
    )

    class Meta:
        model = DebtCase
        fields = [
            "opened_on", "creditor_kind", "request", "assigned_officer", "outcome", "outcome_note",
        ]  # fmt: skip
        widgets = {
            "request": forms.Textarea(attrs={"rows": 2}),
            "outcome_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["assigned_officer"].queryset = officers


__all__ = ["Person"]


def _pct_field(name: str) -> ThaiDecimalField:
    field = CareerRules._meta.get_field(name)
    return ThaiDecimalField(
        column=field,
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


# ---------------------------------------------------------------------- PA evidence pack


class WorkloadLineForm(RowForm):
    kind = forms.ChoiceField(label="กลุ่มภาระงาน", choices=WorkloadKind.choices)
    title = forms.CharField(label="รายวิชา/งาน", max_length=300)
    hours = ThaiDecimalField(
        column=PAWorkload.hours,
        label="ชั่วโมง/สัปดาห์",
        min_value=0,
        max_value=60,
    )


WorkloadFormSet = forms.formset_factory(WorkloadLineForm, extra=2, can_delete=True)


def workload_lines(formset) -> list[dict]:
    """The kept lines of a valid workload formset, in the form's order."""
    return [
        {"kind": f["kind"], "title": f["title"].strip(), "hours": f["hours"]}
        for f in formset.cleaned_data
        if f and not f.get("DELETE")
    ]


class SectionReportForm(forms.Form):
    report = forms.CharField(
        label="ผลการดำเนินงาน",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="สิ่งที่ทำและผลที่เกิดกับผู้เรียนในรอบนี้ (ใช้ในรายงานผลการพัฒนางานตามข้อตกลง)",
    )


class ChallengeResultForm(forms.Form):
    actual_quant = forms.CharField(
        label="ผลลัพธ์ที่เกิดขึ้นจริง: เชิงปริมาณ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="เช่น นักเรียนร้อยละ 82 ผ่านเกณฑ์ (เป้าหมายร้อยละ 80)",
    )
    actual_qual = forms.CharField(
        label="ผลลัพธ์ที่เกิดขึ้นจริง: เชิงคุณภาพ", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidencePickForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label="เลือกจากข้อมูลของฉัน",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "กรุณาเลือกหลักฐานอย่างน้อย 1 รายการ",
            "invalid_choice": "หลักฐานที่เลือกไม่ใช่ข้อมูลของท่านในรอบการประเมินนี้ กรุณาเลือกใหม่",
        },
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [(o.key, o.title) for o in options]


class EvidenceUploadForm(forms.Form):
    title = forms.CharField(
        label="ชื่อหลักฐาน",
        max_length=300,
        error_messages={"required": "กรุณาตั้งชื่อหลักฐาน เช่น “แผนการจัดการเรียนรู้ หน่วยที่ 1”"},
    )
    file = UploadField(kind=EVIDENCE, label="ไฟล์", required=False)
    url = forms.URLField(
        label="หรือลิงก์ (วีดิทัศน์/เอกสารออนไลน์)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "ลิงก์ไม่ถูกต้อง ตัวอย่าง: https://www.youtube.com/watch?v=…"},
        help_text="เช่น ลิงก์ YouTube หรือ Google Drive ที่เปิดให้ผู้ประเมินดูได้",
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("ลิงก์ต้องขึ้นต้นด้วย https:// หรือ http://")
        return url

    def clean(self):
        data = super().clean()
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if not self.errors and has_file == has_url:
            raise forms.ValidationError(
                "แนบไฟล์หรือใส่ลิงก์อย่างใดอย่างหนึ่ง" if has_file else "กรุณาเลือกไฟล์ หรือใส่ลิงก์ของหลักฐาน"
            )
        return data
