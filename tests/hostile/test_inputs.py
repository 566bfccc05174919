#!/usr/bin/env python3
"""test_inputs.py -- hostile inputs through the command line.

Resource bounds: inputs that once made tocm quadratic in time, output or
memory (issue 10, defects 4, 8, 11, 12, 14) must now cost a small multiple of
their size. Terminal safety: ids and titles holding escape sequences or
right-to-left overrides are printed escaped (defect 9).

Usage: test_inputs.py TOCM [NAME...]

Each check generates its input in a scratch directory, runs tocm with a time
limit and an output limit (the process is killed past an output limit or a
hang, so a regression fails in seconds, not after printing gigabytes), and
checks the exit status, what was printed, the CPU time (a busy machine
stretches wall time, not CPU time) and the peak memory (maximum resident set size of
that one process, from wait4). Limits are generous (a loaded machine, the
sanitizer build): the defects they guard against cost 10 to 100 times more.
"""
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

TOCM = os.path.abspath(sys.argv[1])
ONLY = set(sys.argv[2:])
# The sanitizer build is slower and keeps freed memory in quarantine.
SANITIZED = os.environ.get("TOCM_SANITIZED") == "1"
SLOW = 4 if SANITIZED else 1

passed = failed = 0


class Run:
    def __init__(self, status, out, err, seconds, rss_mb, killed):
        self.status, self.out, self.err = status, out, err
        self.seconds, self.rss_mb, self.killed = seconds, rss_mb, killed


# The time limit is on CPU time, which a busy machine does not stretch;
# wall time only stops a run that hangs, at WALL_FACTOR times the limit.
WALL_FACTOR = 5


