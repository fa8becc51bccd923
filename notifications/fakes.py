"""Local stand-ins for LINE's Messaging API and an SMTP server, for the tests and the
benchmark: nothing in either may reach the outside network."""

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


def serve(server) -> threading.Thread:
    """Run a server in a daemon thread; stop it with server.shutdown()."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def start_line() -> tuple[FakeLine, ThreadingHTTPServer]:
    fake = FakeLine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    serve(server)
    return fake, server


def start_smtp() -> tuple[FakeSMTP, socketserver.ThreadingTCPServer]:
    fake = FakeSMTP()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    serve(server)
    return fake, server
