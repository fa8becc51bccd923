from django import forms
from django.utils import timezone

from krupd.forms import (
    ThaiBEYearField,
    ThaiDateField,
    ThaiDecimalField,
    ThaiIntegerField,
    ThaiModelForm,
    ThaiModelFormSet,
    ThaiModelMultipleChoiceField,
    trim_typed,
)
from krupd.lib import numerals, thai_dates, thai_id, thai_phone

from . import quality
from .labels import distinct_labels, name_school_choices
from .models import (
    AcademicStanding,
    Employment,
    Grade,
    LearningArea,
    Major,
    Network,
    OfficeRules,
    Person,
    PersonStatus,
    School,
    census_day_parts,
)
from .picker import PersonPickerField
from .queries import offered_today, open_on

TITLES = ["นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง", "ดร.", "ผศ.ดร."]


def clean_phone_number(typed: str) -> str:
    """The phone box: blank, or one Thai number (the import's check, krupd.lib.thai_phone)."""
    text = thai_phone.normalize_phone(typed)
    if text and (problem := thai_phone.phone_problem(text)):
        raise forms.ValidationError(problem)
    return text


class PersonForm(ThaiModelForm):
    # Typed as printed on the card, with dashes or spaces and maybe Thai digits; the 13 digits
    # are checked and stored by clean_national_id. The model's max_length=13 would stop the
    # typing at the second dash and refuse "1-2345-67890-12-1" before it is read.
    national_id = forms.CharField(
        label="เลขประจำตัวประชาชน",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = ThaiDateField(label="วันเกิด (พ.ศ.)", required=False)
    appointment_date = ThaiDateField(label="วันบรรจุ (พ.ศ.)", required=False)
    secondment_until = ThaiDateField(label="ช่วยราชการถึงวันที่ (พ.ศ.)", required=False)
    # Not a column: the day the career changes of this edit took effect (the order's date),
    # written into the position history. The staffing counts read who was in service on the
    # census day from it, so a death or transfer recorded late must carry its own date.
    effective_date = ThaiDateField(
        label="วันที่มีผลของการเปลี่ยนแปลง (พ.ศ.)",
        required=False,
        help_text="วันที่ตามคำสั่ง เช่น ย้าย แต่งตั้ง เลื่อนวิทยฐานะ เกษียณ ลาออก ถึงแก่กรรม เว้นว่างหมายถึงวันนี้",
    )
    salary = ThaiDecimalField(
        column=Person.salary,
        label="เงินเดือน (บาท)",
        required=False,
    )
    areas_taught = ThaiModelMultipleChoiceField(
        label="กลุ่มสาระที่สอนจริง",
        queryset=LearningArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "national_id", "title", "first_name", "last_name", "first_name_en", "last_name_en",
            "gender", "birth_date", "personnel_type", "position", "academic_standing",
            "position_number", "salary_grade", "salary", "appointment_date", "school",
            "highest_degree", "major", "areas_taught", "phone", "email", "status",
            "employment", "secondment", "secondment_school", "secondment_until",
        ]  # fmt: skip
        widgets = {"title": forms.TextInput(attrs={"list": "titles"})}

    def __init__(self, *args, schools, rules: OfficeRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        # A school closed (or merged) by today is offered to no one new; a person still
        # placed there keeps it until moved (registry.queries.offered_today, as the account
        # forms read it).
        self.fields["school"].queryset = schools.filter(offered_today(self.instance.school_id))
        # Seconded to or from any school of the office (a school elsewhere: leave it blank).
        self.fields["secondment_school"].queryset = School.objects.filter(
            offered_today(self.instance.secondment_school_id), office=rules.office
        ).order_by("obec_code")
        name_school_choices(self.fields["school"])
        name_school_choices(self.fields["secondment_school"])
        self.fields["academic_standing"].queryset = AcademicStanding.objects.all()
        self.fields["major"].queryset = Major.objects.select_related("learning_area")
        self.fields["employment"].required = False  # a form without it: civil servant
        self.fields["national_id"].help_text = "13 หลัก พิมพ์มีขีดหรือเลขไทยได้"
        self.fields["national_id"].error_messages["unique"] = "มีบุคลากรที่ใช้เลขประจำตัวประชาชนนี้อยู่แล้ว"
        if self.instance.pk:
            self.initial["areas_taught"] = list(self.instance.areas_taught.all())
        else:  # a new person has no history yet
            del self.fields["effective_date"]

    def error_labels(self) -> list[str]:
        """The labels of the fields to correct, for the summary above the form."""
        return [str(self[name].label) for name in self.errors if name in self.fields]

    def clean_national_id(self) -> str:
        value = thai_id.normalize_national_id(self.cleaned_data["national_id"])
        problem = thai_id.national_id_problem(
            value, allow_leading_zero_or_nine=self.rules.allow_leading_zero_or_nine_id
        )
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_position_number(self) -> str:
        # "๑๒ ๓๔" and "1234" are the same number on the จ.18 register.
        return numerals.clean_text(self.cleaned_data["position_number"]).replace(" ", "")

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("วันที่มีผลต้องไม่เป็นวันในอนาคต")
        return day

    def clean_employment(self) -> str:
        return self.cleaned_data.get("employment") or Employment.CIVIL_SERVANT

    def clean(self):
        data = super().clean()
        self._add_quality_problems(data)
        holder = self._other_holder_of(data)
        if holder is not None:
            self.add_error(
                "position_number",
                f"เลขที่ตำแหน่ง {data['position_number']} มีข้าราชการที่ปฏิบัติงานอยู่ครองแล้ว "
                f"({holder.workplace_name}) เลขที่ตำแหน่งหนึ่งมีผู้ครองได้คนเดียว",
            )
        effective = data.get("effective_date")
        if effective and data.get("birth_date") and effective < data["birth_date"]:
            self.add_error("effective_date", "วันที่มีผลต้องไม่ก่อนวันเกิด")
        secondment, other = data.get("secondment"), data.get("secondment_school")
        if not secondment and (other or data.get("secondment_until")):
            self.add_error("secondment", "ระบุสถานศึกษาหรือวันสิ้นสุดการช่วยราชการ แต่ไม่ได้เลือกการช่วยราชการ")
        if secondment and other and other == data.get("school"):
            self.add_error("secondment_school", "สถานศึกษาที่ช่วยราชการต้องไม่ใช่สถานศึกษาต้นสังกัด")
        return data

    def _add_quality_problems(self, data) -> None:
        """Refuse, on their fields, what the data-quality page's correctness rules would
        flag once saved (registry.quality), so the form does not create its problems."""
        today, active = timezone.localdate(), data.get("status") == PersonStatus.ACTIVE
        standing = data.get("academic_standing")
        problems = {
            **quality.person_date_problems(
                birth_date=data.get("birth_date"),
                appointment_date=data.get("appointment_date"),
                today=today,
                active=active,
            ),
            **quality.person_field_problems(
                personnel_type=data.get("personnel_type", ""),
                employment=data.get("employment") or Employment.CIVIL_SERVANT,
                standing_code=standing.code if standing else None,
                secondment=data.get("secondment", "") if active else "",
                secondment_until=data.get("secondment_until"),
                today=today,
            ),
        }
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)

    def _other_holder_of(self, data) -> Person | None:
        """Another active civil servant of the office on the same จ.18 position number: the
        staffing counts and vacancies read one holder per number."""
        number = data.get("position_number")
        holds = (
            data.get("status") == PersonStatus.ACTIVE
            and data.get("employment", Employment.CIVIL_SERVANT) == Employment.CIVIL_SERVANT
        )
        if not number or not holds:
            return None
        return (
            Person.objects.filter(
                office=self.rules.office,
                position_number=number,
                status=PersonStatus.ACTIVE,
                employment=Employment.CIVIL_SERVANT,
            )
            .exclude(pk=self.instance.pk)
            .select_related("school", "office")
            .first()
        )


class ContactForm(ThaiModelForm):
    class Meta:
        model = Person
        fields = ["phone", "email"]

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])


