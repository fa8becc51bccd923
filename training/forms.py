import re
from decimal import Decimal
from functools import partial

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from krupd.forms import (
    ThaiBEYearField,
    ThaiDateField,
    ThaiDecimalField,
    ThaiIntegerField,
    ThaiModelForm,
    ThaiModelFormSet,
)
from krupd.lib.numerals import (
    HoursError,
    clean_text,
    format_hours,
    fraction_typed,
    hours_of_time_span,
)
from registry.models import PersonnelType
from registry.picker import PeoplePickerField

from .models import (
    Course,
    CourseMode,
    FollowUp,
    Lesson,
    Module,
    Session,
    SurveyItem,
    TrainingRules,
    whole_points_only,
)


def bound(form: forms.BaseForm, name: str, low: int | None, high: int | None, unit: str) -> None:
    """Give a criterion field the range that makes sense for it, with a Thai message: a pass
    mark of 150 % or 0 attempts would leave nobody able to pass."""
    field = form.fields[name]
    unit = unit.replace("%", "%%")  # the validator formats its message with its parameters
    if low is not None:
        field.validators.append(MinValueValidator(low, message=f"ต้องไม่น้อยกว่า {low}{unit}"))
    if high is not None:
        field.validators.append(MaxValueValidator(high, message=f"ต้องไม่เกิน {high}{unit}"))


class CourseForm(ThaiModelForm):
    hours = ThaiDecimalField(
        column=Course.hours, label="จำนวนชั่วโมงตามหลักสูตร", min_value=Decimal("0.5"),
        error_messages={"min_value": "จำนวนชั่วโมงตามหลักสูตรต้องมากกว่า 0"},
    )  # fmt: skip
    fiscal_year = ThaiBEYearField(label="ปีงบประมาณ (พ.ศ.)", min_value=2500, max_value=2700)
    target_types = forms.MultipleChoiceField(
        label="กลุ่มเป้าหมาย (ประเภทบุคลากร)",
        choices=PersonnelType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="ไม่เลือก = บุคลากรทุกประเภทในเขตสมัครได้",
    )

    class Meta:
        model = Course
        fields = [
            "title", "mode", "hours", "fiscal_year", "objectives", "target_types", "target_note",
            "competencies", "digital", "min_attendance_pct", "min_post_test_pct",
            "post_test_attempts", "test_days_after_end", "min_lesson_minutes",
            "min_watched_pct", "requires_follow_up", "requires_approval", "self_enrol", "project",
            "signer_name", "signer_title", "certificate_valid_years", "status",
        ]  # fmt: skip
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "competencies": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "certificate_valid_years": "ว่าง = ไม่มีวันหมดอายุ ถ้ากำหนด นับจากวันที่ผ่านการพัฒนา "
            "(ไม่ใช่วันที่ออกเกียรติบัตร) เกียรติบัตรและเครดเดนเชียลดิจิทัลระบุวันที่ใช้ได้ถึง",
        }

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = self.fields["project"].queryset
        self.fields["project"].queryset = projects.filter(plan__office=office).select_related(
            "plan"
        )
        self.fields["project"].label_from_instance = lambda p: f"ปี {p.plan.fiscal_year} · {p.name}"
        # Settings with a sensible default may be left blank (or be missing from an older
        # form): blank means the course's default, shown as the box's starting value.
        for name in self.DEFAULTED:
            self.fields[name].required = False
        bound(self, "min_attendance_pct", 1, 100, "%")
        bound(self, "min_post_test_pct", 0, 100, "%")
        bound(self, "post_test_attempts", 1, None, " ครั้ง")

    DEFAULTED = ("test_days_after_end", "min_lesson_minutes", "min_watched_pct")

    def clean(self):
        cleaned = super().clean()
        for name in self.DEFAULTED:
            if cleaned.get(name) is None and name not in self.errors:
                current = getattr(self.instance, name, None) if self.instance.pk else None
                cleaned[name] = (
                    current if current is not None else Course._meta.get_field(name).default
                )
        # A self-paced lesson is done only after time spent on it: 0 minutes would let one
        # tap on "เรียนบทนี้แล้ว" count as having studied it.
        if cleaned.get("mode") == CourseMode.ONLINE and cleaned.get("min_lesson_minutes") == 0:
            self.add_error(
                "min_lesson_minutes", "หลักสูตรออนไลน์ต้องกำหนดเวลาเรียนขั้นต่ำต่อบทเรียนอย่างน้อย 1 นาที"
            )
        return cleaned


