"""Load on a production server: gunicorn on this database, browse / search / enrol / e-learning
mixes from client threads on loopback, bounded in time; each mix against a trivial view
(/healthz) hit by the same clients on the same server in the same run.

Two views of each mix: what the clients saw (latency percentiles, queueing included: 16
clients share 2 cores with 3 workers) and what the server spent on each kind of request (wall
and worker CPU time, timed inside the workers by bench/gunicorn_timing.py), next to /healthz's,
with the machine's load during the mix; and the SQL queries one request of each path runs,
counted in-process, which must not grow with the data."""

from __future__ import annotations

import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .core import Result
from .gunicorn_timing import read_timings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "krupd-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One logged-in browser: a cookie jar and the CSRF token the pages hand out."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handler = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(handler)

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> int:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if status >= 400 or not any(c.name == "sessionid" for c in self.jar):
            raise RuntimeError(f"load client could not log in as {username}")

    def take_session_of(self, username: str) -> None:
        """Be logged in as `username` without the login form: a session made the way Django's
        test client makes one, in the database the server reads. Each form login costs the
        server a password hash (about half a second of CPU), which no mix measures; one
        client per role still logs in through the form, so a broken login is still caught."""
        from django.conf import settings
        from django.test import Client as DjangoClient

        from accounts.models import User

        self.get("/accounts/login/")  # the CSRF cookie, as an anonymous visitor gets it
        django_client = DjangoClient()
        django_client.force_login(User.objects.get(username=username))
        name = settings.SESSION_COOKIE_NAME
        self.jar.set_cookie(_cookie(name, django_client.cookies[name].value, self.base))
        with self.opener.open(self.base + "/", timeout=60) as response:
            response.read()
            if urllib.parse.urlsplit(response.url).path != "/":  # sent on to log in
                raise RuntimeError(f"load client could not take a session as {username}")


def _cookie(name: str, value: str, base: str) -> http.cookiejar.Cookie:
    host = urllib.parse.urlsplit(base).hostname
    return http.cookiejar.Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain=host,
        domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
        secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={},
    )  # fmt: skip


def _prepare():
    """An office of real size, one teacher login per client and an open session to enrol in."""
    import datetime as dt

    from accounts.models import User
    from krupd.lib.thai_dates import fiscal_year
    from registry.demo import DEMO_PASSWORD, build_demo, create_demo_users, office_specs
    from registry.models import Office, Person
    from training import actions
    from training.models import Course, Session

    # The clients work in an office of a real office's size (the demo generator's second
    # office: about 104 schools and 1,000 people) while the rest of the database holds what
    # the other workloads left, e.g. the import benchmark's 100,000-person office (the first
    # demo office code): one office among many, as in a national deployment.
    build_demo(offices=2, schools=2 * 104, people=2 * 1_000)  # totals, shared by the offices
    office = Office.objects.get(code=office_specs(offices=2)[1].code)
    create_demo_users(office=office)
    officer = User.objects.get(username="officer")
    teachers = []
    hashed = User.objects.get(username="teacher").password
    for person in Person.objects.filter(office=office, personnel_type="teacher", user__isnull=True)[
        :64
    ]:
        teachers.append(
            User.objects.create(
                username=f"load-{person.pk}",
                password=hashed,
                role="teacher",
                office=office,
                person=person,
            ).username  # fmt: skip
        )
    if not teachers:
        raise RuntimeError(
            f"office {office.code} has no teachers without an account to log in as: another "
            "part made it empty before this one (run the load part first on a shared database)"
        )
    assert DEMO_PASSWORD == PASSWORD
    # A session a month ahead: teachers enrol before a session, not after it.
    day = dt.date.today() + dt.timedelta(days=30)
    course = Course.objects.create(office=office, title="ทดสอบภาระระบบ", mode="seminar", hours=6,
                                   fiscal_year=fiscal_year(day))  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(
            course=course,
            start_date=day,
            end_date=day,
            capacity=20,
        ),  # fmt: skip
    )
    names = list(Person.objects.filter(office=office).values_list("first_name", flat=True)[:200])
    return teachers, session, names, _elearning_course(office, officer, teachers)


