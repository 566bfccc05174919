"""indicator_test.py -- what the Python indicator tests share: writing a
model with its CSV tables into a scratch directory, running `tocm report` on
it, and a small test runner that prints one line per test.
"""
import json
import os
import subprocess
import sys
import tempfile
import traceback

TOCM = None  # set by main() from the command line
ARGS = []  # the command line after TOCM


def write_model(directory, tables, indicators, nodes=None, levels=None, status=None, extra=None):
    """Writes directory/model.json and directory/data/NAME.csv.

    tables: name -> (csv text or bytes, {column: type}).
    Returns the model's path."""
    os.makedirs(os.path.join(directory, "data"), exist_ok=True)
    model = {
        "tocm": 1,
        "program": {"id": "test", "title": "Indicator test program"},
        "levels": levels or [{"id": "goal", "title": "Goal"},
                             {"id": "outcome", "title": "Outcome", "outcome": True},
                             {"id": "output", "title": "Output"}],
        "nodes": nodes or [{"id": "G", "level": "goal", "title": "The goal"},
                           {"id": "O1", "level": "outcome", "title": "An outcome",
                            "contributes_to": ["G"]}],
        "tables": {},
        "indicators": indicators,
    }
    if status is not None:
        model["status"] = status
    model.update(extra or {})
    for name, (data, columns) in tables.items():
        path = "data/%s.csv" % name
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(os.path.join(directory, path), mode, **({} if mode == "wb" else {"newline": ""})) as f:
            f.write(data)
        model["tables"][name] = {"path": path, "columns": columns}
    path = os.path.join(directory, "model.json")
    with open(path, "w") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    return path


def run(*args, cwd=None):
    """Runs tocm with args; returns (exit status, stdout, stderr) as text."""
    p = subprocess.run([TOCM, *args], cwd=cwd, capture_output=True, timeout=600)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def report(model, *args):
    """`tocm report MODEL --format json ARGS`, which must succeed: the document."""
    rc, out, err = run("report", model, "--format", "json", *args)
    assert rc == 0, "tocm report failed (%d): %s" % (rc, err)
    assert err == "", "tocm report wrote to standard error: %s" % err
    return json.loads(out)


def indicator(doc, ident):
    for ind in doc["indicators"]:
        if ind["id"] == ident:
            return ind
    raise AssertionError("no indicator %r in the report" % ident)


def cell(ind, period, **dims):
    """The one cell of ind for period and exactly these dimension values."""
    found = [c for c in ind["cells"] if c["period"] == period and c["dims"] == dims]
    assert len(found) == 1, "%d cells for %s %s in %s" % (len(found), period, dims, ind["id"])
    return found[0]


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def assert_close(got, want, what=""):
    assert got is not None, "%s: no value, expected %r" % (what, want)
    assert close(got, want), "%s: %r, expected %r" % (what, got, want)


def main(tests, argv):
    """Runs every test (a function taking a scratch directory), prints one
    line each and "N passed, M failed"; exits 1 when any failed."""
    global TOCM, ARGS
    if len(argv) < 2:
        print("usage: %s TOCM [ARGS...]" % argv[0], file=sys.stderr)
        sys.exit(2)
    TOCM = os.path.abspath(argv[1])
    ARGS = argv[2:]
    passed = failed = 0
    for test in tests:
        with tempfile.TemporaryDirectory(prefix="tocm-ind-") as scratch:
            try:
                test(scratch)
            except Exception:  # a failed assert or an unexpected error
                failed += 1
                print("FAIL %s" % test.__name__)
                print("".join("     " + line for line in
                              traceback.format_exc().splitlines(True)))
            else:
                passed += 1
                print("ok   %s" % test.__name__)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
