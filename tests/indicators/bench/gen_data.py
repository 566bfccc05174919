#!/usr/bin/env python3
"""gen_data.py -- a large monitoring table for the indicator benchmark.

Usage: gen_data.py [-n ROWS] [-s SEED] OUT.csv

Writes ROWS rows (default 2,000,000) of event participation:
    year,country,sex,event_type,participants,person_id
years 2019-2023, the ten ASEAN countries, sex female / male / other (and a
few empty), four event types, participants 1-60 (about 1 % empty) and a
person identifier drawn from 400,000 people. The same seed gives the same
bytes.
"""
import argparse
import random

COUNTRIES = ["BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN"]
EVENTS = ["training", "workshop", "meeting", "webinar"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--rows", type=int, default=2_000_000)
    ap.add_argument("-s", "--seed", type=int, default=5)
    ap.add_argument("out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rand = rng.random
    randrange = rng.randrange
    sexes = ["female"] * 48 + ["male"] * 48 + ["other"] * 2 + [""] * 2
    with open(a.out, "w", newline="") as f:
        f.write("year,country,sex,event_type,participants,person_id\n")
        lines = []
        for i in range(a.rows):
            participants = "" if rand() < 0.01 else str(1 + randrange(60))
            lines.append("%d,%s,%s,%s,%s,P%06d\n" % (
                2019 + randrange(5), COUNTRIES[randrange(10)], sexes[randrange(100)],
                EVENTS[randrange(4)], participants, randrange(400_000)))
            if len(lines) == 100_000:
                f.writelines(lines)
                lines = []
        f.writelines(lines)


if __name__ == "__main__":
    main()