def run(args, cwd, max_out=8 << 20, max_seconds=30, stdin=None):
    """Runs tocm ARGS; kills it past max_out bytes of standard output or
    WALL_FACTOR * max_seconds of wall time, and counts it as killed past
    max_seconds of CPU time. Returns a Run (killed says why, or None)."""
    budget = max_seconds * SLOW
    start = time.monotonic()
    p = subprocess.Popen([TOCM] + args, cwd=cwd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = bytearray(), bytearray()
    killed = None
    streams = {p.stdout.fileno(): out, p.stderr.fileno(): err}
    while streams:
        left = budget * WALL_FACTOR - (time.monotonic() - start)
        if left <= 0:
            killed = "took more than %d s of wall time" % (budget * WALL_FACTOR)
            break
        ready, _, _ = select.select(list(streams), [], [], min(left, 1.0))
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                del streams[fd]
                continue
            streams[fd].extend(chunk)
        if len(out) > max_out:
            killed = "printed more than %d bytes" % max_out
            break
    if killed:
        p.send_signal(signal.SIGKILL)
    _, status, usage = os.wait4(p.pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    if not killed and cpu > budget:
        killed = "used %.1f s of CPU, more than %d s" % (cpu, budget)
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    p.stderr.close()
    return Run(p.returncode, bytes(out), bytes(err), time.monotonic() - start,
               usage.ru_maxrss / 1024, killed)


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def within(name, r, max_rss_mb):
    """The run finished on its own, within max_rss_mb of memory."""
    limit = max_rss_mb * (3 if SANITIZED else 1)
    check(name + " (finished)", not r.killed, r.killed or "")
    check(name + " (memory)", r.rss_mb <= limit,
          "%.0f MB, limit %d MB" % (r.rss_mb, limit))


def write_model(dir, model, name="model.json"):
    path = os.path.join(dir, name)
    with open(path, "w") as f:
        json.dump(model, f)
    return path


def program():
    return {"id": "p", "title": "Program"}


# ---- defect 4: a cycle report quadratic in the number of back-edges -------
def cycles(work):
    n = 20000
    nodes = [{"id": "N%d" % i, "level": "l", "title": "t",
              "contributes_to": (["N%d" % (i + 1)] if i + 1 < n else []) + (["N0"] if i else [])}
             for i in range(n)]
    write_model(work, {"tocm": 1, "program": program(), "levels": ["l"], "nodes": nodes})
    r = run(["validate", "model.json"], work, max_out=64 << 20)
    within("cycles: 20,000 links back to the top of a chain", r, 200)
    lines = r.out.decode("utf-8", "replace").splitlines()
    e106 = [l for l in lines if " E106 " in l]
    check("cycles: 10 cycles spelled out and one line for the rest", len(e106) == 11,
          "%d E106 lines" % len(e106))
    check("cycles: the rest are counted",
          any("19989 more links close a cycle" in l for l in e106),
          e106[-1][:200] if e106 else "no E106")
    check("cycles: output is linear", len(r.out) < 16 << 20, "%d bytes" % len(r.out))
    check("cycles: exit status 1", r.status == 1, str(r.status))


# ---- defect 12: show drops nodes deeper than ~256 levels ------------------
def deep_show(work):
    n = 1000
    levels = ["L%d" % i for i in range(n)]
    nodes = [{"id": "N%d" % i, "level": "L%d" % i, "title": "T%d" % i,
              "contributes_to": ["N%d" % (i - 1)] if i else []} for i in range(n)]
    write_model(work, {"tocm": 1, "program": program(), "levels": levels, "nodes": nodes})
    r = run(["show", "model.json"], work)
    within("deep show: a 1,000-level chain", r, 100)
    text = r.out.decode("utf-8", "replace")
    shown = sum(1 for i in range(n) if ("N%d [" % i) in text)
    check("deep show: every node is shown", shown == n, "%d of %d shown" % (shown, n))
    check("deep show: exit status 0", r.status == 0, str(r.status) + r.err.decode()[:200])
    check("deep show: output is linear", len(r.out) < 1 << 20, "%d bytes" % len(r.out))


# ---- defect 9: control characters printed raw -----------------------------
def escapes(work):
    write_model(work, {"tocm": 1, "program": program(), "levels": ["goal", "out"], "nodes": [
        {"id": "G", "level": "goal", "title": "Goal \u202eevil\u202c \x1b[31mred\x1b[0m",
         "country": "KH", "status": "do\x1bne\x07"},
        {"id": "O1", "level": "out", "title": "bad\x9b2J\ttab\nline", "contributes_to": ["G"]}]})
    r = run(["show", "model.json"], work)
    out = r.out.decode("utf-8", "replace")
    check("escapes: show exits 0", r.status == 0, str(r.status))
    raw = [c for c in out if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f
           or c in "\u202e\u202c"]
    check("escapes: show prints no control character", not raw, repr(raw))
    check("escapes: show writes them as escapes",
          "G [goal, KH, do\\x1Bne\\x07] Goal \\u{202E}evil\\u{202C} \\x1B[31mred\\x1B[0m\n" in out
          and "O1 [out] bad\\u{009B}2J\\ttab\\nline\n" in out, out)
    r = run(["validate", "model.json"], work)
    check("escapes: titles are not an error", r.status == 0, r.out.decode()[:300])
    # stats and the report's text and Markdown show titles too; CSV and JSON
    # are data and keep them exact.
    hostile_program = {"id": "p\x1b[2J", "title": "Program \u202eevil\u202c"}
    write_model(work, {"tocm": 1, "program": hostile_program,
                       "levels": [{"id": "goal", "title": "Goal \x1b]0;owned\x07"}, "out"],
                       "nodes": [{"id": "G", "level": "goal", "title": "G", "country": "KH"},
                                 {"id": "O1", "level": "out", "title": "O", "contributes_to": ["G"]}],
                       "tables": {"t": {"path": "t.csv", "columns": {"year": "integer",
                                                                     "n": "integer"}}},
                       "indicators": [{"id": "i1", "title": "Trained \x1b[31mred\u202e",
                                       "nodes": ["O1"], "calculator": "sum", "table": "t",
                                       "params": {"column": "n"}, "period": "year"}]},
                "stats.json")
    with open(os.path.join(work, "t.csv"), "w") as f:
        f.write("year,n\n2021,3\n")
    for args in (["stats", "stats.json"], ["report", "stats.json"],
                 ["report", "stats.json", "--format", "md"]):
        r = run(args, work)
        out = r.out.decode("utf-8", "replace")
        raw = [c for c in out if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f
               or c in "\u202e\u202c"]
        check("escapes: %s prints no control character" % " ".join(args),
              r.status == 0 and not raw and "\\x1B" in out,
              "%d %r %s" % (r.status, raw, r.err.decode()[:300]))
    r = run(["report", "stats.json", "--format", "json"], work)
    check("escapes: report JSON keeps the title exact",
          r.status == 0 and "Trained \x1b[31mred\u202e" in
          [i["title"] for i in json.loads(r.out)["indicators"]], r.err.decode()[:300])
    write_model(work, {"tocm": 1, "program": program(), "levels": ["goal", "out"], "nodes": [
        {"id": "G", "level": "goal", "title": "Goal \x1b]0;owned\x07"}]}, "new.json")
    r = run(["diff", "model.json", "new.json"], work)
    out = r.out.decode("utf-8", "replace")
    check("escapes: diff prints no control character",
          r.status in (0, 1) and "\x1b" not in out and "\u202e" not in out and "\\x1B]0;owned" in out,
          repr(out[:300]))


# ---- defect 11: rename matching in diff quadratic --------------------------
def diff_renames(work):
    n = 4000

    def model(prefix):
        nodes = [{"id": "G", "level": "goal", "title": "Goal"}]
        nodes += [{"id": "%s%d" % (prefix, i), "level": "activity", "title": "Training",
                   "country": "KH", "contributes_to": ["G"]} for i in range(n)]
        return {"tocm": 1, "program": program(), "nodes": nodes}
    write_model(work, model("A"), "old.json")
    write_model(work, model("B"), "new.json")
    r = run(["diff", "--json", "old.json", "new.json"], work, max_seconds=20)
    within("diff renames: 4,000 nodes renamed, one title", r, 150)
    try:
        summary = json.loads(r.out)["summary"]
    except ValueError:
        summary = {}
    check("diff renames: every one found", summary.get("nodes_renamed") == n
          and not summary.get("nodes_added") and not summary.get("nodes_removed"), str(summary))
    check("diff renames: in %.1f s" % r.seconds, r.seconds < 5 * SLOW, "%.1f s" % r.seconds)


# ---- defect 14: rm --cascade quadratic on a model listed bottom-up ---------
def cascade(work):
    n = 4000
    levels = ["L%d" % i for i in range(n)]
    nodes = [{"id": "N%d" % i, "level": "L%d" % i, "title": "T%d" % i,
              "contributes_to": ["N%d" % (i - 1)] if i else []} for i in reversed(range(n))]
    nodes.append({"id": "K", "level": "L1", "title": "Kept", "contributes_to": ["N0", "Z"]})
    nodes.append({"id": "Z", "level": "L0", "title": "Other top"})
    write_model(work, {"tocm": 1, "program": program(), "levels": levels, "nodes": nodes})
    r = run(["rm", "model.json", "N0", "--cascade"], work, max_seconds=20)
    within("cascade: a 4,000-node chain listed bottom-up", r, 150)
    check("cascade: exit status 0", r.status == 0, r.err.decode()[:300])
    with open(os.path.join(work, "model.json")) as f:
        left = json.load(f)["nodes"]
    check("cascade: only the nodes with other links are left",
          [(x["id"], x.get("contributes_to")) for x in left] == [("K", ["Z"]), ("Z", None)],
          str(left)[:300])
    check("cascade: in %.1f s" % r.seconds, r.seconds < 5 * SLOW, "%.1f s" % r.seconds)


# ---- defect 8: dense period x value tables in report -----------------------
def dense_report(work):
    os.mkdir(os.path.join(work, "data"))
    rows = 12000
    with open(os.path.join(work, "data", "t.csv"), "w") as f:
        f.write("year,country,n\n")
        for i in range(rows):
            f.write("%d,C%d,%d\n" % (1000 + i % 6000, i, i % 7))
    model = {"tocm": 1, "program": program(), "levels": ["goal"],
             "nodes": [{"id": "G", "level": "goal", "title": "Goal"}],
             "tables": {"t": {"path": "data/t.csv",
                              "columns": {"year": "integer", "n": "integer"}}},
             "indicators": [{"id": "n", "title": "N", "calculator": "sum", "table": "t",
                             "params": {"column": "n"}, "period": "year",
                             "disaggregate": ["country"],
                             "reported": [{"period": "%d" % (1000 + i), "dims": {}, "value": 1}
                                          for i in range(5000)]}]}
    write_model(work, model)
    r = run(["report", "model.json"], work, max_seconds=30)
    within("dense report: 6,000 periods x 12,000 values (%d KB of CSV)"
           % (os.path.getsize(os.path.join(work, "data", "t.csv")) // 1024), r, 150)
    err = r.err.decode("utf-8", "replace")
    check("dense report: refused with E413", r.status == 1 and "E413" in err
          and "the limit is 50000 cells per indicator" in err, "%d %s" % (r.status, err[:300]))
    # Within the limit: the same table cut to 40 periods x 1,000 values.
    with open(os.path.join(work, "data", "t.csv"), "w") as f:
        f.write("year,country,n\n")
        for i in range(1000):
            f.write("%d,C%d,%d\n" % (1000 + i % 40, i, i % 7))
    r = run(["report", "model.json", "--format", "json"], work, max_out=256 << 20, max_seconds=60)
    within("dense report: 40 periods x 1,000 values", r, 300)
    check("dense report: within the limit it reports", r.status == 0,
          "%d %s" % (r.status, r.err.decode()[:300]))


CHECKS = [cycles, deep_show, escapes, diff_renames, cascade, dense_report]


def main():
    for c in CHECKS:
        if ONLY and c.__name__ not in ONLY:
            continue
        with tempfile.TemporaryDirectory() as work:
            c(work)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