class SchoolForm(ThaiModelForm):
    latitude = ThaiDecimalField(
        column=School.latitude,
        label="ละติจูด",
        required=False,
    )
    longitude = ThaiDecimalField(
        column=School.longitude,
        label="ลองจิจูด",
        required=False,
    )

    class Meta:
        model = School
        fields = [
            "obec_code", "name", "level", "district", "subdistrict", "network",
            "latitude", "longitude",
        ]  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(office=office)
        self.fields["obec_code"].error_messages["unique"] = "รหัสสถานศึกษานี้มีอยู่แล้ว"

    def clean_obec_code(self) -> str:
        code = numerals.code_digits(self.cleaned_data["obec_code"])
        if not (numerals.is_ascii_digits(code) and len(code) == 10):
            raise forms.ValidationError("รหัสสถานศึกษาต้องเป็นตัวเลข 10 หลัก")
        return code

    def clean_latitude(self):
        value = self.cleaned_data["latitude"]
        if value is not None and not (5 <= value <= 21):
            raise forms.ValidationError("ละติจูดต้องอยู่ในประเทศไทย (5–21 องศาเหนือ)")
        return value

    def clean_longitude(self):
        value = self.cleaned_data["longitude"]
        if value is not None and not (97 <= value <= 106):
            raise forms.ValidationError("ลองจิจูดต้องอยู่ในประเทศไทย (97–106 องศาตะวันออก)")
        return value


