#!/usr/bin/env python3
"""Repairs for unmet needs (issue 18): the search against verifying by re-solving.

For each generated tight day (`schedule generate`), one after another:

1. `schedule optimize day.json` with the limit: the plan whose unmet needs to repair;
2. `schedule repairs day.json plan.json --format json`: its time, how many changed
   days it solved, and how many unmet needs got at least one verified repair;
3. for the first repair of up to `--applied` needs, `schedule repairs --apply
   --plan-out` writes the changed day and the plan its check found, which must pass
   `schedule check` against the changed day and meet the need;
4. the peer on the same work: `schedule optimize` solves
   it from scratch with the same limit, as a planner without repairs would check a
   change; the table gives its time per change and whether its plan meets the need
   (a full re-solve may trade the need for another, or not reach it in time);
5. and `schedule replan` of the changed day
   from the plan at 00:00 (every need free, the plan as the start, changes
   weighed), with a third of the limit: whether its plan meets the need.

Every plan written is checked with `schedule check`. Prints one Markdown table.

    python3 Benchmarks/repairs.py                          # 20 and 200 visits, T 1.5, seeds 1-2
    python3 Benchmarks/repairs.py --sizes 200 --seeds 1 --limit 30 --applied 3
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return done, time.monotonic() - started


def need_value(plan, need):
    for v in plan["visits"]:
        if v["id"] != need["visit"]:
            continue
        if "segment" not in need:
            return v.get(need["need"])
        for s in v.get("segments", []):
            if s["id"] == need["segment"]:
                return s.get(need["need"])
    return None


def check(schedule, day, plan, previous=None):
    extra = ["--previous", previous, "--now", "00:00"] if previous else []
    done, _ = run([schedule, "check", day, plan] + extra)
    if done.returncode != 0:
        sys.exit(f"{plan} does not pass schedule check against {day}:\n{done.stdout}{done.stderr}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,200")
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--tightness", type=float, default=1.5)
    parser.add_argument("--limit", type=float, default=30, help="time limit of each optimize, seconds")
    parser.add_argument("--applied", type=int, default=3, help="needs whose first repair is re-solved from scratch")
    parser.add_argument("--schedule", default=os.path.join(ROOT, ".build", "release", "schedule"))
    args = parser.parse_args()
    schedule = args.schedule
    if not os.access(schedule, os.X_OK):
        sys.exit(f"{schedule} is not built: swift build -c release")

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in [int(s) for s in args.sizes.split(",")]:
            for seed in [int(s) for s in args.seeds.split(",")]:
                name = f"{size}-T{args.tightness}-s{seed}"
                day = os.path.join(folder, f"{name}.json")
                plan = os.path.join(folder, f"{name}-plan.json")
                run([schedule, "generate", "--visits", str(size), "--seed", str(seed),
                     "--tightness", str(args.tightness), "-o", day])
                run([schedule, "optimize", day, "--time-limit", str(args.limit), "-o", plan])
                check(schedule, day, plan)
                done, seconds = run([schedule, "repairs", day, plan, "--format", "json"])
                if done.returncode != 0:
                    sys.exit(f"repairs failed on {name}: {done.stderr}")
                report = json.loads(done.stdout)
                needs = report["needs"]
                grouped = {json.dumps(m, sort_keys=True) for g in report["groups"] for m in g["meets"]}
                covered = sum(1 for n in needs if n["repairs"] or json.dumps(
                    {k: n[k] for k in ("visit", "segment", "need") if k in n}, sort_keys=True) in grouped)
                # The peer: each of the first repairs applied, the changed day solved from scratch.
                resolved, met, peer_seconds, replanned_met, verified_met = 0, 0, 0.0, 0, 0
                for n in [n for n in needs if n["repairs"]][: args.applied]:
                    repair = n["repairs"][0]
                    changed = os.path.join(folder, f"{name}-{repair['id']}.json")
                    verified = os.path.join(folder, f"{name}-{repair['id']}-verified.json")
                    applied, _ = run([schedule, "repairs", day, plan, "--apply", repair["id"], "--out", changed, "--plan-out", verified])
                    if applied.returncode != 0:
                        sys.exit(f"--apply {repair['id']} failed on {name}: {applied.stderr}")
                    check(schedule, changed, verified)
                    with open(verified) as f:
                        verified_met += need_value(json.load(f), n) is not None
                    again = os.path.join(folder, f"{name}-{repair['id']}-plan.json")
                    _, spent = run([schedule, "optimize", changed, "--time-limit", str(args.limit), "-o", again])
                    check(schedule, changed, again)
                    peer_seconds += spent
                    resolved += 1
                    with open(again) as f:
                        value = need_value(json.load(f), n)
                    met += value is not None
                    replanned = os.path.join(folder, f"{name}-{repair['id']}-replan.json")
                    run([schedule, "replan", changed, "--previous", plan, "--now", "00:00",
                         "--time-limit", str(max(1, args.limit / 3)), "-o", replanned])
                    check(schedule, changed, replanned, previous=plan)
                    with open(replanned) as f:
                        replanned_met += need_value(json.load(f), n) is not None
                rows.append((name, len(needs), len(report["approvals"]), covered, report["checks"], seconds,
                             seconds / max(1, report["checks"]), resolved, met, peer_seconds / max(1, resolved), replanned_met, verified_met))

    print("| day | unmet | approvals | unmet with a verified repair | changed days solved | repairs, time | per change | "
          "first repairs applied | verified plan (--plan-out) meets it | re-solved from scratch meets it | per change | "
          "replanned from the plan meets it |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]:.1f} s | {r[6] * 1000:.0f} ms | {r[7]} | {r[11]} | {r[8]} | "
              f"{r[9]:.1f} s | {r[10]} |")


if __name__ == "__main__":
    main()
