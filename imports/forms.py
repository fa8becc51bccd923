"""Upload and column-mapping forms."""

from django import forms
from django.conf import settings

from krupd.uploads import SPREADSHEET, UploadField

from . import readers
from .importers import importer_for
from .importers.base import not_mapped
from .readers import ImportFileError


def _unreadable_reason(uploaded) -> str | None:
    """What is wrong with a data file people picked (a PDF, an old .xls, a broken zip)."""
    try:
        readers.sniff(uploaded, uploaded.name or "")
    except ImportFileError as error:
        return str(error)
    return None


# The formats every data upload takes, as its help text names them.
SPREADSHEET_FORMATS = (
    "Excel (.xlsx หรือ .xls รุ่นเก่า), OpenDocument (.ods) หรือ CSV (UTF-8, UTF-16 หรือ TIS-620)"
)


def spreadsheet_field(label: str, help_text: str = "") -> UploadField:
    """The file field of a data upload: every format the readers take, with their Thai
    refusals, up to the data files' size limit; `help_text` goes before the formats."""
    formats = f"{SPREADSHEET_FORMATS} ขนาดไม่เกิน {settings.UPLOAD_MAX_MB[SPREADSHEET.key]} MB"
    return UploadField(
        kind=SPREADSHEET,
        inspect=_unreadable_reason,
        label=label,
        help_text=f"{help_text} · {formats}" if help_text else formats,
    )


class SpreadsheetUploadForm(forms.Form):
    """A form with a data file (`file`, a `spreadsheet_field`): `file_format` is what the
    file's content was found to be, for the import to read it as."""

    file_format = ""

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.file_format = readers.sniff(uploaded, uploaded.name or "")
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return uploaded


class UploadForm(SpreadsheetUploadForm):
    kind = forms.ChoiceField(label="ประเภทข้อมูล", widget=forms.RadioSelect)
    file = spreadsheet_field("ไฟล์ข้อมูล")

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = kinds[0][0] if kinds else None


UNUSED = ""


class MappingForm(forms.Form):
    """One select per file column: which field it holds, or nothing."""

    def __init__(self, *args, batch, samples: dict[int, list[str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.importer = importer_for(batch)
        labels = self.importer.field_labels(batch.office)
        choices = [(UNUSED, "— ไม่นำเข้า —")] + [
            (c.key, labels[c.key] + (" *" if c.required else ""))
            for c in self.importer.spec.columns
            if not c.informational
        ]
        # What the sheet's title gave (its year), said above the columns.
        self.title_lines = self.importer.title_lines(batch.title_values or {})
        current = {int(k): v for k, v in (batch.mapping or {}).items()}
        taken = set(current.values())
        for index, header in enumerate(batch.headers or []):
            guess = self.importer.spec.suggest(header) if index not in current else None
            if guess and guess not in taken:
                current[index] = guess
                taken.add(guess)
        self.columns = []
        for index, header in enumerate(batch.headers or []):
            name = f"col_{index}"
            initial = current.get(index, UNUSED)
            if initial not in dict(choices):
                initial = UNUSED
            self.fields[name] = forms.ChoiceField(
                label=header or f"คอลัมน์ที่ {index + 1}", choices=choices, required=False,
                initial=initial,
            )  # fmt: skip
            self.columns.append(
                {"index": index, "header": header, "samples": samples.get(index, []), "name": name}
            )

    def bound_columns(self):
        for column in self.columns:
            yield {**column, "field": self[column["name"]]}

    def clean(self):
        data = super().clean()
        mapping: dict[int, str] = {}
        used: dict[str, str] = {}
        for column in self.columns:
            key = data.get(column["name"]) or UNUSED
            if key == UNUSED:
                continue
            header = self.importer.spec.by_key[key].header
            if key in used:
                self.add_error(
                    column["name"],
                    f"“{header}” ถูกเลือกให้คอลัมน์ “{used[key]}” แล้ว เลือกได้คอลัมน์เดียว",
                )
                continue
            used[key] = column["header"] or f"คอลัมน์ที่ {column['index'] + 1}"
            mapping[column["index"]] = key
        # A column the sheet's title gave a value for (its year) need not be chosen.
        given = not_mapped(self.batch.title_values or {}, mapping)
        for problem in self.importer.mapping_problems([*mapping.values(), *given]):
            self.add_error(None, problem)
        data["mapping"] = mapping
        return data
