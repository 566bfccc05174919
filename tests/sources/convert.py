#!/usr/bin/env python3
"""convert.py -- a copy of a model whose CSV tables live in a database.

Usage: convert.py sqlite MODEL_DIR OUT_DIR
       convert.py postgres MODEL_DIR OUT_DIR DSN_ENV

Reads MODEL_DIR/model.json and every CSV table it names; writes
OUT_DIR/model.json with each table switched to the database (same name,
same "columns") and, for sqlite, OUT_DIR/data.sqlite holding the tables, for
postgres, OUT_DIR/load.sql: CREATE TABLE and psql \\copy commands (run with
psql -f from OUT_DIR). Column types follow the model's "columns" (integer,
decimal, date; text otherwise); an empty CSV cell is NULL, as tocm reads it.
The rest of the model is copied untouched, so its reports must be the same.
"""
import csv
import json
import os
import sqlite3
import sys

SQLITE = {"integer": "INTEGER", "decimal": "REAL", "date": "DATE", "text": "TEXT"}
POSTGRES = {"integer": "BIGINT", "decimal": "NUMERIC", "date": "DATE", "text": "TEXT"}


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def main():
    kind, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(os.path.join(src, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    os.makedirs(out, exist_ok=True)
    db = sqlite3.connect(os.path.join(out, "data.sqlite")) if kind == "sqlite" else None
    load = []
    for name, table in model.get("tables", {}).items():
        path = os.path.join(src, table["path"])
        if not os.path.exists(path):
            continue  # a table no indicator reads yet (tocm record makes it)
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        types = dict(table.get("columns", {}))
        # tocm's dates may be years or months (2021, 2021-06): text in
        # PostgreSQL unless every one is a whole date.
        for i, c in enumerate(header):
            if types.get(c) == "date" and not all(
                    len(r[i]) == 10 for r in body if r[i] != ""):
                types[c] = "text"
        cols = ", ".join("%s %s" % (ident(c), (SQLITE if db else POSTGRES)[types.get(c, "text")])
                         for c in header)
        if db:
            db.execute("CREATE TABLE %s (%s)" % (ident(name), cols))
            db.executemany("INSERT INTO %s VALUES (%s)" % (ident(name), ", ".join("?" * len(header))),
                           [[v if v != "" else None for v in r] for r in body])
        else:
            load.append("CREATE TABLE %s (%s);" % (ident(name), cols))
            csv_path = os.path.abspath(path).replace("'", "''")
            load.append("\\copy %s FROM '%s' WITH (FORMAT csv, HEADER true)" % (ident(name), csv_path))
        del table["path"]
        table["database"] = kind
        table["table"] = name
        if db:
            table["path"] = "data.sqlite"
        else:
            table["dsn_env"] = sys.argv[4]
    if db:
        db.commit()
        db.close()
    else:
        with open(os.path.join(out, "load.sql"), "w", encoding="utf-8") as f:
            f.write("\n".join(load) + "\n")
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
