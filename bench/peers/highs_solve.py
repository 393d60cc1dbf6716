#!/usr/bin/env python3
"""Solves an MPS file with HiGHS (highspy) and prints one JSON line: status, objective, seconds.

Usage: highs_solve.py FILE.mps [TIME_LIMIT_SECONDS]

`seconds` is HiGHS's own run time (reading the file excluded), `readSeconds` the time to read
the file. Default options (presolve, then HiGHS's choice of simplex or IPM) apart from the time
limit and silence.
"""
import json
import sys
import time

import highspy


def main() -> None:
    path = sys.argv[1]
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", limit)
    start = time.perf_counter()
    status = h.readModel(path)
    read_seconds = time.perf_counter() - start
    if status == highspy.HighsStatus.kError:
        print(json.dumps({"status": "read error", "objective": None, "seconds": None, "readSeconds": read_seconds}))
        sys.exit(1)
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    model_status = h.getModelStatus()
    info = h.getInfo()
    optimal = model_status == highspy.HighsModelStatus.kOptimal
    print(json.dumps({
        "status": h.modelStatusToString(model_status),
        "optimal": optimal,
        "objective": info.objective_function_value if optimal else None,
        "seconds": seconds,
        "readSeconds": read_seconds,
        "simplexIterations": info.simplex_iteration_count,
        "ipmIterations": info.ipm_iteration_count,
    }))


if __name__ == "__main__":
    main()
