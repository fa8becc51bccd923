"""The shared cast, a course with one small session, and local fake servers for LINE's
Messaging API and for SMTP (no test reaches the outside network)."""

import datetime as dt
import json
import socketserver
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from krupd.testing import *  # noqa: F401,F403
from notifications import actions as notify_actions
from training import actions as training_actions
from training.models import Course, Session


@pytest.fixture
def course(office, users):
    return Course.objects.create(
        office=office,
        title="การจัดการเรียนรู้เชิงรุก",
        mode="workshop",
        hours=Decimal("6"),
        fiscal_year=2569,
        min_attendance_pct=80,
        min_post_test_pct=0,
        self_enrol=True,
        status="open",
        created_by=users["development_officer"],
    )


@pytest.fixture
def session(course, users):
    s = Session(
        course=course,
        name="รุ่นที่ 1",
        start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 12),
        capacity=1,
        hours_per_day=Decimal("6"),
        place="ห้องประชุมเพชรพัฒนา",
    )
    return training_actions.save_session(acting_user=users["development_officer"], session=s)


class FakeLine:
    """Answers pushes like LINE's API: the next statuses can be scripted; records requests."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[int] = []
        self.accepted_keys: set[str] = set()

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "key": self.headers.get("X-Line-Retry-Key"),
                        "json": json.loads(body),
                    }
                )
                status = fake.script.pop(0) if fake.script else 200
                key = self.headers.get("X-Line-Retry-Key")
                if status == 200 and key in fake.accepted_keys:
                    status = 409  # LINE: this retry key was already accepted
                if status == 200:
                    fake.accepted_keys.add(key)
                self.send_response(status)
                if status == 409:
                    self.send_header("x-line-accepted-request-id", "abc")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def fake_line(settings):
    fake = FakeLine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


class FakeSMTP:
    """Enough of SMTP (RFC 5321) for Django's backend: records each message's DATA."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    def handler(self):
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 fake ESMTP")
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 fake")
                    elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                        self.reply("250 OK")
                    elif command == "DATA":
                        self.reply("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        fake.messages.append(data)
                        self.reply("250 queued")
                    elif command == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        return Handler


@pytest.fixture
def fake_smtp(settings):
    fake = FakeSMTP()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.server_address[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield fake
    server.shutdown()
    server.server_close()


LINE_SECRET = "0123456789abcdef0123456789abcdef"
LINE_TOKEN = "test-access-token"


@pytest.fixture
def line_channel(office, users):
    return notify_actions.save_line_channel(
        acting_user=users["office_admin"],
        office=office,
        basic_id="@krupd-test",
        secret=LINE_SECRET,
        token=LINE_TOKEN,
        enabled=True,
    )