class SessionForm(ThaiModelForm):
    start_date = ThaiDateField(label="วันเริ่ม")
    end_date = ThaiDateField(label="วันสิ้นสุด")
    capacity = ThaiIntegerField(label="จำนวนที่นั่ง", min_value=1)
    hours_per_day = ThaiDecimalField(
        column=Session.hours_per_day, label="ชั่วโมงต่อวัน", min_value=Decimal("0.5"), max_value=24,
        error_messages={"min_value": "ชั่วโมงต่อวันต้องมากกว่า 0",
                        "max_value": "ชั่วโมงต่อวันต้องไม่เกิน 24 ชั่วโมง"},
    )  # fmt: skip
    online_link = forms.URLField(label="ลิงก์ออนไลน์", required=False, assume_scheme="https")
    # A day that is not a full one (a half day, a weekend inside the session): without it
    # every day counted the same hours, and the attendance share of someone who missed only
    # a half day was taken against a day's hours too many.
    day_hours = forms.CharField(
        label="ชั่วโมงรายวัน (ถ้าแต่ละวันไม่เท่ากัน)",
        required=False,
        help_text="ตามลำดับวันตั้งแต่วันเริ่ม คั่นด้วยจุลภาค เช่น 6, 6, 3 (วันสุดท้ายครึ่งวัน) "
        "หรือ 6, 0, 0, 6 (เว้นเสาร์-อาทิตย์) ว่างไว้ = ทุกวันเท่ากับชั่วโมงต่อวัน",
    )

    class Meta:
        model = Session
        fields = ["name", "start_date", "end_date", "place", "online_link", "capacity",
                  "hours_per_day", "day_hours", "trainers"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            hours = [d.hours for d in self.instance.days.all()]
            if len(set(hours)) > 1:  # shown when the days differ, so saving keeps them
                self.initial["day_hours"] = ", ".join(format_hours(h) for h in hours)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        if start and end and (end - start).days > 366:
            self.add_error("end_date", "รุ่นหนึ่งยาวได้ไม่เกินหนึ่งปี")
        typed = data.get("day_hours") or ""
        data["day_hours"] = None
        if typed.strip() and start and end and end >= start:
            try:
                data["day_hours"] = read_day_hours(typed, days=(end - start).days + 1)
            except forms.ValidationError as error:
                self.add_error("day_hours", error)
        return data


def read_day_hours(text: str, *, days: int) -> list[Decimal]:
    """ "6, 6, 3" (Thai digits, spaces or "+" between too) → one number of hours per day of
    the session, each 0–24 with at most one decimal, not all 0. A day may be written as a
    time span ("6, 6, 3:30", "6, 3 ชั่วโมง 30 นาที"): its hours with decimals."""
    parts: list[tuple[str, Decimal | None]] = []  # (as typed, its hours when a time span)
    for chunk in re.split(r"\s*[,+/;]+\s*", clean_text(text)):
        for part in [chunk] if _day_span(chunk, len(parts)) else chunk.split():
            parts.append((part, _day_span(part, len(parts))))
    hours = []
    for n, (part, span) in enumerate(parts, start=1):
        try:
            value = Decimal(part) if span is None else span
        except ArithmeticError:
            raise forms.ValidationError(
                f"วันที่ {n}: “{part}” ไม่ใช่จำนวนชั่วโมง (เขียนเป็นตัวเลข เช่น 6, 6, 3)"
            ) from None
        if not value.is_finite() or not 0 <= value <= 24 or value != round(value, 1):
            raise forms.ValidationError(
                f"วันที่ {n}: {part} ชั่วโมงไม่ได้ (0–24 ชั่วโมง ทศนิยมไม่เกิน 1 ตำแหน่ง)"
            )
        hours.append(value.quantize(Decimal("0.1")))
    if len(hours) != days:
        raise forms.ValidationError(
            f"รุ่นนี้มี {days} วัน แต่กรอกชั่วโมงไว้ {len(hours)} วัน ให้กรอกให้ครบทุกวัน (วันที่ไม่มีการอบรมใส่ 0)"
        )
    if not any(hours):
        raise forms.ValidationError("ต้องมีอย่างน้อยหนึ่งวันที่มีชั่วโมงอบรม")
    return hours


def _day_span(part: str, before: int) -> Decimal | None:
    """The hours of a day written as a time span ("3:30", "3 ชั่วโมง 30 นาที"), else None."""
    try:
        return hours_of_time_span(part)
    except HoursError as error:
        raise forms.ValidationError(f"วันที่ {before + 1}: {error}") from None


THAI_CHOICE_MARKS = "กขคงจฉ"


def parse_questions(text: str) -> list[dict]:
    """Read questions typed or pasted as blocks separated by a blank line:

    1. คำถาม
    ก. ตัวเลือก
    *ข. ตัวเลือกที่ถูก (ขึ้นต้นด้วย *)
    ค. ตัวเลือก
    """
    rows, errors = [], []
    for number, lines in enumerate(_paragraphs(text), start=1):
        question = _strip_mark(lines[0], numbers=True)
        choices, correct = [], []
        for line in lines[1:]:
            if line.startswith("*"):
                correct.append(len(choices))
                line = line[1:].strip()
            choices.append(_strip_mark(line))
        if len(choices) < 2:
            errors.append(f"ข้อ {number}: ต้องมีตัวเลือกอย่างน้อย 2 ตัวเลือก")
        elif len(correct) != 1:
            errors.append(f"ข้อ {number}: ต้องทำเครื่องหมาย * หน้าคำตอบที่ถูกหนึ่งตัวเลือก")
        else:
            rows.append({"text": question, "choices": choices, "correct": correct[0]})
    if errors:
        raise forms.ValidationError(errors)
    return rows


def _paragraphs(text: str) -> list[list[str]]:
    """The cleaned lines of each paragraph. A line that only looks empty (spaces, a
    non-breaking or zero-width space from Word or a web page) separates questions as an empty
    one does: it ran two questions together, refused as one with two answers marked."""
    paragraphs, current = [], []
    for line in text.replace("\r", "").split("\n"):
        line = clean_text(line)
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _strip_mark(line: str, *, numbers: bool = False) -> str:
    """A question or a choice without its mark: ก. / ข) / a. for a choice; a number for a
    question, and for a choice when written with its dot or bracket (1. / 2) as many tests
    number choices, and as questions_as_text numbers a seventh one)."""
    head, _, rest = line.partition(" ")
    mark = head.rstrip(".)")
    if (
        rest
        and mark
        and (
            (len(mark) == 1 and mark in THAI_CHOICE_MARKS + "abcdefABCDEF")
            or (mark.isdigit() and (numbers or mark != head))
        )
    ):
        return rest.strip()
    return line


def questions_as_text(questions) -> str:
    blocks = []
    for i, q in enumerate(questions, start=1):
        lines = [f"{i}. {q.text}"]
        for j, choice in enumerate(q.choices):
            mark = THAI_CHOICE_MARKS[j] if j < len(THAI_CHOICE_MARKS) else str(j + 1)
            lines.append(f"{'*' if j == q.correct else ''}{mark}. {choice}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class QuestionsForm(forms.Form):
    text = forms.CharField(
        label="ข้อสอบ",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="ข้อละหนึ่งย่อหน้า (เว้นบรรทัดระหว่างข้อ) บรรทัดแรกเป็นคำถาม บรรทัดต่อไปเป็นตัวเลือก "
        "ใส่ * หน้าตัวเลือกที่ถูก",
    )

    def clean_text(self):
        return parse_questions(self.cleaned_data["text"])


class NominateForm(forms.Form):
    people = PeoplePickerField(label="บุคลากร", queryset=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class RulesForm(ThaiModelForm):
    yearly_hour_target = ThaiDecimalField(
        column=TrainingRules.yearly_hour_target,
        label="เป้าหมายชั่วโมงพัฒนาต่อคนต่อปีงบประมาณ",
        min_value=0,
    )
    developed_min_hours = ThaiDecimalField(
        column=TrainingRules.developed_min_hours,
        label="ถือว่า “ได้รับการพัฒนา” เมื่อมีชั่วโมงอย่างน้อย",
        min_value=0,
    )

    class Meta:
        model = TrainingRules
        fields = ["yearly_hour_target", "developed_min_hours", "checkin_minutes",
                  "follow_up_weeks", "signer_name", "signer_title", "thai_digits"]  # fmt: skip


SurveyItemFormSet = forms.modelformset_factory(
    SurveyItem,
    form=ThaiModelForm,
    formset=ThaiModelFormSet,
    fields=["order", "text", "active"],
    extra=2,
    can_delete=False,
)


class FollowUpForm(ThaiModelForm):
    class Meta:
        model = FollowUp
        fields = ["use_level", "report"]
        widgets = {"use_level": forms.RadioSelect, "report": forms.Textarea(attrs={"rows": 4})}


class ConfirmForm(forms.Form):
    note = forms.CharField(label="ความเห็นผู้รับรอง", required=False, max_length=500)


class UnconfirmForm(forms.Form):
    reason = forms.CharField(
        label="เหตุผลที่ยกเลิกการยืนยัน", max_length=300,
        error_messages={"required": "กรุณาระบุเหตุผลที่ยกเลิกการยืนยัน",
                        "max_length": "เหตุผลที่ยกเลิกการยืนยันยาวเกิน 300 ตัวอักษร"},
    )  # fmt: skip


class RevokeForm(forms.Form):
    reason = forms.CharField(label="เหตุผลที่เพิกถอน", max_length=300)


class ModuleForm(ThaiModelForm):
    class Meta:
        model = Module
        fields = ["order", "title", "quiz_pass_pct", "quiz_attempts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound(self, "quiz_pass_pct", 0, 100, "%")
        bound(self, "quiz_attempts", 1, None, " ครั้ง")


class LessonForm(ThaiModelForm):
    video_url = forms.URLField(label="ลิงก์วิดีโอ", required=False, assume_scheme="https")

    class Meta:
        model = Lesson
        fields = ["order", "title", "body", "video_url", "file"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


def _score_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3})


COMMENT_LONGEST = 2000  # a satisfaction comment, online, on paper or from a file


class WholeScoreField(ThaiIntegerField):
    """A test's score on the paper sheet: a score typed with a half ("12.5", "๑๒.๕", "12,5")
    is told that scores are kept in whole points, not that no number was typed."""

    def __init__(self, *args, who: str, **kwargs):
        self.who = who
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            half = fraction_typed(value) if error.code == "invalid" else None
            if half is None or half < 0:
                raise
            message = whole_points_only(clean_text(value))
            raise forms.ValidationError(
                f"{self.who}: {self.label} {message}", code="invalid"
            ) from None


class PaperScoresForm(forms.Form):
    """The score sheet of a paper session: pre/post raw scores and satisfaction answers (1–5)
    per participant, typed from the paper forms. Every error names the row and the person."""

    pre_max = ThaiIntegerField(
        label="คะแนนเต็มแบบทดสอบก่อนเรียน", min_value=1, max_value=1000, required=False,
        widget=_score_input(),
        error_messages={"invalid": "คะแนนเต็มก่อนเรียนต้องเป็นจำนวนเต็ม เช่น 20",
                        "min_value": "คะแนนเต็มต้องมากกว่า 0", "max_value": "คะแนนเต็มต้องไม่เกิน 1,000"},
    )  # fmt: skip
    post_max = ThaiIntegerField(
        label="คะแนนเต็มแบบทดสอบหลังเรียน", min_value=1, max_value=1000, required=False,
        widget=_score_input(),
        error_messages={"invalid": "คะแนนเต็มหลังเรียนต้องเป็นจำนวนเต็ม เช่น 20",
                        "min_value": "คะแนนเต็มต้องมากกว่า 0", "max_value": "คะแนนเต็มต้องไม่เกิน 1,000"},
    )  # fmt: skip

    # A participant's cells are named by their enrolment: pre-, post- and c- (comment)
    # followed by it, and s<item>-<enrolment> per satisfaction item. The page, the form and
    # the refusal of cells no longer on the sheet (views.paper_scores) all read names here.
    CELL = re.compile(r"(?:pre|post|c)-(?P<e>\d+)|s(?P<item>\d+)-(?P<row>\d+)")

    @staticmethod
    def cell_names(enrolments, items) -> list[str]:
        """Every cell of the sheet, the full scores first."""
        names = ["pre_max", "post_max"]
        for e in enrolments:
            names += [f"pre-{e.pk}", f"post-{e.pk}", f"c-{e.pk}"]
            names += [f"s{item.pk}-{e.pk}" for item in items]
        return names

    @classmethod
    def row_of_cell(cls, name: str) -> str | None:
        """The enrolment id (as posted) a participant's cell belongs to; None for any other
        field name."""
        m = cls.CELL.fullmatch(name)
        return (m["e"] or m["row"]) if m else None

    def __init__(
        self, *args, enrolments, items, online_pre=(), online_survey=(), blanks_allowed=(),
        **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        self.items = list(items)
        self.online_pre, self.online_survey = set(online_pre), set(online_survey)
        # Whose recorded answers may leave an item blank (a file's: queries.paper_sheet).
        self.blanks_allowed = set(blanks_allowed)
        for number, e in enumerate(self.enrolments, start=1):
            who = f"แถวที่ {number} ({e.person.full_name})"
            self.fields[f"pre-{e.pk}"] = self._score(who, "คะแนนก่อนเรียน", 0, 1000, test=True)
            self.fields[f"post-{e.pk}"] = self._score(who, "คะแนนหลังเรียน", 0, 1000, test=True)
            for i, item in enumerate(self.items, start=1):
                self.fields[f"s{item.pk}-{e.pk}"] = self._score(who, f"ความพึงพอใจข้อ {i}", 1, 5)
            # As long as a file's (the results import) or an online form's comment may be:
            # one imported there is shown here, and saved again as it is.
            self.fields[f"c-{e.pk}"] = forms.CharField(
                required=False, max_length=COMMENT_LONGEST, label="ข้อเสนอแนะ",
                error_messages={"max_length": f"{who}: ข้อเสนอแนะยาวเกิน 2,000 ตัวอักษร"},
            )  # fmt: skip

    @staticmethod
    def _score(who: str, label: str, low: int, high: int, *, test: bool = False):
        # A paper sheet marks who missed the test ("ขาด", "-"): the cell says what to type.
        absent = " (ผู้ที่ขาดสอบ ให้เว้นช่องนี้ว่างไว้)" if test else ""
        kind = partial(WholeScoreField, who=who) if test else ThaiIntegerField
        return kind(
            label=label, required=False, min_value=low, max_value=high, widget=_score_input(),
            error_messages={
                "invalid": f"{who}: {label} ต้องเป็นจำนวนเต็ม{absent}",
                "min_value": f"{who}: {label} ต้องไม่น้อยกว่า {low}",
                "max_value": f"{who}: {label} ต้องไม่เกิน {high}",
            },
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        for number, e in enumerate(self.enrolments, start=1):
            who = f"แถวที่ {number} ({e.person.full_name})"
            for kind, label in (("pre", "ก่อนเรียน"), ("post", "หลังเรียน")):
                name, score, top = (
                    f"{kind}-{e.pk}",
                    data.get(f"{kind}-{e.pk}"),
                    data.get(f"{kind}_max"),
                )
                if score is None:
                    continue
                if kind == "pre" and e.pk in self.online_pre:
                    self.add_error(name, f"{who}: ทำแบบทดสอบก่อนเรียนในระบบแล้ว กรอกจากกระดาษซ้ำไม่ได้")
                elif not top:
                    if f"{kind}_max" not in self.errors:
                        self.add_error(f"{kind}_max", f"กรอกคะแนนเต็มของแบบทดสอบ{label}ก่อน")
                elif score > top:
                    self.add_error(name, f"{who}: คะแนน{label} {score} เกินคะแนนเต็ม {top}")
            # An answer typed but refused (a 6, a letter) is not a blank one: its own error
            # says what is wrong, and the "still blank" item named is one really left empty.
            names = [f"s{item.pk}-{e.pk}" for item in self.items]
            typed = [data.get(name) is not None or name in self.errors for name in names]
            comment = (data.get(f"c-{e.pk}") or "").strip()
            if (any(typed) or comment) and e.pk in self.online_survey:
                self.add_error(None, f"{who}: ตอบแบบประเมินความพึงพอใจในระบบแล้ว กรอกจากกระดาษซ้ำไม่ได้")
            elif e.pk in self.blanks_allowed:
                continue  # a file's answers: an item left blank is one not answered
            elif not all(typed) and (comment or any(typed)):
                missing = typed.index(False) + 1
                self.add_error(
                    f"s{self.items[missing - 1].pk}-{e.pk}",
                    f"{who}: แบบประเมินความพึงพอใจต้องตอบครบทุกข้อ (ข้อ {missing} ยังว่าง)",
                )
        return data

    def rows(self) -> list:
        from .actions import PaperRow

        d = self.cleaned_data
        return [
            PaperRow(
                enrolment=e,
                pre=d.get(f"pre-{e.pk}"),
                post=d.get(f"post-{e.pk}"),
                survey={
                    item.pk: d[f"s{item.pk}-{e.pk}"]
                    for item in self.items
                    if d.get(f"s{item.pk}-{e.pk}") is not None
                },
                comment=d.get(f"c-{e.pk}") or "",
            )
            for e in self.enrolments
        ]
