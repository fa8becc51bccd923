"""The two LINE Messaging API calls KruPD makes: verify a webhook's signature, and push a
text message. Plain HTTP through the standard library; the API address is a setting so
tests and the benchmark talk to a local fake server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request

from django.conf import settings

PUSH_PATH = "/v2/bot/message/push"
REPLY_PATH = "/v2/bot/message/reply"
TIMEOUT_SECONDS = 10
REPLY_TIMEOUT_SECONDS = 5  # a reply is sent while LINE waits for the webhook's answer
MAX_TEXT = 5000  # LINE's limit for one text message


def api_base() -> str:
    return getattr(settings, "LINE_API_BASE", "") or os.environ.get(
        "LINE_API_BASE", "https://api.line.me"
    )


def signature_valid(*, channel_secret: str, body: bytes, signature: str) -> bool:
    """X-Line-Signature is base64(HMAC-SHA256(channel secret, raw body))."""
    expected = base64.b64encode(
        hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    ).decode()
    return hmac.compare_digest(expected, signature or "")


class PushError(Exception):
    """A push LINE did not accept. `retry` says whether trying later may succeed."""

    def __init__(self, reason: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


def push_rate() -> float:
    """Pushes a second allowed per channel, across all workers (ratelimit.py). LINE allows
    2,000; the default keeps half of it for the office's own use of the Official Account."""
    value = getattr(settings, "LINE_PUSH_PER_SECOND", None)
    return float(value if value is not None else os.environ.get("LINE_PUSH_PER_SECOND", "1000"))


def _reason_for(status: int) -> tuple[str, bool]:
    if status == 401:
        return "LINE ไม่รับโทเค็นของบัญชีทางการ (Channel access token ไม่ถูกต้องหรือหมดอายุ)", False
    if status == 403:
        return "บัญชีทางการ LINE ไม่มีสิทธิ์ส่งข้อความนี้", False
    if status == 400:
        return "LINE ไม่รับข้อความ (ผู้รับไม่ถูกต้อง หรือผู้ใช้ยังไม่ได้เพิ่มบัญชีทางการเป็นเพื่อน)", False
    if status == 429:
        return "LINE จำกัดจำนวนข้อความ (ส่งเร็วเกินไปหรือเกินโควตารายเดือน) จะส่งซ้ำภายหลัง", True
    return f"เซิร์ฟเวอร์ LINE ขัดข้อง (รหัส {status}) จะส่งซ้ำภายหลัง", True


def _request(path: str, *, token: str, payload: dict, headers: dict | None = None):
    return urllib.request.Request(
        api_base().rstrip("/") + path,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            **(headers or {}),
        },
    )


def reply_text(*, token: str, reply_token: str, text: str) -> None:
    """Answer a webhook event (a message, a follow) with one text message. Replies are free
    and not retried: the reply token is good for one answer within a minute."""
    request = _request(
        REPLY_PATH,
        token=token,
        payload={
            "replyToken": reply_token,
            "messages": [{"type": "text", "text": text[:MAX_TEXT]}],
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PushError(_reason_for(error.code)[0], retry=False) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise PushError(f"ติดต่อเซิร์ฟเวอร์ LINE ไม่ได้ ({error})", retry=False) from None


def push_text(*, token: str, to: str, text: str, retry_key: str) -> None:
    """Push one text message; raises PushError. A 409 answer to a repeated retry key means
    LINE already accepted this very message: that is a success, not a second send."""
    request = _request(
        PUSH_PATH,
        token=token,
        payload={"to": to, "messages": [{"type": "text", "text": text[:MAX_TEXT]}]},
        headers={"X-Line-Retry-Key": retry_key},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        if error.code == 409 and error.headers.get("x-line-accepted-request-id"):
            return
        reason, retry = _reason_for(error.code)
        retry_after = error.headers.get("Retry-After")
        raise PushError(
            reason,
            retry=retry,
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise PushError(f"ติดต่อเซิร์ฟเวอร์ LINE ไม่ได้ ({error}) จะส่งซ้ำภายหลัง", retry=True) from None
