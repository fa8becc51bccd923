from decimal import Decimal

from django import forms

from accounts.models import User
from accounts.picker import AccountsPickerField
from krupd.forms import ThaiDateField, ThaiDecimalField, ThaiModelForm
from krupd.lib.clipping import clip
from krupd.lib.numerals import format_figure
from krupd.uploads import DOCUMENT, EVIDENCE, UploadField
from registry.models import Person, School
from registry.picker import PeoplePickerField, PersonPickerField
from reporting.onet import ONET_SUBJECTS

from .goal_measures import MEASURE_CHOICES, MEASURES
from .models import (
    MOU,
    AwardCriterion,
    AwardLevel,
    AwardRound,
    BestPractice,
    CommunityRules,
    JointActivity,
    NetworkActivity,
    NetworkBudget,
    NetworkGoal,
    NetworkProfile,
    Partner,
    PLCGroup,
    PLCMeeting,
    ResultOutcome,
    Score,
    Visit,
)
from .picker import CoursePickerField


def _people_label(p: Person) -> str:
    return f"{p.full_name} ({p.workplace_name})" if p.school_id else p.full_name


class PeopleField(PeoplePickerField):
    """Several people: the shared picker (search, filters, select all filtered)."""

    def label_from_instance(self, obj):
        return _people_label(obj)


class PersonField(PersonPickerField):
    """One person: the shared picker in single-choice mode (search and filters, no long list)."""

    def label_from_instance(self, obj):
        return _people_label(obj)


