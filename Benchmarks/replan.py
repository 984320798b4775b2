#!/usr/bin/env python3
"""Replanning on the day (issue 17): a car withdrawn at 11:00, replanned against re-solved.

For each generated day (`schedule generate`), one after another:

1. `schedule optimize day.json` with the limit: the plan being carried out;
2. the car with the most transfers starting at or after 11:00 is withdrawn from
   11:00 (its availability cut to 00:00-11:00);
3. `schedule replan` from that plan at 11:00, with the replan limit (default 10 s);
4. the same with `weights.change` at 50,000: changes then cost more than anything
   but an unmet need, so its count is the fewest changes that keep the needs met
   (when it is proven optimal; the table says);
5. `schedule optimize` of the changed day from scratch, with the full limit, and
   how many needs its plan changes against the plan being carried out;

and checks every replanned plan with `schedule check --previous --now`, that
nothing that started before 11:00 changed except what used the withdrawn car,
and prints one Markdown table.

    python3 Benchmarks/replan.py                                  # 200 visits, seeds 1-3
    python3 Benchmarks/replan.py --sizes 200 --seeds 1 --limit 60 --replan-limit 10
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return done, time.monotonic() - started


def values(plan):
    """Every need's value by (visit, segment or None, key)."""
    out = {}
    for v in plan["visits"]:
        for key, value in v.items():
            if key not in ("id", "segments", "costs", "overruns"):
                out[(v["id"], None, key)] = value
        for s in v.get("segments", []):
            for key, value in s.items():
                if key != "id":
                    out[(v["id"], s["id"], key)] = value
    return out


def canonical(value):
    if isinstance(value, list):
        return sorted(json.dumps(x, sort_keys=True) for x in value)
    return json.dumps(value, sort_keys=True)


def changed(before, after):
    """Needs met before whose value differs (§10's count)."""
    a, b = values(before), values(after)
    return [k for k, v in a.items() if v is not None and k in b and canonical(v) != canonical(b[k])]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--tightness", default="1.0")
    parser.add_argument("--limit", type=float, default=60, help="seconds for the first plan and the re-solve")
    parser.add_argument("--replan-limit", type=float, default=10)
    parser.add_argument("--schedule", default=os.path.join(ROOT, ".build", "release", "schedule"))
    parser.add_argument("--out", default="/tmp/schedule-replan")
    args = parser.parse_args()
    if not os.path.exists(args.schedule):
        sys.exit(f"{args.schedule} is missing: build it first (swift build -c release), or pass --schedule")
    os.makedirs(args.out, exist_ok=True)
    s = args.schedule
    print(f"A car withdrawn at 11:00: schedule replan (--time-limit {args.replan_limit:g}) against the fewest changes "
          f"(weights.change 50,000) and a re-solve from scratch (--time-limit {args.limit:g})\n")
    print("| day | withdrawn | replan: time | changes (broken/freed/cheaper) | objective | fewest changes | "
          "re-solve: time | changes | objective | past kept | checked |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    failed = False
    for size in [int(x) for x in args.sizes.split(",")]:
        for seed in args.seeds.split(","):
            name = f"{size}-T{args.tightness}-s{seed}"
            work = os.path.join(args.out, name)
            os.makedirs(work, exist_ok=True)
            day, plan = os.path.join(work, "day.json"), os.path.join(work, "plan.json")
            subprocess.run([s, "generate", "--visits", str(size), "--seed", seed, "--tightness", args.tightness, "-o", day], check=True)
            run([s, "optimize", day, "--time-limit", str(args.limit), "-o", plan])
            d, p = json.load(open(day)), json.load(open(plan))
            starts = {(v["id"], seg["id"]): seg["start"] for v in d["visits"] for seg in v["segments"]}
            uses = {}
            for v in p["visits"]:
                for seg in v["segments"]:
                    if starts[(v["id"], seg["id"])] >= "11:00":
                        for pair in seg.get("transport") or []:
                            uses[pair["vehicle"]] = uses.get(pair["vehicle"], 0) + 1
            car = max(sorted(uses), key=lambda c: uses[c])
            for vehicle in d["resources"]["vehicles"]:
                if vehicle["id"] == car:
                    vehicle["available"] = [{"from": "00:00", "to": "11:00"}]
            now_day = os.path.join(work, "now.json")
            json.dump(d, open(now_day, "w"), indent=1)
            heavy = json.loads(json.dumps(d))
            heavy["policy"].setdefault("weights", {})["change"] = 50000
            heavy_day = os.path.join(work, "now-heavy.json")
            json.dump(heavy, open(heavy_day, "w"), indent=1)

            rows = {}
            for label, file, limit in (("replan", now_day, args.replan_limit), ("fewest", heavy_day, args.limit)):
                out = os.path.join(work, f"{label}.json")
                done, wall = run([s, "replan", file, "--previous", plan, "--now", "11:00", "--time-limit", str(limit), "-o", out])
                check, _ = run([s, "check", file, out, "--previous", plan, "--now", "11:00"])
                r = json.load(open(out))
                rows[label] = (r, wall, check.returncode == 0)
                failed = failed or check.returncode != 0
            scratch = os.path.join(work, "scratch.json")
            _, scratch_wall = run([s, "optimize", now_day, "--time-limit", str(args.limit), "-o", scratch])
            resolved = json.load(open(scratch))

            r, wall, ok = rows["replan"]
            why = {k: sum(1 for c in r["changes"] if c["why"] == k) for k in ("broken", "freed", "cheaper")}
            # Nothing under way changed except what used the withdrawn car.
            past = all(car in json.dumps(c["before"]) for c in r["changes"] if c["why"] == "broken")
            fewest, _, ok2 = rows["fewest"]
            proven = " (proven)" if fewest["status"] == "optimal" else ""
            print(f"| {name} | {car} | {wall:.1f} s | {len(r['changes'])} ({why['broken']}/{why['freed']}/{why['cheaper']}) "
                  f"| {r['objective']:,.0f} | {len(fewest['changes'])}{proven} | {scratch_wall:.1f} s "
                  f"| {len(changed(p, resolved))} | {resolved['objective']:,.0f} | {'yes' if past else 'NO'} "
                  f"| {'yes' if ok and ok2 else 'REJECTED'} |", flush=True)
            failed = failed or not past
    print("\n(objectives: the replan's counts weights.change for each change; the re-solve's does not. "
          "A change is a need met in the plan being carried out whose value differs.)")
    if failed:
        sys.exit("a replanned plan failed schedule check, or something under way changed that did not use the car")


if __name__ == "__main__":
    main()
