from django import forms

from krupd.forms import (
    ThaiBahtField,
    ThaiBEYearField,
    ThaiDateField,
    ThaiDecimalField,
    ThaiInlineFormSet,
    ThaiIntegerField,
    ThaiModelForm,
    ThaiModelFormSet,
)
from krupd.lib import thai_dates
from krupd.lib.numerals import clean_text
from krupd.uploads import WORKBOOK, UploadField
from registry.models import PersonnelType

from .models import (
    Activity,
    BudgetLine,
    Competency,
    Domain,
    FrameItem,
    Framework,
    IdPlan,
    IdPlanItem,
    ItemKind,
    Kpi,
    Plan,
    PlanKind,
    Project,
    ProjectKpi,
    ProjectReport,
    Round,
    StrategicFrame,
    Topic,
)

# Thai digits and thousands separators must be typeable: a text box, not <input type=number>.
NUMBER = {"widget": forms.TextInput(attrs={"inputmode": "decimal"})}


class FrameworkForm(ThaiModelForm):
    unique_with = ("office",)  # one code and version per office
    scale_text = forms.CharField(
        label="ความหมายของแต่ละระดับ (บรรทัดละระดับ เริ่มจากต่ำสุด)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    class Meta:
        model = Framework
        fields = ["code", "version", "name", "source", "scale_min", "scale_max"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["scale_text"] = "\n".join(self.instance.scale_labels or [])

    def clean(self):
        data = super().clean()
        lo, hi = data.get("scale_min"), data.get("scale_max")
        if lo is not None and hi is not None and hi <= lo:
            self.add_error("scale_max", "คะแนนสูงสุดต้องมากกว่าคะแนนต่ำสุด")
        labels = [line.strip() for line in data.get("scale_text", "").splitlines() if line.strip()]
        if labels and lo is not None and hi is not None and len(labels) != hi - lo + 1:
            self.add_error(
                "scale_text", f"มาตรวัด {lo}–{hi} มี {hi - lo + 1} ระดับ แต่เขียนไว้ {len(labels)} บรรทัด"
            )
        self.instance.scale_labels = labels
        return data


class CopyFrameworkForm(forms.Form):
    version = forms.CharField(
        label="ชื่อฉบับใหม่",
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "ชื่อฉบับใหม่ เช่น 2569"}),
    )


class ImportFrameworkForm(forms.Form):
    file = UploadField(kind=WORKBOOK, label="ไฟล์ XLSX ตามแบบฟอร์มที่ส่งออกจากระบบ")


class DomainForm(ThaiModelForm):
    unique_with = ("framework",)  # one code per framework

    class Meta:
        model = Domain
        fields = ["code", "name", "sort_order"]


class CompetencyForm(ThaiModelForm):
    descriptors = forms.CharField(
        label="คำอธิบายระดับ (บรรทัดละระดับ เริ่มจากระดับต่ำสุด)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    class Meta:
        model = Competency
        fields = ["domain", "code", "name", "description", "sort_order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = framework.domains.all()
        if self.instance.pk:
            self.initial["descriptors"] = "\n".join(
                lv.descriptor for lv in self.instance.levels.all()
            )

    def descriptor_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["descriptors"].splitlines()]


TOPIC_NAME_TAKEN = "หัวข้อการพัฒนา: มีหัวข้อชื่อ “{name}” อยู่แล้ว (แถวที่ {first}) กรุณาใช้ชื่ออื่นหรือแก้แถวเดิม"


class BaseTopicFormSet(ThaiModelFormSet):
    """The office's whole catalogue on one page. A name twice (two new rows alike, a new row
    named as a kept one, a double click) is refused naming the row: the office is set only
    when saving, so the model form could not check the office's unique name, and the
    database refused it with a server error."""

    def clean(self):
        super().clean()
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, 1):
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name:
                continue  # an empty extra row, or a row refused already
            # A row marked for deletion keeps its name when answers or projects use it (it is
            # only taken out of the survey), so it still counts.
            key = " ".join(clean_text(name).split()).casefold()
            if key in seen:
                form.add_error("name", TOPIC_NAME_TAKEN.format(name=name, first=seen[key]))
            else:
                seen[key] = number


TopicFormSet = forms.modelformset_factory(
    Topic,
    form=ThaiModelForm,
    formset=BaseTopicFormSet,
    fields=["name", "competency_code", "active", "sort_order"],
    extra=3,
    can_delete=True,
)


class RoundForm(ThaiModelForm):
    opens = ThaiDateField(label="เปิดรับ (พ.ศ.)")
    closes = ThaiDateField(label="ปิดรับ (พ.ศ.)")
    target_types = forms.MultipleChoiceField(
        label="กลุ่มเป้าหมาย",
        choices=PersonnelType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Round
        fields = ["name", "year", "framework", "opens", "closes", "target_types"]

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["year"].widget.attrs.update({"min": 2500, "max": 2700})

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "วันปิดรับต้องไม่ก่อนวันเปิดรับ")
        elif opens and closes and (closes - opens).days > 366:
            self.add_error("closes", "รอบสำรวจหนึ่งรอบเปิดรับได้ไม่เกินหนึ่งปี")
        return data