def _elearning_course(office, officer, teachers: list[str], modules: int = 20):
    """A self-paced course of `modules` modules (2 lessons and a quiz question each; 20 is
    the size at which the course page was seen at 668 queries) with every load teacher
    enrolled."""
    import datetime as dt

    from accounts.models import User
    from training import actions
    from training.models import Course, Lesson, Module, Question, Session

    title = f"e-Training {modules} หน่วย (ทดสอบภาระระบบ)"
    course = Course.objects.create(office=office, title=title, mode="online", hours=modules,
                                   fiscal_year=2570,
                                   test_days_after_end=3650)  # fmt: skip
    for order in range(1, modules + 1):
        module = Module.objects.create(course=course, order=order, title=f"หน่วย {order}")
        Lesson.objects.bulk_create(
            Lesson(module=module, order=n, title=f"บท {order}.{n}", body="เนื้อหา") for n in (1, 2)
        )
        Question.objects.create(course=course, module=module, text="ข้อใดถูก",
                                choices=["ก", "ข"], correct=1)  # fmt: skip
    Question.objects.create(course=course, text="สอบปลายหลักสูตร", choices=["ถูก", "ผิด"], correct=0)
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=dt.date(2026, 12, 1),
                        end_date=dt.date(2027, 9, 30), capacity=1000),
    )  # fmt: skip
    # (a load teacher who has left the office keeps reading the page without a seat)
    for user in User.objects.filter(username__in=teachers, person__status="active"):
        actions.enrol(acting_user=user, session=session, person=user.person)
    return course