class SchoolClosureForm(forms.Form):
    """Record that a school closed, or was merged into another school of its office."""

    closed_on = ThaiDateField(
        label="วันที่ปิด/ยุบรวม (พ.ศ.)",
        help_text="วันที่ตามคำสั่งหรือประกาศ ตั้งแต่วันนี้ไปสถานศึกษาจะไม่ถูกเลือกสำหรับข้อมูลใหม่",
    )
    # Any school's id is read, so a wrong one is refused naming why (its own, closed, of
    # another office: registry.actions.closure_problem), not as "not on the list"; the list
    # shows the office's open schools.
    merged_into = forms.ModelChoiceField(
        label="ยุบรวมกับสถานศึกษา",
        queryset=School.objects.all(),
        required=False,
        help_text="เว้นว่างหากเลิกสถานศึกษาโดยไม่ได้ยุบรวมกับสถานศึกษาอื่น",
        error_messages={"invalid_choice": "ยุบรวมกับสถานศึกษา: ไม่พบสถานศึกษาที่เลือก โปรดเลือกจากรายการ"},
    )
    reason = forms.CharField(
        label="เหตุผล", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        offered = (
            School.objects.filter(office_id=school.office_id, closed_on__isnull=True)
            .exclude(pk=school.pk)
            .order_by("name", "obec_code")
        )
        shown = distinct_labels(offered.values_list("pk", "name", "obec_code"))
        self.fields["merged_into"].widget.choices = [
            ("", "— ไม่ได้ยุบรวม (เลิกสถานศึกษา) —"),
            *shown.items(),
        ]

    def clean_reason(self) -> str:
        # As typed (a circular's number in Thai digits stays so), without invisible ends.
        return trim_typed(self.cleaned_data["reason"])

    def clean_merged_into(self):
        target = self.cleaned_data["merged_into"]
        from .actions import closure_problem

        if problem := closure_problem(school=self.school, merged_into=target):
            raise forms.ValidationError(problem[1])
        return target


class MoveStaffForm(forms.Form):
    """Move the people still placed at a closed school to another school of the office."""

    to_school = forms.ModelChoiceField(
        label="ย้ายไปสถานศึกษา",
        queryset=School.objects.none(),
        error_messages={
            "invalid_choice": "ย้ายไปสถานศึกษา: เลือกได้เฉพาะสถานศึกษาที่ยังเปิดในเขตพื้นที่เดียวกัน",
            "required": "ย้ายไปสถานศึกษา: กรุณาเลือกจากรายการ",
        },
    )
    effective_date = ThaiDateField(label="วันที่มีผล (พ.ศ.)", help_text="โดยปกติคือวันที่ปิด/ยุบรวม")

    def __init__(self, *args, school: School, today, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_school"]
        field.queryset = (
            School.objects.filter(office_id=school.office_id)
            .filter(open_on(today))
            .exclude(pk=school.pk)
            .order_by("name", "obec_code")
        )
        name_school_choices(field)
        if not self.is_bound:
            self.initial = {"to_school": school.merged_into_id, "effective_date": school.closed_on}


class EnrolmentForm(forms.Form):
    """One academic year of a school: students and classrooms for each grade."""

    academic_year = ThaiBEYearField(label="ปีการศึกษา (พ.ศ.)", min_value=2500, max_value=2700)
    census_date = ThaiDateField(label="วันนับข้อมูล (พ.ศ.)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade in Grade:
            self.fields[f"{grade.value}_students"] = ThaiIntegerField(
                label=f"{grade.label} นักเรียน", min_value=0, required=False
            )
            self.fields[f"{grade.value}_rooms"] = ThaiIntegerField(
                label=f"{grade.label} ห้อง", min_value=0, required=False
            )

    def grade_rows(self):
        return [(g, self[f"{g.value}_students"], self[f"{g.value}_rooms"]) for g in Grade]

    def clean(self):
        data = super().clean()
        for grade in Grade:
            students = data.get(f"{grade.value}_students") or 0
            rooms = data.get(f"{grade.value}_rooms") or 0
            if students and not rooms:
                self.add_error(f"{grade.value}_rooms", f"{grade.label}: มีนักเรียนแต่ไม่มีห้องเรียน")
            if rooms and not students:
                self.add_error(f"{grade.value}_students", f"{grade.label}: มีห้องเรียนแต่ไม่มีนักเรียน")
            if students and rooms > students:
                self.add_error(
                    f"{grade.value}_rooms",
                    f"{grade.label}: ห้องเรียน {rooms} ห้องมากกว่านักเรียน {students} คน",
                )
        year, census = data.get("academic_year"), data.get("census_date")
        if year and census and thai_dates.academic_year(census) != year:
            self.add_error(
                "census_date",
                f"วันนับข้อมูล {thai_dates.format_thai_date(census, style='medium')} "
                f"ไม่อยู่ในปีการศึกษา {year} "
                f"({thai_dates.period_label(*thai_dates.academic_year_span(year))})",
            )
        if not self.errors and not self.counts():
            # Saving nothing would delete the year's counts: the school would show "no data".
            raise forms.ValidationError("ยังไม่ได้กรอกจำนวนนักเรียนชั้นใดเลย")
        return data

    def counts(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            g.value: (data.get(f"{g.value}_students") or 0, data.get(f"{g.value}_rooms") or 0)
            for g in Grade
            if data.get(f"{g.value}_students")
        }


class OfficeRulesForm(ThaiModelForm):
    class Meta:
        model = OfficeRules
        fields = [
            "retirement_age",
            "freshness_days",
            "allow_leading_zero_or_nine_id",
            "census_day",
            "import_retention_days",
        ]

    def clean_census_day(self) -> str:
        parts = census_day_parts(self.cleaned_data["census_day"])
        if parts is None:
            raise forms.ValidationError("วันนับข้อมูลนักเรียนต้องเป็นวันที่ที่มีทุกปี ในรูปแบบ วว/ดด เช่น 10/06")
        return f"{parts[0]:02d}/{parts[1]:02d}"


class MajorForm(ThaiModelForm):
    class Meta:
        model = Major
        fields = ["name", "learning_area"]


MajorFormSet = forms.modelformset_factory(
    Major, form=MajorForm, formset=ThaiModelFormSet, extra=3, can_delete=False
)


class StandingForm(ThaiModelForm):
    class Meta:
        model = AcademicStanding
        fields = ["code", "name", "rank", "salary_grade"]


StandingFormSet = forms.modelformset_factory(
    AcademicStanding, form=StandingForm, formset=ThaiModelFormSet, extra=1, can_delete=False
)


class LearningAreaForm(ThaiModelForm):
    class Meta:
        model = LearningArea
        fields = ["code", "name", "short_name", "is_core", "sort_order"]


LearningAreaFormSet = forms.modelformset_factory(
    LearningArea, form=LearningAreaForm, formset=ThaiModelFormSet, extra=1, can_delete=False
)


class MergePickForm(forms.Form):
    """The other record of a pair of duplicates (รวมระเบียนซ้ำ), found with the people picker."""

    other = PersonPickerField(
        queryset=Person.objects.none(),
        label="ระเบียนซ้ำอีกระเบียน",
        error_messages={
            "required": "ระเบียนซ้ำอีกระเบียน: ยังไม่ได้เลือกบุคลากร",
            "invalid_choice": "ระเบียนซ้ำอีกระเบียน: เลือกได้เฉพาะบุคลากรคนอื่นในเขตพื้นที่เดียวกัน "
            "โปรดค้นหาและเลือกใหม่",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = people
