#!/usr/bin/env python3
"""How much an edit of a large model costs next to a validation of it.

Usage: run_edit_bench.py [-n NODES] [-r RUNS] [--tocm BIN] [--keep FILE]
                         [-m MODEL]

Generates a model with gen_model.py and puts it in the canonical layout
(`tocm fmt -w`), then runs, alternately and each in a process of its own,
`tocm validate MODEL` and `tocm set COPY ID title=...` on a fresh copy of the
canonical file (the copy is made before the clock starts: an edit writes the
file, so every run must start from the same bytes). Prints the median wall
time and the median peak RSS of each, and set/validate ratios; issue 14 asks
for an edit to cost at most 1.5x a validation. Build first (a Release or
RelWithDebInfo build; a sanitizer build measures the sanitizer). -m MODEL
times a model already generated (it is put in the canonical layout first).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed(argv):
    """Runs argv; returns (wall seconds, CPU seconds, peak RSS in KiB).
    Fails loudly. CPU time (user + system) is the steadier figure on a
    machine that other work shares."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit("run_edit_bench: %s exited %d: %s" % (" ".join(argv), proc.returncode, err))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def last_node_id(path):
    """The id of the model's last node: the edit changes a node near the
    end, so nothing before it can be skipped."""
    last = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith('"id": "'):
                last = stripped[len('"id": "'):].rstrip('",')
    return last


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--nodes", type=int, default=100000)
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("--tocm", default=os.path.join(ROOT, "build", "tocm"))
    ap.add_argument("--keep", help="keep the canonical model in this file")
    ap.add_argument("-m", "--model", help="use this model instead of generating one")
    args = ap.parse_args()
    if not os.access(args.tocm, os.X_OK):
        sys.exit("run_edit_bench: %s not found: build first (cmake --build build)" % args.tocm)

    work = tempfile.mkdtemp(prefix="tocm-edit-bench-")
    try:
        if args.model:
            model = args.model
        else:
            model = args.keep or os.path.join(work, "model.json")
            print("generating a %d-node model..." % args.nodes)
            subprocess.run([sys.executable, os.path.join(HERE, "gen_model.py"), "-n",
                            str(args.nodes), "-o", model], check=True)
        subprocess.run([args.tocm, "fmt", "-w", model], check=True)
        node = last_node_id(model)
        copy = os.path.join(work, "edited.json")
        print("model: %.1f MB, canonical; editing node %s; %d runs each, interleaved"
              % (os.path.getsize(model) / 1e6, node, args.runs))

        runs = {"validate": [], "set": []}
        for i in range(args.runs):
            runs["validate"].append(timed([args.tocm, "validate", model]))
            shutil.copyfile(model, copy)
            runs["set"].append(timed([args.tocm, "set", copy, node,
                                      "title=Edited by the benchmark, run %d" % i]))
            print("  run %d: validate %.2f s (CPU %.2f s), set %.2f s (CPU %.2f s)"
                  % (i + 1, runs["validate"][-1][0], runs["validate"][-1][1],
                     runs["set"][-1][0], runs["set"][-1][1]))

        med = {k: [statistics.median(run[j] for run in v) for j in range(3)]
               for k, v in runs.items()}
        print()
        print("%-14s %12s %12s %16s" % ("command", "median wall", "median CPU",
                                        "median peak RSS"))
        for k, (w, c, r) in med.items():
            print("%-14s %10.2f s %10.2f s %12.1f MiB" % (k, w, c, r / 1024))
        s, v = med["set"], med["validate"]
        print("%-14s %11.2fx %11.2fx %15.2fx" % ("set/validate", s[0] / v[0], s[1] / v[1],
                                                s[2] / v[2]))
        print("load average: %.2f %.2f %.2f" % os.getloadavg())
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
