#!/usr/bin/env python3
"""run_bench.py -- how `tocm report` compares with a plain Python script on
a large monitoring table (issue 5, item 7). Not run by ctest.

Usage: tests/indicators/bench/run_bench.py [-n ROWS] [-r RUNS] [-t TOCM]
                                           [-d DATA.csv] [-k DIR]
  -n ROWS   rows of the generated table (default 2,000,000)
  -r RUNS   runs of each program, interleaved (default 5)
  -t TOCM   the tocm binary (default build/tocm; build Release or
            RelWithDebInfo for meaningful figures, never a sanitizer build)
  -d DATA   use this table instead of generating one (gen_data.py's columns)
  -k DIR    work in DIR and keep it (the table, both outputs)

Generates the table with gen_data.py, then runs
    tocm report model.json --format json        (bench/model.json)
    python3 aggregate.py data.csv               (Python's csv module)
alternately, each in a fresh process, and prints the median wall and CPU
time of each, their ratio, and each one's peak resident set size (from
/usr/bin/time when present, else wait4's rusage). Before timing anything it checks that both give the same
figures for every cell, and fails if they do not.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


GNU_TIME = "/usr/bin/time"


def timed(argv, stdout_path, cwd):
    """Runs argv with stdout to a file; returns (wall s, cpu s, peak RSS KiB).

    The peak RSS comes from GNU time when there is one: wait4's ru_maxrss of
    a child of this process also counts the Python image it was forked
    from (some 15 MB) until the exec."""
    rss_file = os.path.join(cwd, ".rss")
    use_time = os.access(GNU_TIME, os.X_OK)
    if use_time:
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file] + argv
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("run_bench.py: %s exited with %d" % (" ".join(argv), code))
    rss = usage.ru_maxrss
    if use_time:
        with open(rss_file) as f:
            rss = int(f.read().split()[-1])
        os.unlink(rss_file)
    return wall, usage.ru_utime + usage.ru_stime, rss


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare(tocm_doc, py_doc):
    """Every figure the script computes is tocm's; every other tocm cell is a
    combination without rows. Returns the number of cells compared."""
    compared = 0
    for py_ind in py_doc["indicators"]:
        ind = next(i for i in tocm_doc["indicators"] if i["id"] == py_ind["id"])
        cells = {(c["period"], json.dumps(c["dims"], sort_keys=True)): c for c in ind["cells"]}
        seen = set()
        for want in py_ind["cells"]:
            key = (want["period"], json.dumps(want["dims"], sort_keys=True))
            got = cells.get(key)
            if got is None:
                sys.exit("run_bench.py: tocm has no cell %s %s" % (py_ind["id"], key))
            seen.add(key)
            for field in ("numerator", "denominator"):
                if field in want and got.get(field) != want[field]:
                    sys.exit("run_bench.py: %s %s %s: tocm %r, python %r" % (
                        py_ind["id"], key, field, got.get(field), want[field]))
            if (got["value"] is None) != (want["value"] is None) or (
                    want["value"] is not None and not close(got["value"], want["value"])):
                sys.exit("run_bench.py: %s %s: tocm %r, python %r" % (
                    py_ind["id"], key, got["value"], want["value"]))
            compared += 1
        for key, c in cells.items():
            if key not in seen and c["rows"] != 0:
                sys.exit("run_bench.py: tocm cell %s %s has rows the script has not" % (
                    py_ind["id"], key))
    return compared


def main():
    ap = argparse.ArgumentParser(description="tocm report against a Python csv script")
    ap.add_argument("-n", "--rows", type=int, default=2_000_000)
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("-t", "--tocm", default=os.path.join(ROOT, "build", "tocm"))
    ap.add_argument("-d", "--data")
    ap.add_argument("-k", "--keep")
    a = ap.parse_args()
    tocm = os.path.abspath(a.tocm)
    if not os.access(tocm, os.X_OK):
        sys.exit("run_bench.py: %s not found: build first" % tocm)

    work = a.keep or tempfile.mkdtemp(prefix="tocm-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        data = os.path.join(work, "data.csv")
        if a.data:
            if os.path.abspath(a.data) != data:
                shutil.copyfile(a.data, data)
        elif not (a.keep and os.path.exists(data)):
            print("generating %d rows ..." % a.rows, flush=True)
            subprocess.run([sys.executable, os.path.join(HERE, "gen_data.py"), "-n",
                            str(a.rows), data], check=True)
        shutil.copyfile(os.path.join(HERE, "model.json"), os.path.join(work, "model.json"))
        with open(data, "rb") as f:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
        size = os.path.getsize(data)

        programs = {
            "tocm": ([tocm, "report", "model.json", "--format", "json"], "tocm.json"),
            "python": ([sys.executable, os.path.join(HERE, "aggregate.py"), "data.csv"],
                       "python.json"),
        }
        results = {name: [] for name in programs}
        for run in range(a.runs):
            for name, (argv, out) in programs.items():
                results[name].append(timed(argv, os.path.join(work, out), work))
            if run == 0:
                with open(os.path.join(work, "tocm.json")) as f:
                    tocm_doc = json.load(f)
                with open(os.path.join(work, "python.json")) as f:
                    py_doc = json.load(f)
                cells = compare(tocm_doc, py_doc)
                print("same figures from both: %d cells compared" % cells, flush=True)
            print("run %d/%d: tocm %.2f s, python %.2f s" % (
                run + 1, a.runs, results["tocm"][-1][0], results["python"][-1][0]), flush=True)

        print()
        print("%d rows, %.1f MB of CSV; %d runs each, interleaved" % (rows, size / 1e6, a.runs))
        print("%-8s %12s %12s %14s" % ("", "wall (med)", "cpu (med)", "peak RSS (max)"))
        med = {}
        for name, rs in results.items():
            med[name] = (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
            print("%-8s %10.2f s %10.2f s %11.0f MB" % (name, med[name][0], med[name][1],
                                                         max(r[2] for r in rs) / 1024))
        print("tocm / python: wall %.2f, cpu %.2f" % (med["tocm"][0] / med["python"][0],
                                                      med["tocm"][1] / med["python"][1]))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