class FrameForm(ThaiModelForm):
    class Meta:
        model = StrategicFrame
        fields = ["name", "start_year", "end_year", "vision", "source"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "ถึงปีงบประมาณต้องไม่ก่อนปีที่เริ่ม")
        elif start and end and end - start + 1 > FRAME_YEARS:
            self.add_error(
                "end_year",
                f"กรอบยุทธศาสตร์ครอบคลุมได้ไม่เกิน {FRAME_YEARS} ปีงบประมาณ "
                f"(เริ่ม {thai_dates.year_label(start)} ถึงได้ไม่เกิน "
                f"{thai_dates.year_label(start + FRAME_YEARS - 1)})",
            )
        return data


# The longest frame an office adopts is the national strategy's 20 years (ยุทธศาสตร์ชาติ
# 2561–2580); a longer span is a year typed wrong.
FRAME_YEARS = 20
# Each plan kind's longest span in fiscal years: the HR plan is a 3-year plan, the annual
# plan one year.
PLAN_YEARS = {PlanKind.HR_3Y: 3, PlanKind.ANNUAL: 1}


FrameItemFormSet = forms.inlineformset_factory(
    StrategicFrame,
    FrameItem,
    form=ThaiModelForm,
    formset=ThaiInlineFormSet,
    fields=["kind", "number", "text", "details"],
    extra=2,
    can_delete=True,
    widgets={
        "text": forms.Textarea(attrs={"rows": 2}),
        "details": forms.Textarea(attrs={"rows": 2}),
    },
)


class KpiForm(ThaiModelForm):
    baseline = ThaiDecimalField(
        column=Kpi.baseline,
        **NUMBER,
        label="ค่าฐาน",
        required=False,
    )
    target = ThaiDecimalField(
        column=Kpi.target,
        **NUMBER,
        label="ค่าเป้าหมาย",
        required=False,
    )

    class Meta:
        model = Kpi
        fields = ["number", "text", "baseline", "target", "unit", "year", "strategy", "measure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].widget = forms.Select(choices=measure_choices())


def measure_choices() -> list[tuple[str, str]]:
    """The dashboard's indicators a frame KPI can be measured by (none if reporting is off)."""
    from django.apps import apps

    choices = [("", "— ไม่ผูกกับแดชบอร์ด —")]
    if apps.is_installed("reporting"):
        from reporting.models import KpiTarget

        choices += list(
            KpiTarget.objects.filter(office=None, active=True)
            .order_by("sort_order")
            .values_list("code", "name")
        )
    return choices


class _KpiFormSet(ThaiInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["strategy"].queryset = (
            FrameItem.objects.filter(frame=self.instance, kind=ItemKind.STRATEGY)
            if self.instance.pk
            else FrameItem.objects.none()
        )


KpiFormSet = forms.inlineformset_factory(
    StrategicFrame, Kpi, form=KpiForm, formset=_KpiFormSet, extra=2, can_delete=True
)


class PlanForm(ThaiModelForm):
    class Meta:
        model = Plan
        fields = [
            "kind",
            "title",
            "fiscal_year",
            "end_year",
            "frame",
            "needs_round",
            "introduction",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, frames, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frame"].queryset = frames
        self.fields["needs_round"].queryset = rounds

    def clean(self):
        data = super().clean()
        if (
            data.get("fiscal_year")
            and data.get("end_year")
            and data["end_year"] < data["fiscal_year"]
        ):
            self.add_error("end_year", "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น")
        elif (
            data.get("kind") == PlanKind.ANNUAL
            and data.get("fiscal_year")
            and data.get("end_year")
            and data["end_year"] != data["fiscal_year"]
        ):
            # The annual plan's document is titled by its one fiscal year.
            self.add_error("end_year", "แผนปฏิบัติการประจำปีต้องสิ้นสุดในปีงบประมาณเดียวกับที่เริ่ม")
        elif (
            (longest := PLAN_YEARS.get(data.get("kind")))
            and data.get("fiscal_year")
            and data.get("end_year")
            and data["end_year"] - data["fiscal_year"] + 1 > longest
        ):
            start = data["fiscal_year"]
            self.add_error(
                "end_year",
                f"{PlanKind(data['kind']).label} ครอบคลุมได้ไม่เกิน {longest} ปีงบประมาณ "
                f"(เริ่ม {thai_dates.year_label(start)} ถึงได้ไม่เกิน "
                f"{thai_dates.year_label(start + longest - 1)})",
            )
        return data


class CopyPlanForm(forms.Form):
    fiscal_year = ThaiBEYearField(
        **NUMBER, label="ปีงบประมาณของแผนใหม่ (พ.ศ.)", min_value=2500, max_value=2700
    )


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label="ความเห็น", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProjectForm(ThaiModelForm):
    target_count = ThaiIntegerField(
        **NUMBER, label="จำนวนเป้าหมาย (คน)", required=False, min_value=0
    )

    class Meta:
        model = Project
        fields = [
            "number", "name", "rationale", "objectives", "target_groups", "target_count",
            "expected_results", "owner", "strategies", "competencies", "topics",
        ]  # fmt: skip
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 2}),
            "strategies": forms.CheckboxSelectMultiple,
            "competencies": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategies"].queryset = FrameItem.objects.filter(
            frame_id=plan.frame_id, kind=ItemKind.STRATEGY
        )
        fw_id = plan.needs_round.framework_id if plan.needs_round_id else None
        self.fields["competencies"].queryset = Competency.objects.filter(
            domain__framework_id=fw_id
        ).select_related("domain")
        self.fields["topics"].queryset = Topic.objects.filter(office_id=plan.office_id)


