"""Uploaded files leave the server only through scoped views (media is never served publicly):
each view asks its app's access.py for the object, then answers with this one response."""

from django.http import FileResponse, Http404

from krupd import uploads

# What a stored file the allow-list does not recognise (one stored before uploads were checked)
# is served as: bytes to save, never a page or a script for the browser to run.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"

# Characters Windows, zip tools and the DPA upload form refuse in a file name.
UNSAFE_IN_NAMES = '"\\/;:<>|?*'


def safe_filename(name: str, fallback: str = "download") -> str:
    """A stored file's own name without folders, quotes, separators, characters Windows
    refuses or control characters, runs of spaces made one; Thai kept (Django encodes
    non-ASCII names as filename*=utf-8''…). Never empty."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in UNSAFE_IN_NAMES)
    base = " ".join(base.split()).strip(" .")
    return base[-150:] or fallback


def file_download_response(field_file, *, filename: str | None = None) -> FileResponse:
    """The file as a private attachment named after the stored file (or `filename`), never
    sniffed or cached by a shared cache, with the content type its content is (never the one
    its name claims: a `.js` or `.html` is served as bytes). 404 when the field is empty or
    the file is gone."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    file_type = uploads.sniff(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(filename or field_file.name),
        content_type=file_type.content_type if file_type else UNKNOWN_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
