"""Drive the Moodle comparison once the servers are up (compare.sh starts them and runs this).

For each workload and concurrency, wrk runs against Moodle and then against KruPD, back to
back in the same run, with one logged-in user per connection (logged in beforehand; each
user's first answer checked to be their logged-in page). Every answer of every run is checked
by the wrk script (a page: 200, never a login redirect; an enrolment: a redirect on to the
course, not to the login page), and the enrolments each side's learners made are counted in
its database afterwards. Prints the table and writes it to $BENCH_DIR/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/var/tmp/krupd-moodle-bench"))
MOODLE = f"http://127.0.0.1:{os.environ.get('MOODLE_HTTP_PORT', '18080')}"
KRUPD = f"http://127.0.0.1:{os.environ.get('KRUPD_HTTP_PORT', '18081')}"
KRUPD_PASSWORD = "krupd-demo"
WORKLOADS = ["course-5", "dashboard", "search", "self-enrol", "course-20"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar that logs in through nginx like a user and then hands its cookies to wrk."""

    def __init__(self, base: str, follow: bool = True):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow:
            handlers.append(NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)

    def fetch(self, path: str, data: dict | None = None, headers=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")


@dataclass
class Login:
    cookie: str  # the Cookie header wrk sends
    token: str  # Moodle's sesskey or Django's CSRF token


def moodle_login(username: str, password: str) -> Login:
    browser = Browser(MOODLE)
    _, page = browser.fetch("/login/index.php")
    token = re.search(r'name="logintoken" value="([^"]+)"', page).group(1)
    browser.fetch(
        "/login/index.php", {"username": username, "password": password, "logintoken": token}
    )
    status, page = browser.fetch("/my/")
    sesskey = re.search(r'"sesskey":"([^"]+)"', page)
    if status != 200 or not sesskey or "login/logout.php" not in page:
        raise RuntimeError(f"Moodle: {username} could not log in (/my/ answered {status})")
    return Login(f"MoodleSession={browser.cookie('MoodleSession')}", sesskey.group(1))


def krupd_login(username: str) -> Login:
    browser = Browser(KRUPD)
    browser.fetch("/accounts/login/")
    browser.fetch(
        "/accounts/login/",
        {
            "username": username,
            "password": KRUPD_PASSWORD,
            "csrfmiddlewaretoken": browser.cookie("csrftoken"),
        },
        headers={"Referer": KRUPD + "/accounts/login/"},
    )
    session, csrf = browser.cookie("sessionid"), browser.cookie("csrftoken")
    if not session:
        raise RuntimeError(f"KruPD: {username} could not log in")
    return Login(f"sessionid={session}; csrftoken={csrf}", csrf)


def check_logged_in(base: str, login: Login, path: str, marker: str) -> None:
    """The user's answer to the workload's first GET is their page, not a login redirect."""
    browser = Browser(base, follow=False)
    status, page = browser.fetch(path, headers={"Cookie": login.cookie})
    if status != 200 or marker not in page:
        raise RuntimeError(f"{base}{path}: answered {status} without the logged-in page")


def moodle_cli(*args: str) -> object:
    src = (BENCH_DIR / "moodle-src").read_text().strip()
    out = subprocess.run(
        [
            "runuser",
            "-u",
            "www-data",
            "--",
            os.environ.get("PHP", "php8.2"),
            "-d",
            "max_input_vars=5000",
            str(BENCH_DIR / "moodle_data.php"),
            src,
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def krupd_cli(*args: str) -> object:
    out = subprocess.run(
        [sys.executable, "-m", "bench.moodle.krupd_side", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@dataclass
class Side:
    """One system's half of a workload at one concurrency: who logs in, what they send."""

    base: str
    logins: list[Login]
    requests: list[str]  # "METHOD\tpath\tbody" lines
    expect: str  # "200" or "redirect"


def run_wrk(side: Side, connections: int, seconds: int, tag: str) -> dict:
    work = BENCH_DIR / "run" / "wrk"
    work.mkdir(parents=True, exist_ok=True)
    cookies, requests = work / f"{tag}.cookies", work / f"{tag}.requests"
    cookies.write_text("".join(f"{x.cookie}\t{x.token}\n" for x in side.logins[:connections]))
    requests.write_text("".join(line + "\n" for line in side.requests))
    command = [
        "wrk",
        "-t",
        str(connections),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(HERE / "logged_in.lua"),
        side.base,
        "--",
        str(cookies),
        str(requests),
        side.expect,
    ]
    out = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=seconds + 120
    ).stdout
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def get_lines(paths: list[str]) -> list[str]:
    return [f"GET\t{p}\t" for p in paths]


def sides(workload: str, connections: int, moodle: dict, krupd: dict, logins: dict, run_id: str):
    """(Moodle side, KruPD side, marker pages to check) of a workload at `connections`."""
    students, teachers, officers = logins["students"], logins["teachers"], logins["officers"]
    if workload in ("course-5", "course-20"):
        key = "course5" if workload == "course-5" else "course20"
        return (
            Side(MOODLE, students, get_lines([f"/course/view.php?id={moodle[key]}"]), "200"),
            Side(KRUPD, teachers, get_lines([f"/training/courses/{krupd[key]}/"]), "200"),
        )
    if workload == "dashboard":
        return (
            Side(MOODLE, students, get_lines(["/my/"]), "200"),
            Side(KRUPD, teachers, get_lines(["/"]), "200"),
        )
    if workload == "search":
        words = [urllib.parse.quote(w) for w in moodle["words"]]
        names = [urllib.parse.quote(n) for n in krupd["names"]]
        return (
            Side(
                MOODLE,
                students,
                get_lines([f"/course/search.php?search={w}" for w in words]),
                "200",
            ),
            Side(KRUPD, officers, get_lines([f"/registry/people/?q={n}" for n in names]), "200"),
        )
    if workload == "self-enrol":
        # Learners of their own for this run, who have enrolled in nothing yet.
        prefix = f"enrol-{run_id}-c{connections}"
        m_users = moodle_cli("users", prefix, str(connections))
        k_users = krupd_cli("users", prefix, str(connections))
        m_lines = [
            f"POST\t/enrol/index.php\tid={c['course']}&instance={c['instance']}&sesskey=%TOKEN%"
            f"&_qf__{c['instance']}_enrol_self_enrol_form=1&submitbutton=Enrol+me"
            for c in moodle["enrol_courses"]
        ]
        k_lines = [
            f"POST\t/training/sessions/{s}/enrol/\tcsrfmiddlewaretoken=%TOKEN%"
            for s in krupd["enrol_sessions"]
        ]
        return (
            Side(
                MOODLE, [moodle_login(u, moodle["password"]) for u in m_users], m_lines, "redirect"
            ),
            Side(KRUPD, [krupd_login(u) for u in k_users], k_lines, "redirect"),
            prefix,
        )
    raise ValueError(workload)


def check_sides(moodle_side: Side, krupd_side: Side, connections: int) -> None:
    if moodle_side.expect != "200":
        return
    moodle_path = moodle_side.requests[0].split("\t")[1]
    krupd_path = krupd_side.requests[0].split("\t")[1]
    for login in moodle_side.logins[:connections]:
        check_logged_in(MOODLE, login, moodle_path, "login/logout.php")
    for login in krupd_side.logins[:connections]:
        check_logged_in(KRUPD, login, krupd_path, "/accounts/logout/")


def machine() -> str:
    cpus = os.cpu_count()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()[0]
    return f"{cpus} cores ({model}), {platform.system()} {platform.release()}, load {load:.1f}"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(roots: list[int]) -> float:
    """CPU seconds (user + system) spent so far by the processes under `roots`: each live
    process's own time plus what its exited children left in its cutime/cstime (a recycled
    gunicorn worker, a closed PostgreSQL backend), so nothing is counted twice or lost."""
    parent, ticks = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # exited meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        ticks[pid] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [r for r in roots if r in ticks]
    while todo:
        pid = todo.pop()
        total += ticks[pid]
        todo += [child for child, up in parent.items() if up == pid]
    return total / CLOCK_TICKS


def _pid(path: Path) -> int:
    return int(path.read_text().split()[0])


def server_roots() -> dict[str, list[int]]:
    """The process trees that serve each side: its app server and its PostgreSQL (the shared
    nginx and wrk are left out)."""
    run = BENCH_DIR / "run"
    return {
        "moodle": [_pid(run / "php-fpm.pid"), _pid(BENCH_DIR / "moodle-pg/data/postmaster.pid")],
        "krupd": [_pid(run / "gunicorn.pid"), _pid(BENCH_DIR / "krupd-pg/data/postmaster.pid")],
    }


def measure(side: Side, name: str, connections: int, seconds: int) -> dict:
    app, database = server_roots()[name]
    before = _tree_cpu_seconds([app]), _tree_cpu_seconds([database])
    result = run_wrk(side, connections, seconds, name)
    result["cpu_seconds_app"] = _tree_cpu_seconds([app]) - before[0]
    result["cpu_seconds_db"] = _tree_cpu_seconds([database]) - before[1]
    result["cpu_seconds"] = result["cpu_seconds_app"] + result["cpu_seconds_db"]
    return result


def combine(runs: list[dict]) -> dict:
    """Several rounds of one side as one: totals, req/s over all of them, CPU ms a request."""
    total = {key: sum(r[key] for r in runs)
             for key in ("requests", "seconds", "wrong", "repeats", "socket_errors",
                         "cpu_seconds", "cpu_seconds_app", "cpu_seconds_db")}  # fmt: skip
    total["wrong_statuses"] = " ".join(r["wrong_statuses"] for r in runs).strip()
    total["enrolled"] = sum(r.get("enrolled", 0) for r in runs)
    total["rps"] = total["requests"] / total["seconds"]
    for part in ("", "_app", "_db"):
        total[f"cpu_ms{part}"] = 1000 * total[f"cpu_seconds{part}"] / max(total["requests"], 1)
    total["p50_ms"] = max(r["p50_ms"] for r in runs)
    return total


def run_pair(workload, connections, args, moodle, krupd, logins, run_id) -> tuple[dict, dict]:
    """`args.rounds` rounds of Moodle and KruPD back to back, the order swapped every round so
    that a change in the other load on the machine falls on both sides alike."""
    runs = {"moodle": [], "krupd": []}
    for round_ in range(args.rounds):
        moodle_side, krupd_side, *enrol = sides(
            workload, connections, moodle, krupd, logins, f"{run_id}r{round_}"
        )
        check_sides(moodle_side, krupd_side, connections)
        pair = {"moodle": moodle_side, "krupd": krupd_side}
        if args.warmup and not enrol and round_ == 0:
            for side in pair.values():
                run_wrk(side, connections, args.warmup, "warmup")
        order = ["moodle", "krupd"] if round_ % 2 == 0 else ["krupd", "moodle"]
        for name in order:
            result = measure(pair[name], name, connections, args.seconds)
            if enrol:
                cli = moodle_cli if name == "moodle" else krupd_cli
                result["enrolled"] = cli("count", enrol[0])["self_enrolments"]
                if name == "krupd":  # its home page reads them: krupd_side.forget_enrolments
                    krupd_cli("forget", enrol[0])
            runs[name].append(result)
    return combine(runs["moodle"]), combine(runs["krupd"])


def describe_checks(workload: str, m: dict, k: dict, in_flight: int) -> str:
    """What was checked, and every answer or enrolment count that was not right."""
    if workload == "self-enrol":
        # Each answered POST enrolled; the requests in flight when wrk stopped (at most one
        # a connection and run) may have enrolled too, unanswered.
        right = all(r["requests"] <= r["enrolled"] <= r["requests"] + in_flight for r in (m, k))
        text = (
            f"enrolments in the database {'' if right else '(WRONG) '}Moodle {m['enrolled']} "
            f"for {m['requests']} answers, KruPD {k['enrolled']} for {k['requests']} "
            f"(+ at most {in_flight} in flight at the stops); repeats {m['repeats']}/{k['repeats']}"
        )
    else:
        text = "every answer a logged-in 200"
    if m["wrong"] + m["socket_errors"] + k["wrong"] + k["socket_errors"]:
        text = (
            f"wrong answers: Moodle {m['wrong_statuses'] or '-'}; KruPD "
            f"{k['wrong_statuses'] or '-'}; socket errors {m['socket_errors']}/"
            f"{k['socket_errors']}. {text}"
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15, help="of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="Moodle/KruPD pairs per row")
    parser.add_argument("--concurrency", default="8,16")
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS),
        help="comma-separated, from: " + ", ".join(WORKLOADS),
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load first")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    moodle = json.loads((BENCH_DIR / "moodle-state.json").read_text())
    krupd = json.loads((BENCH_DIR / "krupd-state.json").read_text())
    most = max(levels)
    print(f"logging in {most} users per side and workload ...", file=sys.stderr)
    logins = {
        "students": [moodle_login(u, moodle["password"]) for u in moodle["students"][:most]],
        "teachers": [krupd_login(u) for u in krupd["teachers"][:most]],
        "officers": [krupd_login(u) for u in krupd["officers"][:most]],
    }
    queries = krupd_cli("queries", str(BENCH_DIR / "krupd-state.json"))
    run_id = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    load_before = os.getloadavg()[0]
    rows = []
    print(
        f"{'workload':<10} {'c':>3} {'Moodle':>7} {'KruPD':>7} {'ratio':>6} {'Moodle':>7} "
        f"{'KruPD':>7} {'ratio':>6} {'errors':>6} {'SQL':>4}\n"
        f"{'':<10} {'':>3} {'req/s':>7} {'req/s':>7} {'':>6} {'CPU ms':>7} {'CPU ms':>7} "
        f"{'CPU':>6} {'M/K':>6} {'K':>4}  checked"
    )
    for workload in workloads:
        for connections in levels:
            m, k = run_pair(workload, connections, args, moodle, krupd, logins, run_id)
            ratio = k["rps"] / m["rps"] if m["rps"] else float("inf")
            cpu_ratio = m["cpu_ms"] / k["cpu_ms"] if k["cpu_ms"] else float("inf")
            errors = f"{m['wrong'] + m['socket_errors']}/{k['wrong'] + k['socket_errors']}"
            rows.append({
                "workload": workload, "connections": connections, "moodle": m, "krupd": k,
                "ratio": round(ratio, 2), "cpu_ratio": round(cpu_ratio, 2),
                "krupd_queries": queries.get(workload),
            })  # fmt: skip
            checks = describe_checks(workload, m, k, connections * args.rounds)
            print(
                f"{workload:<10} {connections:>3} {m['rps']:>7.1f} {k['rps']:>7.1f} {ratio:>5.2f}× "
                f"{m['cpu_ms']:>7.1f} {k['cpu_ms']:>7.1f} {cpu_ratio:>5.2f}× {errors:>6} "
                f"{queries.get(workload, ''):>4}  {checks}",
                flush=True,
            )
    out = {
        "when": run_id,
        "machine": machine(),
        "load_average_before": load_before,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "moodle_release": moodle_release(),
        "rows": rows,
    }
    (BENCH_DIR / "results.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print("\nCPU ms per request, app server + PostgreSQL:")
    for row in rows:
        m, k = row["moodle"], row["krupd"]
        print(
            f"  {row['workload']:<10} {row['connections']:>3}  Moodle {m['cpu_ms_app']:.1f} + "
            f"{m['cpu_ms_db']:.1f}   KruPD {k['cpu_ms_app']:.1f} + {k['cpu_ms_db']:.1f}"
        )
    print(
        f"\n{out['machine']} (at the start {load_before:.1f}); Moodle {out['moodle_release']}; "
        f"{args.rounds} × {args.seconds} s per side and row, the two sides back to back; "
        f"CPU ms = app server + its PostgreSQL, per request; results in "
        f"{BENCH_DIR / 'results.json'}"
    )


def moodle_release() -> str:
    src = Path((BENCH_DIR / "moodle-src").read_text().strip())
    match = re.search(r"\$release\s*=\s*'([^']+)'", (src / "version.php").read_text())
    return match.group(1) if match else "?"


if __name__ == "__main__":
    main()