class ActivityForm(ThaiModelForm):
    starts = ThaiDateField(label="เริ่ม (พ.ศ.)", required=False)
    ends = ThaiDateField(label="สิ้นสุด (พ.ศ.)", required=False)

    class Meta:
        model = Activity
        fields = ["name", "mode", "starts", "ends", "participants"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        return data


class BudgetForm(ThaiModelForm):
    amount = ThaiBahtField(
        column=BudgetLine.amount,
        **NUMBER,
        label="งบประมาณ (บาท)",
    )
    actual = ThaiBahtField(
        column=BudgetLine.actual,
        **NUMBER,
        label="ใช้จริง (บาท)",
        required=False,
    )

    class Meta:
        model = BudgetLine
        fields = ["item", "amount", "source", "actual"]


class ProjectKpiForm(ThaiModelForm):
    target = ThaiDecimalField(
        column=ProjectKpi.target,
        **NUMBER,
        label="ค่าเป้าหมาย",
        required=False,
    )
    actual = ThaiDecimalField(
        column=ProjectKpi.actual,
        **NUMBER,
        label="ผลจริง",
        required=False,
    )

    class Meta:
        model = ProjectKpi
        fields = ["text", "target", "unit", "actual"]


ActivityFormSet = forms.inlineformset_factory(
    Project, Activity, form=ActivityForm, formset=ThaiInlineFormSet, extra=2, can_delete=True
)
BudgetFormSet = forms.inlineformset_factory(
    Project, BudgetLine, form=BudgetForm, formset=ThaiInlineFormSet, extra=2, can_delete=True
)
ProjectKpiFormSet = forms.inlineformset_factory(
    Project, ProjectKpi, form=ProjectKpiForm, formset=ThaiInlineFormSet, extra=1, can_delete=True
)


class ProjectReportForm(ThaiModelForm):
    class Meta:
        model = ProjectReport
        fields = ["summary", "quality_results", "success_factors", "problems", "suggestions"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class KpiResultForm(ThaiModelForm):
    """The result of one of the project's KPIs: only the figure achieved is written here;
    the KPI and its target belong to the approved plan."""

    actual = ThaiDecimalField(
        column=ProjectKpi.actual,
        **NUMBER,
        label="ผลการดำเนินงาน",
        required=False,
    )

    class Meta:
        model = ProjectKpi
        fields = ["actual"]


class SpendingForm(ThaiModelForm):
    actual = ThaiBahtField(
        column=BudgetLine.actual,
        **NUMBER,
        label="ใช้จริง (บาท)",
        required=False,
    )

    class Meta:
        model = BudgetLine
        fields = ["actual"]


KpiResultFormSet = forms.inlineformset_factory(
    Project, ProjectKpi, form=KpiResultForm, formset=ThaiInlineFormSet, extra=0, can_delete=False
)
SpendingFormSet = forms.inlineformset_factory(
    Project, BudgetLine, form=SpendingForm, formset=ThaiInlineFormSet, extra=0, can_delete=False
)


class IdPlanForm(ThaiModelForm):
    class Meta:
        model = IdPlan
        fields = ["goal"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}


IdPlanItemFormSet = forms.inlineformset_factory(
    IdPlan,
    IdPlanItem,
    form=ThaiModelForm,
    formset=ThaiInlineFormSet,
    fields=["title", "mode", "period", "expected_outcome"],
    extra=1,
    can_delete=True,
)


def scale_value(raw, lo: int, hi: int) -> int | None:
    """A rating typed or picked (Thai digits allowed); None when blank; ValueError outside."""
    text = clean_text(raw)
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)