class PLCGroupForm(ThaiModelForm):
    facilitator = PersonField(queryset=Person.objects.none(), label="ผู้อำนวยความสะดวก (Facilitator)")
    members = PeopleField(queryset=Person.objects.none(), label="สมาชิก", required=False)

    class Meta:
        model = PLCGroup
        fields = [
            "level",
            "school",
            "network",
            "name",
            "topic",
            "target_learners",
            "learning_area",
            "facilitator",
            "members",
            "academic_year",
        ]

    def __init__(self, *args, people, schools, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = people
        self.fields["members"].queryset = people
        self.fields["school"].queryset = schools
        self.fields["network"].queryset = networks
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.members.all())

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level == "school" and not data.get("school"):
            self.add_error("school", "กลุ่มระดับสถานศึกษาต้องระบุสถานศึกษา")
        if level == "network" and not data.get("network"):
            self.add_error("network", "กลุ่มระดับเครือข่ายต้องระบุเครือข่าย")
        if level != "school":
            data["school"] = None
        if level != "network":
            data["network"] = None
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """Several files at once, each checked like a single upload of the kind."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class PLCMeetingForm(ThaiModelForm):
    date = ThaiDateField(label="วันที่")
    hours = ThaiDecimalField(
        column=PLCMeeting.hours,
        label="จำนวนชั่วโมง",
        min_value=0.5,
        max_value=24,
    )
    attendees = PeopleField(
        queryset=Person.objects.none(), label="ผู้เข้าร่วม", widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(kind=EVIDENCE, label="ไฟล์หลักฐาน (ภาพ/เอกสาร/วิดีโอ)", required=False)

    class Meta:
        model = PLCMeeting
        fields = [
            "date",
            "hours",
            "problem",
            "plan",
            "action",
            "observation",
            "reflection",
            "attendees",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ["problem", "plan", "action", "observation", "reflection"]
        }

    def __init__(self, *args, group: PLCGroup, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(
            pk__in={*group.members.values_list("pk", flat=True), group.facilitator_id}
        ).order_by("first_name")
        self.fields["attendees"].queryset = people
        self.fields["attendees"].initial = list(people)


class VisitForm(ThaiModelForm):
    date = ThaiDateField(label="วันที่")
    next_visit = ThaiDateField(label="นัดครั้งต่อไป", required=False)
    people = PeopleField(queryset=Person.objects.none(), label="ผู้รับการนิเทศ", required=False)
    course = CoursePickerField(
        label=Visit._meta.get_field("course").verbose_name,
        help_text=Visit._meta.get_field("course").help_text,
        required=False,
    )

    class Meta:
        model = Visit
        fields = [
            "school",
            "kind",
            "status",
            "date",
            "visitor_name",
            "people",
            "focus",
            "findings",
            "follow_up",
            "next_visit",
            "course",
        ]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, schools, people, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["people"].queryset = people
        self.fields["course"].queryset = courses
        if self.instance.pk:
            self.fields["people"].initial = list(self.instance.people.all())
        if self.instance.course_ref and not self.instance.course_id:
            self.fields["course"].help_text = f"ข้อความเดิม: {self.instance.course_ref}"


class NetworkProfileForm(ThaiModelForm):
    chair = PersonField(queryset=Person.objects.none(), label="ประธานเครือข่าย", required=False)
    secretary = PersonField(queryset=Person.objects.none(), label="เลขานุการ", required=False)
    supervisor = PersonField(
        queryset=Person.objects.none(), label="ศึกษานิเทศก์ผู้รับผิดชอบ", required=False
    )
    committee = PeopleField(queryset=Person.objects.none(), label="กรรมการเครือข่าย", required=False)

    class Meta:
        model = NetworkProfile
        fields = ["kind", "chair", "secretary", "committee", "supervisor", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, people, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "committee"):
            self.fields[name].queryset = people
        self.fields["supervisor"].queryset = supervisors
        if self.instance.pk:
            self.fields["committee"].initial = list(self.instance.committee.all())


class NetworkGoalForm(ThaiModelForm):
    """A goal either of a measurable kind (computed from the schools' data, target as a
    percentage of schools) or written as text and judged by the officers."""

    target_percent = ThaiDecimalField(
        column=NetworkGoal.target_percent, label="เป้าหมาย (ร้อยละของโรงเรียน)", min_value=0,
        max_value=100, required=False,
    )  # fmt: skip

    class Meta:
        model = NetworkGoal
        fields = ["academic_year", "measure", "grade", "subject", "students_per_teacher",
                  "target_percent", "text", "target", "actual", "achieved"]  # fmt: skip
        help_texts = {
            "measure": "ระบบคำนวณผลจากข้อมูลของโรงเรียนในเครือข่ายให้ ไม่ต้องกรอกผลที่ได้ "
            "ถ้าเป้าหมายวัดจากข้อมูลในระบบไม่ได้ ให้เว้นว่างและเขียนเป้าหมายเอง",
            "achieved": "เฉพาะเป้าหมายที่เขียนเอง เมื่อค่าเป้าหมายและผลที่ได้เป็นตัวเลข "
            "ระบบตัดสินให้ (เช่น 88% ไม่ถึงเป้า 100%)",
        }

    def __init__(self, *args, subjects: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        names = list(dict.fromkeys([*ONET_SUBJECTS, *subjects]))
        self.fields["subject"] = forms.ChoiceField(
            label="วิชา (O-NET)", required=False,
            choices=[("", "—")] + [(n, n) for n in names],
        )  # fmt: skip
        self.fields["measure"].choices = [("", "— เป้าหมายที่เขียนเอง —")] + MEASURE_CHOICES
        self.fields["text"].required = self.fields["target"].required = False
        self.fields["text"].label = "เป้าหมาย (เขียนเอง)"

    def clean(self):
        data = super().clean()
        measure = MEASURES.get(data.get("measure") or "")
        if measure:
            for name in (*measure.fields, "target_percent"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "เป้าหมายที่คำนวณจากข้อมูลต้องระบุช่องนี้")
            # What this kind does not use is not kept (a ratio goal has no subject).
            for name in {"grade", "subject", "students_per_teacher"} - set(measure.fields):
                data[name] = None if name == "students_per_teacher" else ""
            # The result is computed, never typed or ticked.
            data["actual"], data["achieved"] = "", None
        else:
            for name in ("text", "target"):
                if not data.get(name):
                    self.add_error(name, "เป้าหมายที่เขียนเองต้องระบุช่องนี้")
            data["grade"] = data["subject"] = ""
            data["target_percent"] = data["students_per_teacher"] = None
        return data


class NetworkActivityForm(ThaiModelForm):
    date = ThaiDateField(label="วันที่")
    cost = ThaiDecimalField(
        column=NetworkActivity.cost, label="ค่าใช้จ่าย (บาท)", min_value=0, initial=0
    )

    class Meta:
        model = NetworkActivity
        fields = ["date", "title", "participants", "cost", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class NetworkBudgetForm(ThaiModelForm):
    amount = ThaiDecimalField(column=NetworkBudget.amount, label="งบประมาณที่ได้รับ (บาท)", min_value=0)

    class Meta:
        model = NetworkBudget
        fields = ["fiscal_year", "amount", "source"]


class PartnerForm(ThaiModelForm):
    since = ThaiDateField(label="เริ่มร่วมมือ")

    class Meta:
        model = Partner
        fields = ["name", "kind", "contact", "since"]


class MOUForm(ThaiModelForm):
    signed_on = ThaiDateField(label="วันที่ลงนาม")
    starts = ThaiDateField(label="เริ่ม")
    ends = ThaiDateField(label="สิ้นสุด", required=False)

    class Meta:
        model = MOU
        fields = ["title", "signed_on", "starts", "ends", "scope", "file"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("ends") and data.get("starts") and data["ends"] < data["starts"]:
            self.add_error("ends", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        return data


class JointActivityForm(ThaiModelForm):
    date = ThaiDateField(label="วันที่")
    cash = ThaiDecimalField(
        column=JointActivity.cash, label="เงินสนับสนุน (บาท)", min_value=0, initial=0
    )
    in_kind_value = ThaiDecimalField(
        column=JointActivity.in_kind_value, label="มูลค่าสิ่งของ/บริการ (บาท)", min_value=0, initial=0
    )

    class Meta:
        model = JointActivity
        fields = ["date", "title", "mou", "network", "cash", "in_kind_value", "in_kind"]

    def __init__(self, *args, partner: Partner, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mou"].queryset = partner.mous.all()
        self.fields["network"].queryset = networks


class RoundForm(ThaiModelForm):
    closes_on = ThaiDateField(label="ปิดรับการเสนอชื่อ", required=False)
    judges = AccountsPickerField(
        queryset=User.objects.none(),
        label="คณะกรรมการ",
        required=False,
        help_text="กรรมการให้คะแนนผลงานที่เสนอชื่อเมื่อรอบอยู่ในขั้นพิจารณา",
        error_messages={
            "invalid_choice": "คณะกรรมการ: เลือกได้เฉพาะผู้ใช้ที่เปิดใช้งานของเขตพื้นที่นี้ โปรดค้นหาและเลือกใหม่"
        },
    )
    criteria = forms.CharField(
        label="เกณฑ์การพิจารณา (บรรทัดละเกณฑ์: ชื่อเกณฑ์ | น้ำหนัก | คะแนนเต็ม)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="เช่น “ผลงานที่ปรากฏต่อผู้เรียน | 40 | 10”",
    )

    class Meta:
        model = AwardRound
        fields = [
            "programme",
            "year",
            "title",
            "status",
            "closes_on",
            "allow_self",
            "winners",
            "min_score",
            "judges",
        ]
        labels = {"programme": "รางวัล"}

    def __init__(self, *args, programmes, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["judges"].queryset = judges
        if self.instance.pk:
            self.fields["criteria"].initial = "\n".join(
                f"{c.name} | {format_figure(c.weight)} | {format_figure(c.max_score)}"
                for c in self.instance.criteria.all()
            )

    def clean_criteria(self) -> list[dict]:
        # Each figure is read by the product's one number box for its column: Thai digits
        # and "1,000" read as numbers, while "Infinity", "NaN", "1e30" or a weight wider than
        # the column are refused naming the line (they were saved, or crashed the page).
        weight_box = ThaiDecimalField(column=AwardCriterion.weight, min_value=Decimal("0.01"))
        max_box = ThaiDecimalField(column=AwardCriterion.max_score, min_value=Decimal("0.01"))
        rows = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(f"บรรทัด {n}: ใช้รูปแบบ ชื่อเกณฑ์ | น้ำหนัก | คะแนนเต็ม")
            name = parts[0]
            figures = {}
            for label, box, typed in (
                ("น้ำหนัก", weight_box, parts[1]),
                ("คะแนนเต็ม", max_box, parts[2] if len(parts) > 2 and parts[2] else "10"),
            ):
                try:
                    figures[label] = box.clean(typed)
                except forms.ValidationError as error:
                    if any(e.code == "min_value" for e in error.error_list):
                        raise forms.ValidationError(
                            f"บรรทัด {n}: น้ำหนักและคะแนนเต็มต้องมากกว่า 0"
                        ) from None
                    raise forms.ValidationError(
                        f"บรรทัด {n}: {label} “{clip(typed, 20)}”: {' '.join(error.messages)}"
                    ) from None
            rows.append(
                {
                    "name": clip(name, 300),
                    "weight": figures["น้ำหนัก"],
                    "max_score": figures["คะแนนเต็ม"],
                }
            )
        if not rows:
            raise forms.ValidationError("ต้องมีเกณฑ์อย่างน้อย 1 ข้อ")
        return rows


class NominationForm(forms.Form):
    person = PersonPickerField(queryset=Person.objects.none(), label="ผู้ได้รับการเสนอชื่อ")
    work_title = forms.CharField(label="ผลงาน/เหตุผลที่เสนอ", max_length=300)
    statement = forms.CharField(
        label="สรุปผลงาน", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = UploadField(kind=DOCUMENT, label="เอกสารประกอบ", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if people.count() == 1:
            self.fields["person"].initial = people.first()


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            weight, full = format_figure(c.weight), format_figure(c.max_score)
            self.fields[f"c{c.pk}"] = ThaiDecimalField(
                column=Score.score,
                label=f"{c.name} (น้ำหนัก {weight}, เต็ม {full})",
                min_value=0,
                max_value=c.max_score,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                initial=current.get(c.pk),
            )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ResultForm(forms.Form):
    level = forms.ChoiceField(label="ระดับ", choices=AwardLevel.choices)
    outcome = forms.ChoiceField(label="ผล", choices=ResultOutcome.choices)
    announced_on = ThaiDateField(label="วันที่ประกาศ")
    note = forms.CharField(label="หมายเหตุ", max_length=200, required=False)


class PracticeForm(ThaiModelForm):
    owners = PeopleField(queryset=Person.objects.none(), label="เจ้าของผลงาน")

    class Meta:
        model = BestPractice
        fields = [
            "title",
            "owners",
            "school",
            "learning_area",
            "level",
            "year",
            "summary",
            "tags",
            "file",
            "status",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, people, schools, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = people
        self.fields["school"].queryset = schools
        if self.instance.pk:
            self.fields["owners"].initial = list(self.instance.owners.all())
        if not may_publish:
            self.fields["status"].choices = [
                c for c in self.fields["status"].choices if c[0] != "published"
            ]


__all__ = ["School"]


class CommunityRulesForm(ThaiModelForm):
    plc_hour_target = ThaiDecimalField(
        column=CommunityRules.plc_hour_target,
        label=CommunityRules._meta.get_field("plc_hour_target").verbose_name,
        help_text=CommunityRules._meta.get_field("plc_hour_target").help_text,
        min_value=0,
        max_value=2000,
    )

    class Meta:
        model = CommunityRules
        fields = ["plc_hour_target", "term_one_opens", "term_two_opens"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty: the usual opening (16 May).
        self.fields["term_one_opens"].required = False

    def clean_term_one_opens(self) -> str:
        """วว/ดด of a day in April, May or June: when the academic year starts."""
        value = self.cleaned_data["term_one_opens"] or ""
        if not value.strip():
            return CommunityRules._meta.get_field("term_one_opens").default
        day, month = _day_month(value, example="16/05")
        if month not in (4, 5, 6):
            raise forms.ValidationError("ภาคเรียนที่ 1 เปิดในเดือนเมษายน–มิถุนายน")
        return f"{day:02d}/{month:02d}"

    def clean_term_two_opens(self) -> str:
        """วว/ดด of a day from August to January, after term 1 opens and before the next."""
        day, month = _day_month(self.cleaned_data["term_two_opens"], example="01/11")
        if month not in (8, 9, 10, 11, 12, 1):
            raise forms.ValidationError("ภาคเรียนที่ 2 เปิดในเดือนสิงหาคม–มกราคม")
        return f"{day:02d}/{month:02d}"


def _day_month(value: str, *, example: str) -> tuple[int, int]:
    """(day, month) of a real วว/ดด, in Thai or Arabic digits; 29/02 is accepted."""
    import datetime as dt

    from krupd.lib import numerals

    text = numerals.clean_text(value).strip()
    try:
        day, month = (int(x) for x in text.split("/"))
        dt.date(2024, month, day)  # a leap year, so 29/02 is accepted
    except ValueError:
        raise forms.ValidationError(f"กรอกวันและเดือนเป็น วว/ดด เช่น {example}") from None
    return day, month
