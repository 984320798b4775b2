#!/usr/bin/env python3
"""Side by side: `schedule optimize`, `glpsol --cuts` and Cbc on the same model.

For each benchmark day (generated with `schedule generate`), this runs, one
after another and with the same time limit:

1. `schedule optimize day.json --time-limit L --export-model day.lp -o plan.json`,
   then `schedule check day.json plan.json` (a plan the checker rejects fails
   the run);
2. `glpsol --lp day.lp --cuts --tmlim L` (Debian's glpk-utils) on the model
   the optimizer exported;
3. `cbc day.lp sec L threads 1 solve` (Debian's coinor-cbc) on that model.

and prints one Markdown table: objective, bound, gap and time to proof (or
"not proven") for each, plus a summary per size: median time to proof, the
ratios to the peers and how far the plan written at the limit is from the
peers' proven optimum. The exported model is the typed one without the lazy
rows that cut off solutions whose hosts cannot be given to people (added
during our search), so it is a relaxation: where our plan is proven optimal
above the peers' optimum, that is why (`--formulation individual`, the exact
naive model, confirms such a day's optimum).

    python3 Benchmarks/compare.py                       # the default set (about 90 min)
    python3 Benchmarks/compare.py --sizes 20,40 --tightness 1.3 --seeds 1,2 --limit 30
    python3 Benchmarks/compare.py --schedule .build/release/schedule --out /tmp/cmp
    python3 Benchmarks/compare.py --sizes 1000 --days 5 --tightness 1.0 --seeds 2026 --limit 300 --skip-peers
    python3 Benchmarks/compare.py --sizes 60 --tightness 1.5 --seeds 1,2 --limit 30 --repeat 3

The days are generated, so every figure can be reproduced from the command
line; the work folder keeps days, models, plans and solver logs.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, log, timeout):
    """Runs cmd, writes its output to log; returns (exit code, wall seconds)."""
    started = time.monotonic()
    with open(log, "w") as out:
        try:
            code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = None
    return code, time.monotonic() - started


def ours(schedule, day, work, limit, extra):
    plan = os.path.join(work, "plan.json")
    model = os.path.join(work, "model.lp")
    if os.path.exists(plan):
        os.remove(plan)
    code, wall = run([schedule, "optimize", day, "--time-limit", str(limit), "--export-model", model, "-o", plan] + extra,
                     os.path.join(work, "optimize.log"), limit * 3 + 60)
    if code not in (0, 3) or not os.path.exists(plan):
        return {"error": f"optimize exited {code}"}, model
    check, _ = run([schedule, "check", day, plan], os.path.join(work, "check.log"), 600)
    with open(plan) as f:
        p = json.load(f)
    return {
        "objective": p["objective"], "bound": p.get("bound"), "optimal": p["status"] == "optimal",
        "seconds": wall, "checked": check == 0, "unmet": p["totals"]["unmet"],
    }, model


def glpsol(model, work, limit):
    log = os.path.join(work, "glpsol.log")
    code, wall = run(["glpsol", "--lp", model, "--cuts", "--tmlim", str(int(limit))], log, limit * 3 + 60)
    text = open(log).read()
    # GLPK's search lines: "+ 2737: mip =  2.397e+05 >=  2.397e+05  0.0% (0; 1)" or ">= tree is empty".
    objective, bound = None, None
    for m in re.finditer(r"mip =\s+(\S+)\s+>=\s+(tree is empty|\S+)", text):
        objective = None if m.group(1) == "not" else float(m.group(1))
        bound = None if m.group(2) in ("-inf",) else (objective if m.group(2) == "tree is empty" else float(m.group(2)))
    optimal = "INTEGER OPTIMAL SOLUTION FOUND" in text
    if optimal:
        bound = objective
    return {"objective": objective, "bound": bound, "optimal": optimal, "seconds": wall}


def cbc(model, work, limit):
    log = os.path.join(work, "cbc.log")
    code, wall = run(["cbc", model, "sec", str(limit), "threads", "1", "solve"], log, limit * 3 + 60)
    text = open(log).read()
    objective = bound = None
    m = re.search(r"Objective value:\s+(\S+)", text)
    if m:
        objective = float(m.group(1))
    m = re.search(r"Lower bound:\s+(\S+)", text)
    if m:
        bound = float(m.group(1))
    optimal = "Result - Optimal solution found" in text
    if optimal:
        bound = objective
    if "No feasible solution found" in text:
        objective = None
    return {"objective": objective, "bound": bound, "optimal": optimal, "seconds": wall}


def gap(r):
    if r.get("objective") is None or r.get("bound") is None:
        return None
    return max(0.0, r["objective"] - r["bound"]) / max(1.0, abs(r["objective"]))


def cell(r):
    if "error" in r:
        return r["error"], "", "", ""
    obj = "—" if r.get("objective") is None else f"{r['objective']:,.2f}"
    bnd = "—" if r.get("bound") is None else f"{r['bound']:,.2f}"
    g = gap(r)
    gs = "—" if g is None else f"{g * 100:.2f} %"
    proof = f"{r['seconds']:.1f} s" if r.get("optimal") else "not proven"
    return obj, bnd, gs, proof


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,40,60,100")
    parser.add_argument("--tightness", default="1.0,1.3,1.5")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--days", type=int, default=1,
                        help="days of each generated programme (--sizes counts visits over the whole programme)")
    parser.add_argument("--limit", type=float, default=60)
    parser.add_argument("--schedule", default=os.path.join(ROOT, ".build", "release", "schedule"))
    parser.add_argument("--out", default="/tmp/schedule-compare")
    parser.add_argument("--skip-peers", action="store_true", help="run only schedule optimize")
    parser.add_argument("--optimize-args", default="", help="more options for schedule optimize, space-separated")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of schedule optimize per day: its plans vary with which windows finish beside the"
                             " search; the table shows the first, a last column the best, median and worst")
    args = parser.parse_args()

    if not os.path.exists(args.schedule):
        sys.exit(f"{args.schedule} is missing: build it first (swift build -c release), or pass --schedule")
    peers = not args.skip_peers
    for tool, package in (("glpsol", "glpk-utils"), ("cbc", "coinor-cbc")):
        if peers and shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install {package} (or pass --skip-peers)")
    os.makedirs(args.out, exist_ok=True)
    extra = args.optimize_args.split()

    print(f"schedule optimize --time-limit {args.limit:g} {' '.join(extra)} against glpsol --cuts and Cbc (one thread), "
          f"same limit, each run alone\n")
    repeats = args.repeat > 1
    print("| day | ours: objective | bound | gap | proof | glpsol --cuts: objective | gap | proof "
          "| Cbc: objective | gap | proof | ours vs the peers' proven optimum |"
          + (f" {args.repeat} runs of ours vs that optimum: best / median / worst |" if repeats else ""))
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if repeats else ""))
    rows = []
    failed = False
    for size in [int(s) for s in args.sizes.split(",")]:
        for t in args.tightness.split(","):
            for seed in args.seeds.split(","):
                name = f"{size}-T{t}-s{seed}" + (f"-D{args.days}" if args.days > 1 else "")
                work = os.path.join(args.out, name)
                os.makedirs(work, exist_ok=True)
                day = os.path.join(work, "day.json")
                subprocess.run([args.schedule, "generate", "--visits", str(size), "--seed", seed, "--tightness", t,
                                "--days", str(args.days), "-o", day], check=True)
                runs = []
                for _ in range(max(1, args.repeat)):
                    us, model = ours(args.schedule, day, work, args.limit, extra)
                    runs.append(us)
                us = runs[0]
                g = glpsol(model, work, args.limit) if peers and os.path.exists(model) else {}
                c = cbc(model, work, args.limit) if peers and os.path.exists(model) else {}
                if any("error" in r or not r.get("checked", False) for r in runs):
                    failed = True
                proven = [r["objective"] for r in (us, g, c) if r.get("optimal") and r.get("objective") is not None]
                optimum = min(proven) if proven else None

                def above(r):
                    if optimum is None or r.get("objective") is None:
                        return None
                    return (r["objective"] - optimum) / max(1, abs(optimum))

                versus = "—" if above(us) is None else f"{above(us) * 100:+.3f} %"
                spread = sorted(a for a in map(above, runs) if a is not None)
                spread_cell = "—" if not spread else (f"{spread[0] * 100:+.3f} / {statistics.median(spread) * 100:+.3f} / "
                                                      f"{spread[-1] * 100:+.3f} %")
                o, b, gs, p = cell(us)
                if not us.get("checked", True):
                    p += " (REJECTED by schedule check)"
                go, gb, ggs, gp = cell(g) if g else ("", "", "", "")
                co, cb_, cgs, cp = cell(c) if c else ("", "", "", "")
                print(f"| {name} | {o} | {b} | {gs} | {p} | {go} | {ggs} | {gp} | {co} | {cgs} | {cp} | {versus} |"
                      + (f" {spread_cell} |" if repeats else ""), flush=True)
                rows.append({"size": size, "t": t, "seed": seed, "ours": us, "glpsol": g, "cbc": c, "runs": runs,
                             "above": [above(r) for r in runs]})

    print("\n| size, T | days | ours proven | median proof: ours | glpsol | Cbc | ours / glpsol | ours / Cbc "
          "| max over 30 s | plans within 0.5 % of the optimum |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def proof_time(r):
        return r["seconds"] if r.get("optimal") else args.limit * 2  # not proven counts as twice the limit

    groups = {}
    for r in rows:
        groups.setdefault((r["size"], r["t"]), []).append(r)
    for (size, t), rs in groups.items():
        mo = statistics.median(proof_time(r["ours"]) for r in rs)
        mg = statistics.median(proof_time(r["glpsol"]) for r in rs) if peers else float("nan")
        mc = statistics.median(proof_time(r["cbc"]) for r in rs) if peers else float("nan")
        proven = sum(1 for r in rs if r["ours"].get("optimal"))
        slow = max(proof_time(r["ours"]) for r in rs)
        known = [a for r in rs for a in r["above"] if a is not None]
        within = f"{sum(1 for a in known if a <= 0.005)} of {len(known)}" if known else "—"
        print(f"| {size}, {t} | {len(rs)} | {proven} | {mo:.1f} s | {mg:.1f} s | {mc:.1f} s | {mo / mg:.2f} | {mo / mc:.2f} "
              f"| {'yes' if slow > 30 else 'no'} | {within} |")
    print("\n(a time to proof that was not reached counts as twice the limit in the medians; the peers solve the"
          " exported typed model, which lacks the lazy rows against plans whose hosts cannot be given to people, so"
          " their optimum can lie below the day's: a positive last column with our plan proven optimal is that)")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    if failed:
        sys.exit("a plan failed schedule check or the optimizer failed: see the table")


if __name__ == "__main__":
    main()
