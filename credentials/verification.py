"""Verifying a credential: a file someone uploads, or the one stored for a code.

The checks, in order, each with its own Thai verdict: the file is a credential at all
(JWT text, a VC 2.0 EnvelopedVerifiableCredential JSON, or a KruPD PDF carrying one);
the key named in its header is one an office of this KruPD published; the Ed25519
signature holds over the exact bytes (any edit breaks it); the content is an
OpenBadgeCredential of the shape KruPD issues, from the office that owns the key; its
status-list bit, read from the signed status list as any verifier would read it; that the
office's issue register holds this very credential (a forgery made with a leaked key fails
here, where outside verifiers can only rely on the status list); and its validity dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import actions, documents, standing, statuslist
from .models import Credential, SigningKey, StatusList

# A credential is a few kilobytes; a certificate PDF carrying one well under a megabyte.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_TOKEN_CHARS = 64 * 1024
ENVELOPE_PREFIX = "data:application/vc+jwt,"
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# Where KruPD's PDFs carry the credential: the XMP metadata packet (see training/certificates.py).
PDF_CREDENTIAL = re.compile(
    rb"<openbadges:credential>([A-Za-z0-9_.-]{20,65536})</openbadges:credential>"
)


@dataclass
class Verdict:
    state: str  # valid, revoked, under_review, expired, not_yet_valid, tampered, unknown_key,
    # malformed
    headline: str
    detail: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    code: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "valid"


def _malformed(detail: str) -> Verdict:
    return Verdict("malformed", "✗ ไฟล์นี้ไม่ใช่เครดเดนเชียลดิจิทัลที่ตรวจสอบได้", detail)


# ------------------------------------------------------------------------- reading uploads


def token_from_bytes(data: bytes) -> str | Verdict:
    """The compact VC-JWT inside an uploaded file, or the verdict on why there is none."""
    if data.startswith(b"%PDF"):
        found = PDF_CREDENTIAL.search(data)
        if not found:
            return _malformed(
                "ไฟล์ PDF นี้ไม่มีเครดเดนเชียลดิจิทัลฝังอยู่ "
                "(เกียรติบัตรที่ดาวน์โหลดจากระบบรายคนจะมี หรือดาวน์โหลดไฟล์เครดเดนเชียลแยก)"
            )
        return found.group(1).decode("ascii")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return _malformed("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ (ต้องเป็นไฟล์ .jwt หรือ .json ที่ดาวน์โหลดจากระบบ)")
    if not text:
        return _malformed("ไฟล์ว่างเปล่า")
    if text.startswith("{") or text.startswith("["):
        return _token_from_json(text)
    if len(text) > MAX_TOKEN_CHARS or not _COMPACT_JWS.match(text):
        return _malformed("เนื้อหาของไฟล์ไม่ใช่เครดเดนเชียลแบบ JWT")
    return text


def _token_from_json(text: str) -> str | Verdict:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return _malformed("ไฟล์ JSON นี้อ่านไม่ได้ (รูปแบบไม่ถูกต้อง)")
    if not isinstance(value, dict):
        return _malformed("ไฟล์ JSON นี้ไม่ใช่เครดเดนเชียล (ต้องเป็นออบเจ็กต์ ไม่ใช่รายการ)")
    kind = value.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    envelope = value.get("id")
    if "EnvelopedVerifiableCredential" in kinds and isinstance(envelope, str):
        if envelope.startswith(ENVELOPE_PREFIX):
            token = envelope[len(ENVELOPE_PREFIX) :].strip()
            if _COMPACT_JWS.match(token) and len(token) <= MAX_TOKEN_CHARS:
                return token
        return _malformed("ไฟล์ JSON นี้ห่อข้อมูลที่ไม่ใช่เครดเดนเชียลแบบ JWT")
    if "proof" in value:
        return _malformed(
            "เครดเดนเชียลนี้ลงนามแบบ Data Integrity ซึ่งระบบนี้ไม่ได้ใช้ เครดเดนเชียลของระบบลงนามแบบ JWT"
        )
    return _malformed("ไฟล์ JSON นี้ไม่มีลายมือชื่อดิจิทัล จึงตรวจสอบไม่ได้ว่าออกโดยใคร")


# ----------------------------------------------------------------------------- verifying


# verify_token's `held` when the caller has not read the register's standing: it is read here.
READ_IT = object()


def verify_token(token: str, *, now: dt.datetime | None = None, held=READ_IT) -> Verdict:
    """held: the register's standing of the credential's certificate (standing.Standing, or
    None while it stands valid) when the caller has read it already, as the verification page
    has; otherwise it is read from the register here."""
    now = now or timezone.now()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        return _malformed("ส่วนหัวของเครดเดนเชียลอ่านไม่ได้")
    if header.get("alg") != "EdDSA" or not isinstance(header.get("kid"), str):
        return _malformed("เครดเดนเชียลนี้ไม่ได้ลงนามด้วยวิธีที่ระบบใช้ (Ed25519)")
    key = _published_key(header["kid"])
    if key is None:
        return Verdict(
            "unknown_key",
            "✗ ลงนามด้วยกุญแจที่ไม่ได้ออกโดยสำนักงานเขตพื้นที่ในระบบนี้",
            "ตรวจสอบว่าผู้ออกเป็นใคร ไม่ได้ เอกสารนี้อาจไม่ได้ออกโดยหน่วยงานที่อ้าง",
        )
    try:
        payload = jwt.decode(
            token,
            jwt.PyJWK(key.public_jwk, algorithm="EdDSA"),
            algorithms=["EdDSA"],
            options={"verify_exp": False, "verify_nbf": False, "verify_aud": False},
        )
    except jwt.InvalidSignatureError:
        return Verdict(
            "tampered",
            "✗ ลายมือชื่อดิจิทัลไม่ถูกต้อง: เนื้อหาถูกแก้ไขหลังออก",
            "ข้อมูลในไฟล์ไม่ตรงกับที่สำนักงานลงนามไว้ อย่าเชื่อข้อความในไฟล์นี้",
        )
    except jwt.PyJWTError:
        return _malformed("เนื้อหาของเครดเดนเชียลอ่านไม่ได้")
    try:
        verdict = _read_credential(payload, key)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, StopIteration):
        return _malformed("เนื้อหาของเครดเดนเชียลไม่ครบหรือผิดรูปแบบของ Open Badges 3.0")
    if verdict.state != "valid":
        return verdict
    return _check_status_and_dates(token, payload, verdict, now, held)


def _published_key(kid_url: str) -> SigningKey | None:
    kid = [part for part in urlsplit(kid_url).path.split("/") if part]
    if not kid:
        return None
    return SigningKey.objects.select_related("office").filter(kid=kid[-1]).first()


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _read_credential(payload: dict, key: SigningKey) -> Verdict:
    """What the credential says, after checking it is an OpenBadgeCredential of the office
    that owns the key that signed it."""
    types = payload["type"]
    contexts = payload["@context"]
    if (
        not isinstance(types, list)
        or "OpenBadgeCredential" not in types
        or not isinstance(contexts, list)
        or contexts[:1] != [documents.VC_CONTEXT]
        or documents.OB_CONTEXT not in contexts
    ):
        return _malformed("เนื้อหาไม่ใช่เครดเดนเชียลแบบ Open Badges 3.0")
    issuer = payload["issuer"]
    issuer_id = _text(issuer["id"])
    if urlsplit(issuer_id).path != urlsplit(documents.issuer_id(key.office)).path:
        return Verdict(
            "unknown_key",
            "✗ ผู้ออกที่ระบุไม่ใช่เจ้าของกุญแจที่ลงนาม",
            "เครดเดนเชียลอ้างว่าออกโดยหน่วยงานหนึ่ง แต่ลงนามด้วยกุญแจของอีกหน่วยงาน",
        )
    subject = payload["credentialSubject"]
    achievement = subject["achievement"]
    recipient = next(
        _text(i["identityHash"])
        for i in subject["identifier"]
        if i.get("identityType") == "name" and i.get("hashed") is False
    )
    facts = [
        ("ชื่อ-สกุล", recipient),
        ("สิ่งที่ได้รับ", _text(payload["name"])),
        ("หลักสูตร/รางวัล", _text(achievement["name"])),
    ]
    if "creditsAvailable" in achievement:
        hours = float(achievement["creditsAvailable"])
        facts.append(("จำนวนชั่วโมงตามหลักสูตร", f"{hours:g}"))
    if "creditsEarned" in subject:
        facts.append(("จำนวนชั่วโมงที่ได้รับ", f"{float(subject['creditsEarned']):g}"))
    alignments = achievement.get("alignment", [])
    if alignments:
        facts.append(("สมรรถนะที่สอดคล้อง", " · ".join(_text(a["targetName"]) for a in alignments)))
    facts.append(("ผู้ออก", _text(issuer["name"])))
    issued = documents.parse_time(payload["validFrom"])
    facts.append(("วันที่ออก", _thai_date(issued)))
    if "validUntil" in payload:
        facts.append(("ใช้ได้ถึง", _thai_date(documents.parse_time(payload["validUntil"]))))
    code = urlsplit(_text(payload["id"])).path.rstrip("/").rsplit("/", 1)[-1]
    return Verdict("valid", "", facts=facts, code=code)


def _thai_date(moment: dt.datetime) -> str:
    from krupd.lib.thai_dates import format_thai_date

    return format_thai_date(moment.astimezone(documents.BANGKOK).date(), style="long")


def _check_status_and_dates(
    token: str, payload: dict, verdict: Verdict, now: dt.datetime, held=READ_IT
) -> Verdict:
    entry = payload["credentialStatus"]
    try:
        if entry["type"] != "BitstringStatusListEntry" or entry["statusPurpose"] != "revocation":
            raise ValueError("unexpected status entry")
        index = int(_text(entry["statusListIndex"]))
        revoked = status_bit(_text(entry["statusListCredential"]), index)
    except (KeyError, TypeError, ValueError, statuslist.BadStatusList):
        return _malformed("ข้อมูลสถานะการเพิกถอนในเครดเดนเชียลไม่ถูกต้อง")
    if revoked is None:
        return _malformed("รายการสถานะการเพิกถอนที่เครดเดนเชียลอ้างถึงไม่มีในระบบ")
    if revoked:
        registered = Credential.objects.filter(code=verdict.code).first()
        verdict.state = "revoked"
        verdict.headline = "✗ เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว"
        verdict.detail = "สำนักงานเพิกถอนหรือออกฉบับใหม่แทนฉบับนี้ ดูรายละเอียดที่หน้าตรวจสอบด้วยรหัส"
        if registered is None:
            verdict.detail = "สำนักงานประกาศเพิกถอนฉบับนี้ในรายการสถานะการเพิกถอน"
            return verdict
        if held is READ_IT:
            held = standing.standing(registered.kind, verdict.code)
        if held and held.state == "revoked":
            # The list's one bit is set for a revoked and a replaced certificate alike; the
            # register says which ("revoked" under the page's "replaced by a new one" read as
            # a contradiction).
            verdict.headline = held.headline
        return verdict
    kind = Credential.objects.filter(code=verdict.code, token=token).values_list("kind", flat=True)
    kind = kind.first()
    if kind is None:
        # The office's key signed it, yet the office never issued it: made with a leaked key.
        return Verdict(
            "unknown_key",
            "✗ ไม่พบเครดเดนเชียลฉบับนี้ในทะเบียนการออกของสำนักงาน",
            "ลายมือชื่อใช้กุญแจของสำนักงานแต่สำนักงานไม่ได้ออกฉบับนี้ อย่าเชื่อข้อความในไฟล์นี้",
        )
    if documents.parse_time(payload["validFrom"]) > now:
        verdict.state = "not_yet_valid"
        verdict.headline = "✗ เครดเดนเชียลนี้ยังไม่ถึงวันที่เริ่มใช้ได้"
        return verdict
    if "validUntil" in payload and documents.parse_time(payload["validUntil"]) < now:
        verdict.state = "expired"
        verdict.headline = "✗ เกียรติบัตรฉบับนี้หมดอายุแล้ว"
        verdict.detail = "ออกโดยหน่วยงานจริงและไม่ได้ถูกเพิกถอน แต่พ้นวันที่ใช้ได้ตามที่หลักสูตรกำหนดแล้ว"
        return verdict
    if held is READ_IT:
        held = standing.standing(kind, verdict.code)
    if held:
        # Not in the status list (which publishes revocation only), but the register says the
        # certificate is not to be relied on now: "still valid" here contradicted the page.
        verdict.state, verdict.headline, verdict.detail = held.state, held.headline, held.detail
        return verdict
    verdict.headline = "✓ ลายมือชื่อดิจิทัลถูกต้อง ออกโดยหน่วยงานจริง และยังใช้ได้"
    verdict.detail = "ตรวจลายมือชื่อกับกุญแจที่สำนักงานประกาศไว้ และตรวจรายการสถานะการเพิกถอนแล้ว"
    return verdict


def status_bit(list_url: str, index: int) -> bool | None:
    """The credential's bit, read from the signed status list served at list_url exactly
    as an outside verifier reads it (signature checked, bitstring decoded); None when the
    address is not one of this KruPD's lists."""
    try:
        match = resolve(urlsplit(list_url).path)
    except Resolver404:
        return None
    if match.view_name != "credentials:status_list":
        return None
    status_list = (
        StatusList.objects.select_related("office")
        .filter(office__code=match.kwargs["office_code"], number=match.kwargs["number"])
        .first()
    )
    if status_list is None:
        return None
    token = actions.signed_status_list(status_list)
    key = _published_key(jwt.get_unverified_header(token)["kid"])
    document = jwt.decode(token, jwt.PyJWK(key.public_jwk, algorithm="EdDSA"), algorithms=["EdDSA"])
    bits = statuslist.decode(document["credentialSubject"]["encodedList"])
    return statuslist.is_set(bits, index)


def verify_upload(upload) -> Verdict:
    """An uploaded file (Django UploadedFile): size checked before anything is read."""
    if upload is None:
        return _malformed("กรุณาเลือกไฟล์เครดเดนเชียล (.jwt, .json หรือเกียรติบัตร PDF)")
    if upload.size > MAX_UPLOAD_BYTES:
        return _malformed(
            f"ไฟล์ใหญ่เกินไป ({upload.size / 1024 / 1024:.1f} MB) "
            f"รับไฟล์ไม่เกิน {MAX_UPLOAD_BYTES // 1024 // 1024} MB"
        )
    found = token_from_bytes(upload.read(MAX_UPLOAD_BYTES + 1))
    if isinstance(found, Verdict):
        return found
    return verify_token(found)


def verify_stored(code: str, *, held=READ_IT) -> Verdict | None:
    """The stored credential of a code, verified; held as verify_token's (the verification
    page passes the standing it read with the certificate, so it is not read twice)."""
    credential = Credential.objects.filter(code=code).first()
    return verify_token(credential.token, held=held) if credential else None
