#!/usr/bin/env python3
"""models/tocm.schema.json checked with python3-jsonschema, a validator
nobody here wrote.

Usage: test_json_schema.py SOURCE_DIR

- the schema is a valid draft-07 schema;
- the bundled model, the examples, the full example of FORMAT.md and every
  validation case that loads without a structural error pass it;
- every validation case whose expected findings hold a structural error
  (E002, E003, E004) or a value outside a list (E405, E406) fails it, and
  at each JSON path tocm names (the schema finds what the loader finds);
- hand-made breakages of the bundled model each fail at their path.
"""
import copy
import glob
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("test_json_schema: python3-jsonschema is missing (bash .ci/setup installs it)")

SRC = sys.argv[1]
failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def pointer(path):
    return "/" + "/".join(str(p) for p in path) if path else "/"


with open(os.path.join(SRC, "models", "tocm.schema.json"), encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)


def errors_of(doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# Models that must pass.
good = [os.path.join(SRC, "models", "asean-act-2021", "model.json"),
        os.path.join(SRC, "examples", "iptt", "model.json")]
good += sorted(glob.glob(os.path.join(SRC, "examples", "plugins", "*", "model.json")))
good += sorted(glob.glob(os.path.join(SRC, "examples", "templates", "*", "model.json")))
for path in good:
    errs = errors_of(load(path))
    check(not errs, f"{os.path.relpath(path, SRC)} fails the schema: "
          + "; ".join(f"{pointer(e.absolute_path)}: {e.message}" for e in errs[:5]))

# FORMAT.md's complete example (with a member tocm does not know).
with open(os.path.join(SRC, "models", "FORMAT.md"), encoding="utf-8") as f:
    blocks = re.findall(r"```json\n(.*?)```", f.read(), re.S)
examples = [json.loads(b) for b in blocks if b.lstrip().startswith('{\n  "tocm"')]
check(examples, "FORMAT.md has no complete example")
for doc in examples:
    errs = errors_of(doc)
    check(not errs, "FORMAT.md's example fails: " + "; ".join(e.message for e in errs[:3]))

# The validation cases: structural findings fail the schema at tocm's paths;
# findings about the graph (which a schema cannot see) do not.
STRUCTURAL = {"E002", "E003", "E004", "E405", "E406"}
finding = re.compile(r"^model\.json: (?:error|warning): (E\d{3}) (/\S*):")
cases = sorted(glob.glob(os.path.join(SRC, "tests", "cases", "*", "model.json")))
check(len(cases) > 20, f"only {len(cases)} cases found")
for path in cases:
    name = os.path.basename(os.path.dirname(path))
    if name.startswith("e001-"):
        continue  # not JSON at all
    with open(os.path.join(os.path.dirname(path), "expected"), encoding="utf-8") as f:
        found = [m.groups() for m in map(finding.match, f) if m]
    structural = {p for code, p in found if code in STRUCTURAL}
    errs = errors_of(load(path))
    at = {pointer(e.absolute_path) for e in errs}
    if structural:
        check(errs, f"case {name}: tocm finds {sorted(structural)} but the schema passes it")
        # A missing member is reported at its object by both.
        missing = structural - at
        check(not missing, f"case {name}: tocm reports {sorted(missing)}, the schema only {sorted(at)}")
    else:
        check(not errs, f"case {name} has no structural error but fails the schema: "
              + "; ".join(f"{pointer(e.absolute_path)}: {e.message}" for e in errs[:3]))

# Breakages of the bundled model, each at its path.
base = load(os.path.join(SRC, "examples", "iptt", "model.json"))


def broken(what, path, change):
    doc = copy.deepcopy(base)
    change(doc)
    at = {pointer(e.absolute_path) for e in errors_of(doc)}
    check(path in at, f"{what}: expected a failure at {path}, got {sorted(at) or 'none'}")


def set_in(doc, keys, value):
    for k in keys[:-1]:
        doc = doc[k]
    doc[keys[-1]] = value


def delete_in(doc, keys):
    for k in keys[:-1]:
        doc = doc[k]
    del doc[keys[-1]]


broken("format version 2", "/tocm", lambda d: set_in(d, ["tocm"], 2))
broken("a node without a title", "/nodes/0", lambda d: delete_in(d, ["nodes", 0, "title"]))
broken("an empty node id", "/nodes/1/id", lambda d: set_in(d, ["nodes", 1, "id"], ""))
broken("contributes_to as a string", "/nodes/2/contributes_to",
       lambda d: set_in(d, ["nodes", 2, "contributes_to"], "EOPO1"))
broken("inferred as a string", "/nodes/2/inferred",
       lambda d: set_in(d, ["nodes", 2, "inferred"], "yes"))
broken("a misspelt measure", "/indicators/0/measure",
       lambda d: set_in(d, ["indicators", 0, "measure"], "percent"))
broken("a direction outside the list", "/indicators/0/direction",
       lambda d: set_in(d, ["indicators", 0, "direction"], "up"))
broken("a baseline value as text", "/indicators/0/baseline/value",
       lambda d: set_in(d, ["indicators", 0, "baseline", "value"], "10,000"))
broken("a null target", "/indicators/0/targets/2099",
       lambda d: set_in(d, ["indicators", 0, "targets", "2099"], None))
broken("a table without a path", "/tables/" + next(iter(base["tables"])),
       lambda d: delete_in(d, ["tables", next(iter(d["tables"])), "path"]))
broken("a column of an unknown type",
       "/tables/" + next(iter(base["tables"])) + "/columns/extra",
       lambda d: d["tables"][next(iter(d["tables"]))].setdefault("columns", {}).update(
           {"extra": "float"}))
broken("a threshold as text", "/status/thresholds/on_track",
       lambda d: d.setdefault("status", {}).setdefault("thresholds", {}).update(
           {"on_track": "80%"}))

# Members tocm does not know are kept, so the schema allows them.
doc = copy.deepcopy(base)
doc["donor_ref"] = "X"
doc["nodes"][0]["custom"] = {"anything": [1, 2]}
check(not errors_of(doc), "unknown members are refused")

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
