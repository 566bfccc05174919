#!/usr/bin/env python3
"""Generate a synthetic tocm model for the load benchmark.

Usage: gen_model.py [-n NODES] [--seed S] [-o FILE]

The shape follows a real program's results chain, scaled up: one goal, three
end-of-program outcomes, then intermediate and immediate outcomes, project
clusters, projects and (most numerous) activities. Every node below the goal
contributes to 1-3 distinct nodes on higher levels (mostly the next level up,
sometimes one above that), so the model is valid: no errors, and no orphans.
Projects and activities carry countries, partners and a status; titles and
descriptions are sentence-length, some with non-ASCII text. The output is
deterministic for a given seed and node count.
"""
import argparse
import json
import random
import sys

LEVELS = ["goal", "eopo", "intermediate", "immediate", "cluster", "project", "activity"]
# Share of the nodes on each level below the top three (the rest: activities).
SHARES = {"intermediate": 0.002, "immediate": 0.01, "cluster": 0.03, "project": 0.25}
COUNTRIES = ["KH", "ID", "LA", "MM", "PH", "TH", "VN"]
STATUSES = ["completed", "partly completed", "some delays", "major delay", "on hold"]
PARTNERS = ["Ministry of Justice", "National Police", "Office of the Attorney General",
            "Supreme People's Court", "Department of Social Welfare", "UNODC",
            "IOM", "ASEAN Secretariat", "Legal Aid Council", "Bộ Công an"]
WORDS = ("strengthened capacity of justice agencies to investigate prosecute and "
         "adjudicate trafficking cases while protecting the rights of victims through "
         "victim-centred approaches regional cooperation training of trainers "
         "guidelines standard operating procedures data systems case management "
         "cross-border referral gender equality disability and social inclusion "
         "national action plans monitoring evaluation learning community awareness "
         "labour migration recruitment supply chains").split()


def sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def level_sizes(n):
    sizes = {"goal": 1, "eopo": 3}
    rest = n - 4
    for level, share in SHARES.items():
        sizes[level] = max(1, int(rest * share))
    sizes["activity"] = max(0, n - sum(sizes.values()))
    return sizes


def generate(n, seed):
    rng = random.Random(seed)
    sizes = level_sizes(n)
    ids_by_level = []
    nodes = []
    for depth, level in enumerate(LEVELS):
        prefix = "ACEIMPX"[depth]
        ids = [f"{prefix}{i + 1}" for i in range(sizes[level])]
        for i, node_id in enumerate(ids):
            node = {"id": node_id, "level": level, "title": sentence(rng, 6, 18)}
            if depth > 0:
                # Mostly the next level up; sometimes a level further.
                targets = ids_by_level[depth - 1]
                if depth > 1 and rng.random() < 0.15:
                    targets = ids_by_level[depth - 2]
                k = min(len(targets), rng.choice([1, 1, 1, 2, 2, 3]))
                # Neighbouring nodes share parents, as in a real chain.
                centre = int(i * len(targets) / len(ids))
                window = targets[max(0, centre - 4):centre + 5] or targets
                node["contributes_to"] = rng.sample(window, min(k, len(window)))
            if level in ("project", "activity"):
                if rng.random() < 0.8:
                    node["country"] = rng.choice(COUNTRIES)
                node["partners"] = rng.sample(PARTNERS, rng.randint(1, 3))
                node["status"] = rng.choice(STATUSES)
            if level != "activity" or rng.random() < 0.3:
                node["description"] = sentence(rng, 15, 40) + "."
            if rng.random() < 0.1:
                node["assumptions"] = [sentence(rng, 5, 12)]
            if rng.random() < 0.05:
                node["inferred"] = True
                node["notes"] = "Grouping inferred by the modeller (dự kiến)."
            if rng.random() < 0.05:
                node["source"] = f"Annual report, p. {rng.randint(1, 200)}"
            nodes.append(node)
        ids_by_level.append(ids)
    return {
        "tocm": 1,
        "program": {
            "id": "synthetic",
            "title": f"Synthetic benchmark program ({n} nodes)",
            "period": {"start": "2018", "end": "2028"},
            "countries": COUNTRIES,
        },
        "nodes": nodes,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", "--nodes", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", default="-")
    a = p.parse_args()
    if a.nodes < 20:
        p.error("--nodes must be at least 20")
    model = generate(a.nodes, a.seed)
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    json.dump(model, out, indent=2, ensure_ascii=False)
    out.write("\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
