#!/usr/bin/env python3
"""run_bench.py -- `tocm report` against the programs a person would use
instead, on a large monitoring table (issues 5 and 14). Not run by ctest.

Usage: tests/indicators/bench/run_bench.py [-n ROWS]... [--large] [-r RUNS]
           [-t TOCM] [-j JOBS] [-p PROGRAM,...] [-d DATA.csv] [-k DIR]
  -n ROWS    rows of a generated table; give it several times for several
             sizes (default 200,000 and 2,000,000)
  --large    also 20,000,000 rows (665 MB of CSV, generated in the work
             directory: a few minutes and as much disk)
  -r RUNS    runs of each program per size, interleaved (default 3)
  -t TOCM    the tocm binary (default build/tocm; build Release or
             RelWithDebInfo for meaningful figures, never a sanitizer build)
  -j JOBS    passed to tocm report as --jobs (default: tocm's own default)
  -p LIST    the programs to run, of tocm,python,pandas,duckdb (default all)
  -d DATA    use this table instead of generating one (gen_data.py's columns)
  -k DIR     work in DIR and keep it (the tables, every output)

The four programs compute the two indicators of bench/model.json:
    tocm report model.json --format json
    python3 aggregate.py data.csv            Python's csv module, one pass
    /usr/bin/python3 pandas_agg.py data.csv  pandas read_csv + groupby
    node duckdb_agg.mjs data.csv             DuckDB, one GROUP BY GROUPING
                                             SETS scan over read_csv
DuckDB's node bindings are installed into this directory by `npm ci` (from
package-lock.json) the first time, never by .ci/setup. Each program runs in
a fresh process, the programs alternately; before timing anything the
first run of each is checked to give the same figures for every cell as
the Python script, and the benchmark fails if one does not. Prints, per
size, the median wall and CPU time, the time per million rows and the peak
resident set size (GNU time's %M) of each program.
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
# pandas is installed for Debian's Python (python3-pandas), not for a
# Python a version manager put first on PATH.
SYSTEM_PYTHON = "/usr/bin/python3"
PROGRAMS = ("tocm", "python", "pandas", "duckdb")


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


def same_cells(name, ref, other):
    """other (pandas', DuckDB's) has exactly the cells of ref (the Python
    script's), with the same figures. Returns the number compared."""
    def cells(doc):
        out = {}
        for ind in doc["indicators"]:
            for c in ind["cells"]:
                key = (ind["id"], c["period"], json.dumps(c["dims"], sort_keys=True))
                out[key] = c
        return out
    want, got = cells(ref), cells(other)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    if missing or extra:
        sys.exit("run_bench.py: %s: cells differ from the Python script's: missing %s, extra %s"
                 % (name, missing[:3], extra[:3]))
    for key, w in want.items():
        g = got[key]
        for field in ("numerator", "denominator"):
            if field in w and g.get(field) != w[field]:
                sys.exit("run_bench.py: %s %s %s: %r, python %r" % (
                    name, key, field, g.get(field), w[field]))
        if (g["value"] is None) != (w["value"] is None) or (
                w["value"] is not None and not close(g["value"], w["value"])):
            sys.exit("run_bench.py: %s %s: %r, python %r" % (name, key, g["value"], w["value"]))
    return len(want)


def setup_duckdb():
    """DuckDB's node bindings, installed here from package-lock.json."""
    if shutil.which("node") is None:
        sys.exit("run_bench.py: node is not installed (needed for DuckDB); use -p to leave "
                 "duckdb out")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "@duckdb", "node-api")):
        print("installing DuckDB's node bindings (npm ci) ...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def bench_size(a, tocm, work, rows_wanted, programs):
    data = os.path.join(work, "data-%d.csv" % rows_wanted if rows_wanted else "data.csv")
    if a.data:
        data = os.path.join(work, "data.csv")
        if os.path.abspath(a.data) != data:
            shutil.copyfile(a.data, data)
    elif not os.path.exists(data):
        print("generating %d rows ..." % rows_wanted, flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_data.py"), "-n",
                        str(rows_wanted), data + ".tmp"], check=True)
        os.replace(data + ".tmp", data)
    # The model names data.csv: each size's table is linked there in turn.
    link = os.path.join(work, "data.csv")
    if data != link:
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.basename(data), link)
    shutil.copyfile(os.path.join(HERE, "model.json"), os.path.join(work, "model.json"))
    with open(data, "rb") as f:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    size = os.path.getsize(data)

    tocm_argv = [tocm, "report", "model.json", "--format", "json"]
    if a.jobs:
        tocm_argv += ["--jobs", str(a.jobs)]
    argvs = {
        "tocm": tocm_argv,
        "python": [sys.executable, os.path.join(HERE, "aggregate.py"), "data.csv"],
        "pandas": [SYSTEM_PYTHON, os.path.join(HERE, "pandas_agg.py"), "data.csv"],
        "duckdb": ["node", os.path.join(HERE, "duckdb_agg.mjs"), "data.csv"],
    }
    results = {name: [] for name in programs}
    for run in range(a.runs):
        for name in programs:
            results[name].append(timed(argvs[name], os.path.join(work, name + ".json"), work))
        if run == 0:
            docs = {}
            for name in programs + ["python"]:
                if name == "python" and "python" not in programs:
                    timed(argvs["python"], os.path.join(work, "python.json"), work)
                with open(os.path.join(work, name + ".json")) as f:
                    docs[name] = json.load(f)
            checked = []
            for name in programs:
                if name == "tocm":
                    checked.append("tocm %d" % compare(docs["tocm"], docs["python"]))
                elif name != "python":
                    checked.append("%s %d" % (name, same_cells(name, docs["python"], docs[name])))
            print("same figures as the Python script (cells compared): %s"
                  % ", ".join(checked), flush=True)
        print("run %d/%d: %s" % (run + 1, a.runs, ", ".join(
            "%s %.2f s" % (name, results[name][-1][0]) for name in programs)), flush=True)

    print()
    print("%d rows, %.1f MB of CSV; %d runs each, interleaved; load average %s" % (
        rows, size / 1e6, a.runs, " ".join("%.1f" % x for x in os.getloadavg())))
    print("| program | wall (median) | CPU (median) | wall per 1M rows | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    med = {}
    for name in programs:
        rs = results[name]
        med[name] = (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
        print("| %s | %.2f s | %.2f s | %.3f s | %.0f MiB |" % (
            name, med[name][0], med[name][1], med[name][0] / rows * 1e6,
            max(r[2] for r in rs) / 1024))
    if "tocm" in med:
        for name in programs:
            if name != "tocm":
                print("%s / tocm: wall %.2f, cpu %.2f" % (
                    name, med[name][0] / med["tocm"][0], med[name][1] / med["tocm"][1]))
    print(flush=True)
    return med


def main():
    ap = argparse.ArgumentParser(description="tocm report against Python, pandas and DuckDB")
    ap.add_argument("-n", "--rows", type=int, action="append")
    ap.add_argument("--large", action="store_true")
    ap.add_argument("-r", "--runs", type=int, default=3)
    ap.add_argument("-t", "--tocm", default=os.path.join(ROOT, "build", "tocm"))
    ap.add_argument("-j", "--jobs", type=int)
    ap.add_argument("-p", "--programs", default=",".join(PROGRAMS))
    ap.add_argument("-d", "--data")
    ap.add_argument("-k", "--keep")
    a = ap.parse_args()
    programs = [p for p in a.programs.split(",") if p]
    for p in programs:
        if p not in PROGRAMS:
            sys.exit("run_bench.py: unknown program '%s' (of %s)" % (p, ", ".join(PROGRAMS)))
    tocm = os.path.abspath(a.tocm)
    if "tocm" in programs and not os.access(tocm, os.X_OK):
        sys.exit("run_bench.py: %s not found: build first" % tocm)
    if "duckdb" in programs:
        setup_duckdb()
    sizes = a.rows or [200_000, 2_000_000]
    if a.large:
        sizes.append(20_000_000)
    if a.data:
        sizes = [0]

    work = a.keep or tempfile.mkdtemp(prefix="tocm-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        for rows in sizes:
            bench_size(a, tocm, work, rows, programs)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
