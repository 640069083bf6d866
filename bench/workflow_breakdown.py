#!/usr/bin/env python3
"""bench/workflow, section 1: where the time of each render went, and the ratios.

Reads CASE/cold.times and CASE/edited.times for each case named on the command line: a
first line "start end" (the wall clock around the `kompo render` process) and then the
execution's `kompo status --json`. Steps of one kind may overlap others (segments run
beside the sound), so the rows need not add up to the wall time.
"""
import json
import sys

KINDS = ["probe", "plan", "segment", "join", "sound", "mux", "publish"]
GOAL_RATIO = 10.0
GOAL_SMALL_EDIT_SECONDS = 0.5


def load(path):
    with open(path) as f:
        start, end = (float(x) for x in f.readline().split())
        return start, end, json.load(f)


def union_seconds(intervals):
    total, reach = 0.0, None
    for a, b in sorted(intervals):
        if reach is None or a > reach:
            total, reach = total + (b - a), b
        elif b > reach:
            total, reach = total + (b - reach), b
    return total


def breakdown(path):
    """Row name -> seconds."""
    start, end, status = load(path)
    execution = status["execution"]
    created, finished = execution["created_at"] / 1000, execution["finished_at"] / 1000
    ran = [s for s in status["steps"] if s["started_at"] > 0 and s["state"] == "succeeded"]
    rows = {"process start to submit": created - start}
    intervals = []
    for kind in KINDS:
        steps = [(s["started_at"] / 1000, s["finished_at"] / 1000) for s in ran if s["kind"] == kind]
        intervals += steps
        rows[kind] = max(b for _, b in steps) - min(a for a, _ in steps) if steps else 0.0
    rows["between steps"] = (finished - created) - union_seconds(intervals)
    rows["after the execution ended"] = end - finished
    rows["wall"] = end - start
    rows["segment steps run"] = len([s for s in ran if s["kind"] == "segment"])
    return rows


def main(cases):
    tables = {case: {run: breakdown(f"{case}/{run}.times") for run in ("cold", "edited")}
              for case in cases}
    columns = [(case, run) for case in cases for run in ("cold", "edited")]
    print(f"{'seconds':28}" + "".join(f"{case + ' ' + run:>14}" for case, run in columns))
    for row in tables[cases[0]]["cold"]:
        cells = []
        for case, run in columns:
            value = tables[case][run][row]
            cells.append(f"{value:>14d}" if isinstance(value, int) else f"{value:>14.3f}")
        print(f"{row:28}" + "".join(cells))
    for case in cases:
        cold, edit = tables[case]["cold"]["wall"], tables[case]["edited"]["wall"]
        line = (f"{case}: cold {cold:.2f} s, after a one-segment edit {edit:.2f} s: "
                f"{cold / edit:.2f}x faster (goal >= {GOAL_RATIO:g}x)")
        if case == "small":
            line += f"; edit re-render {edit:.2f} s (goal < {GOAL_SMALL_EDIT_SECONDS} s)"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
