"""What a lesson asks of a learner besides time, and how far they have come.

A lesson whose video the page can play itself (a YouTube link through YouTube's IFrame
player, or a video file: an .mp4/.webm/.ogv link or an uploaded file) is a *video lesson*:
the player reports how far the learner has watched without skipping ahead, and the course's
`min_watched_pct` of its length must be watched. A lesson with text and no such video is a
*reading lesson*: the learner must reach the end of the text. Any other link (a video on a
site the page cannot measure) opens in a new tab and only the lesson time counts.

The rule engine (results.py) and the lesson page both use these functions, so what the page
asks for is exactly what the result requires.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from urllib.parse import parse_qs, urlparse

VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".ogg", ".m4v")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")

# A player may run at up to double speed; progress beyond that, plus a little slack for the
# report interval, is not believed.
MAX_PLAYBACK_RATE = 2
SLACK_SECONDS = 10
LONGEST_VIDEO_SECONDS = 6 * 3600

# Content-Security-Policy additions for a page with YouTube's player: its script, and its
# frame from the privacy-enhanced (no-cookie) host.
YOUTUBE_PLAYER_SOURCES = {
    "script-src": ["https://www.youtube.com", "https://s.ytimg.com"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com"],
    "img-src": ["https://i.ytimg.com"],
}


@dataclass(frozen=True)
class LessonMedia:
    kind: str  # "youtube", "file" (played on the page), "link" (not measured) or ""
    youtube_id: str = ""
    src: str = ""

    @property
    def measured(self) -> bool:
        return self.kind in ("youtube", "file")


def youtube_id(url: str) -> str:
    """The 11-character video id of a YouTube watch, share, embed or shorts link, else ""."""
    try:
        parts = urlparse(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    candidate = ""
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = parts.path.split("/")[2]
    return candidate if _YOUTUBE_ID.match(candidate) else ""


def _file_name(lesson) -> str:
    """The lesson's uploaded file's stored name ("" without one). Read as loaded when it is
    still the stored text: Django wraps it in a FieldFile on first access, 7 µs a lesson, a
    twentieth of an e-learning course page that checks each of its lessons' media."""
    stored = lesson.__dict__.get("file")
    if type(stored) is str:
        return stored
    return lesson.file.name or "" if lesson.file else ""


def media(lesson, *, file_url: str = "") -> LessonMedia:
    """How the lesson's video is shown; `file_url` is where its uploaded file is served."""
    if lesson.video_url:
        vid = youtube_id(lesson.video_url)
        if vid:
            return LessonMedia("youtube", youtube_id=vid)
        if urlparse(lesson.video_url).path.lower().endswith(VIDEO_EXTENSIONS):
            return LessonMedia("file", src=lesson.video_url)
    if _file_name(lesson).lower().endswith(VIDEO_EXTENSIONS):
        return LessonMedia("file", src=file_url)
    if lesson.video_url:
        return LessonMedia("link", src=lesson.video_url)
    return LessonMedia("")


def player_sources(lesson_media: LessonMedia) -> dict[str, list[str]]:
    """What the lesson page's Content-Security-Policy must add for its player: YouTube's
    script and frame, or the site a linked video file is played from."""
    if lesson_media.kind == "youtube":
        return YOUTUBE_PLAYER_SOURCES
    if lesson_media.kind == "file" and lesson_media.src.startswith(("https://", "http://")):
        parts = urlparse(lesson_media.src)
        return {"media-src": [f"{parts.scheme}://{parts.netloc}"]}
    return {}


def is_reading(lesson) -> bool:
    """A lesson of text to read to its end: it has text and no video the page can measure."""
    return bool(lesson.body.strip()) and not media(lesson).measured


def watched_pct(lesson, progress) -> Decimal | None:
    """How much of the lesson's video the learner has watched, or None when it cannot be
    said (no measured video, or no player has reported the video's length yet)."""
    if not media(lesson).measured or not lesson.video_seconds:
        return None
    watched = progress.watched_seconds if progress else 0
    pct = Decimal(min(watched, lesson.video_seconds)) * 100 / lesson.video_seconds
    # Whole percent, rounded down: 79.6 % watched is not the 80 % a course asks for.
    return pct.quantize(Decimal("1"), rounding=ROUND_FLOOR)


def believable_position(
    *, watched: int, reported: float, duration: int, since: dt.datetime | None, now: dt.datetime
) -> int:
    """The furthest position to record: what the player reports, but never more than could
    have been watched in the time since the last report (at double speed), nor past the end."""
    if since is None:
        return watched
    elapsed = max(0.0, (now - since).total_seconds())
    ceiling = watched + elapsed * MAX_PLAYBACK_RATE + SLACK_SECONDS
    return int(max(watched, min(reported, ceiling, duration)))


def unmet(course, lesson, progress) -> list[str]:
    """What the lesson still asks of the learner besides time, in the words the page shows."""
    out = []
    pct = watched_pct(lesson, progress)
    if media(lesson).measured and (pct is None or pct < course.min_watched_pct):
        seen = f" (ดูแล้ว {pct}%)" if pct is not None else ""
        out.append(f"ยังดูวิดีโอไม่ครบ {course.min_watched_pct}%{seen}")
    if is_reading(lesson) and not (progress and progress.read_to_end_at):
        out.append("ยังอ่านเนื้อหาไม่ถึงท้ายบท")
    return out