def _queries_per_request(paths: dict[str, tuple[str, str]]) -> dict[str, int]:
    """{label: SQL queries of one GET of the path as that user}, in-process."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User

    out = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        for label, (username, path) in paths.items():
            client = DjangoClient()
            client.force_login(User.objects.get(username=username))
            client.get(path)  # the session's first read of the user and settings
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            if status != 200:
                raise RuntimeError(f"{label}: {path} answered {status}")
            out[label] = len(captured.captured_queries)
    return out


def _enrolled_in(course) -> str:
    from accounts.models import User

    return (
        User.objects.filter(person__enrolments__course=course, person__status="active")
        .order_by("username")
        .values_list("username", flat=True)[0]
    )


def _p(values: list[float], n: int) -> float:
    return statistics.quantiles(values, n=100)[n - 1] if len(values) > 1 else values[0]


# The server-side goal per kind of request, as worker CPU time at the 95th percentile (ms).
# The first statement, wall p95 within 3× /healthz's, compares every page with a view
# that does nothing (3 ms to serve): reading a page's data from the database cannot meet it,
# and the wall time of 16 clients on 2 cores is mostly queueing. A CPU budget says what one
# request may cost whatever the machine's load: a page or a click of the load mixes (home,
# lists, search, a course page, an enrolment, a lesson) within 50 ms, /healthz within 5 ms.
CPU_BUDGET_MS = 50.0
HEALTHZ_BUDGET_MS = 5.0


def cpu_budget_ms(kind: str) -> float:
    return HEALTHZ_BUDGET_MS if kind.startswith("/healthz") else CPU_BUDGET_MS


def _service(timings: dict[str, list[tuple[float, float]]], healthz_p95: float) -> dict:
    """Per kind of request: count, wall and CPU p50/p95 (ms), wall p95 ÷ /healthz's p95, and
    whether its CPU p95 is within its budget (cpu_budget_ms)."""
    out = {}
    for kind, samples in sorted(timings.items(), key=lambda item: -len(item[1])):
        wall, cpu = [w for w, _ in samples], [c for _, c in samples]
        out[kind] = {
            "requests": len(samples),
            "wall p50": round(_p(wall, 50), 1), "wall p95": round(_p(wall, 95), 1),
            "cpu p50": round(_p(cpu, 50), 1), "cpu p95": round(_p(cpu, 95), 1),
            "wall p95 ÷ healthz": round(_p(wall, 95) / healthz_p95, 1) if healthz_p95 else None,
            "cpu budget": cpu_budget_ms(kind),
            "within budget": _p(cpu, 95) <= cpu_budget_ms(kind),
        }  # fmt: skip
    return out


def _over_budget(service: dict) -> str:
    over = [f"{kind} ({v['cpu p95']} ms)" for kind, v in service.items() if not v["within budget"]]
    return ", ".join(over) or "none"


def _cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of every core since boot, from /proc/stat (Linux)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _machine_during(step) -> tuple[dict, dict]:
    """Run `step()`; its result and the machine's load meanwhile: the 1-minute load average at
    the end and the share of all cores busy (any process: the other engineers' work too)."""
    busy0, total0 = _cpu_busy()
    result = step()
    busy1, total1 = _cpu_busy()
    share = (busy1 - busy0) / (total1 - total0) if total1 > total0 else None
    load = {
        "load average 1 min (at end)": round(os.getloadavg()[0], 2),
        "cores busy %": round(100 * share) if share is not None else None,
        "cores": os.cpu_count(),
    }
    return result, load


def _load_text(load: dict) -> str:
    return (f"load average {load['load average 1 min (at end)']}, "
            f"{load['cores busy %']}% of {load['cores']} cores busy")  # fmt: skip


def _kind_text(kind: str, v: dict) -> str:
    within = "" if v["within budget"] else f" OVER its {v['cpu budget']:.0f} ms CPU budget"
    return (f"\n{'':<13}{kind}: {v['requests']} req, {v['wall p50']} / {v['wall p95']}, "
            f"CPU {v['cpu p50']} / {v['cpu p95']}, ×{v['wall p95 ÷ healthz']}{within}")  # fmt: skip


def _serve(port: int, access_log: Path, timing_log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        # Production settings where they bear on speed; not KRUPD_PRODUCTION itself, whose
        # HTTPS redirect and secure cookies a plain-HTTP loopback client cannot follow.
        "KRUPD_PRODUCTION": "0",
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),  # production's default
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "3",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "KRUPD_BENCH_TIMING_LOG": str(timing_log),
    }
    # The product's gunicorn.conf.py, with the timing hooks added (bench/gunicorn_timing.py).
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "bench" / "gunicorn_timing.py"),
               "--bind", f"127.0.0.1:{port}"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    probe = Client(f"http://127.0.0.1:{port}")
    # Workers import Django first; on a busy machine that takes seconds, during which the
    # port refuses connections.
    for _ in range(200):
        time.sleep(0.3)
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before answering")
        try:
            if probe.get("/healthz") == 200:
                return server
        except OSError:  # URLError and refused connections: not listening yet
            continue
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _hammer(clients: list[Client], step, seconds: float) -> dict:
    """Every client repeats `step` until time is up; latencies in ms, errors = 5xx or failures."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop(index: int, client: Client) -> None:
        rng = random.Random(index)
        mine, bad = [], 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status = step(client, rng)
            except Exception:  # a dropped connection counts as an error, not a crash
                status = 599
            mine.append((time.perf_counter() - started) * 1000)
            bad += status >= 500
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "wall": wall, "errors": errors[0],
            "p50": q[49], "p95": q[94], "p99": q[98]}  # fmt: skip


def run(*, database: str, seconds: float = 20.0, clients: int = 16) -> list[Result]:
    import tempfile

    teachers, session, names, elearning = _prepare()
    port = _free_port()
    logs = Path(tempfile.mkdtemp(prefix="krupd-load-"))
    access_log, timing_log = logs / "access.log", logs / "timing.log"
    timing_log.touch()
    server = _serve(port, access_log, timing_log)
    base = f"http://127.0.0.1:{port}"
    try:
        officers, learners = [], []
        for index in range(clients):
            c = Client(base)
            c.login("officer") if index == 0 else c.take_session_of("officer")
            officers.append(c)
        for index, username in enumerate(teachers[:clients]):
            c = Client(base)
            c.login(username) if index == 0 else c.take_session_of(username)
            learners.append(c)

        course_path = f"/training/courses/{session.course_id}/"
        browse_paths = ["/", "/registry/people/", "/registry/schools/", "/registry/people/?page=7",
                        "/registry/quality/", "/training/"]  # fmt: skip

        elearning_path = f"/training/courses/{elearning.pk}/"
        mixes = {
            "browse": (officers, lambda c, rng: c.get(rng.choice(browse_paths))),
            "search": (officers, lambda c, rng: c.get(
                "/registry/people/?q=" + urllib.parse.quote(rng.choice(names)))),
            "enrol": (learners, lambda c, rng: c.post(
                f"/training/sessions/{session.pk}/enrol/", {}) if rng.random() < 0.5
                else c.get(course_path)),
            "e-learning course page, 20 modules": (
                learners, lambda c, rng: c.get(elearning_path)),
        }  # fmt: skip

        def timed_mix(group, step) -> tuple[dict, dict, dict]:
            """The clients' view, the load meanwhile, and the server's timings of the mix."""
            nonlocal offset
            r, load = _machine_during(lambda: _hammer(group, step, seconds))
            # A worker writes its line just after sending the response the client has read.
            time.sleep(0.5)
            timings, offset = read_timings(timing_log, offset)
            return r, load, timings

        time.sleep(0.5)  # the log-ins' last lines
        _, offset = read_timings(timing_log, 0)
        baseline, baseline_load, healthz = timed_mix(officers, lambda c, rng: c.get("/healthz"))
        healthz = {kind: samples for kind, samples in healthz.items() if kind == "/healthz"}
        healthz_wall = [w for samples in healthz.values() for w, _ in samples]
        healthz_p95 = _p(healthz_wall, 95) if healthz_wall else 0.0
        healthz_service = _service(healthz, healthz_p95)
        results = []
        for name, (group, step) in mixes.items():
            r, load, timings = timed_mix(group, step)
            service = _service(timings, healthz_p95)
            rps, base_rps = r["requests"] / r["wall"], baseline["requests"] / baseline["wall"]
            results.append(
                Result(
                    database=database,
                    workload=f"load: {name} ({len(group)} clients, {seconds:.0f} s, gunicorn)",
                    size=r["requests"],
                    unit="req",
                    seconds=r["wall"],
                    baseline="trivial /healthz, same clients and server (× = its req/s ÷ this)",
                    baseline_seconds=r["wall"] * rps / base_rps,
                    service={
                        "kinds": service,
                        "/healthz": healthz_service,
                        "machine": load,
                        "machine during /healthz": baseline_load,
                    },  # fmt: skip
                    extra={
                        "p50/p95/p99 ms": f"{r['p50']:.0f} / {r['p95']:.0f} / {r['p99']:.0f}",
                        "/healthz p50/p95/p99 ms": (
                            f"{baseline['p50']:.0f} / {baseline['p95']:.0f} / {baseline['p99']:.0f}"
                        ),
                        "machine during the mix": _load_text(load),
                        "machine during /healthz": _load_text(baseline_load),
                        "server ms per kind (wall p50/p95, CPU p50/p95, ×/healthz's p95)": "".join(
                            _kind_text(k, v) for k, v in {**healthz_service, **service}.items()
                        ),
                        "kinds over their CPU budget (p95)": _over_budget(service),
                        "errors (5xx or dropped)": r["errors"],
                    },
                )
            )
        learner, search = teachers[0], "/registry/people/?q=" + urllib.parse.quote(names[0])
        queries = _queries_per_request({
            "home (officer)": ("officer", "/"),
            "people list (officer)": ("officer", "/registry/people/"),
            "people search (officer)": ("officer", search),
            "schools (officer)": ("officer", "/registry/schools/"),
            "data quality (officer)": ("officer", "/registry/quality/"),
            "training (officer)": ("officer", "/training/"),
            "course page (teacher)": (learner, course_path),
            "e-learning course, 20 modules (teacher)": (_enrolled_in(elearning), elearning_path),
        })  # fmt: skip
        for row in results:
            row.extra["queries per request"] = "; ".join(f"{k}: {v}" for k, v in queries.items())
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)
