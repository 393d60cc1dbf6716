#!/usr/bin/env python3
"""OR-Tools peer for the min-cost flow benchmark (issue 6): SimpleMinCostFlow (cost scaling)
on a DIMACS `p min` file; prints one JSON line (solver, status, objective, parse/build/solve
seconds, nodes, arcs, peakMB).

Usage: ortools_mcf.py FILE.min

SimpleMinCostFlow has no lower bounds: they are shifted into the supplies and their cost is
added back to the objective (dimacs.MinCostFlowFile.without_lower_bounds). "build" is that shift
plus loading the arcs and supplies; "solve" is SimpleMinCostFlow.solve() (which checks
feasibility with a max flow first).
"""
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow

import dimacs


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: ortools_mcf.py FILE.min")
    start = time.perf_counter()
    problem = dimacs.read(sys.argv[1])
    parse = time.perf_counter() - start

    start = time.perf_counter()
    supply, capacity, constant = problem.without_lower_bounds()
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(problem.tail.astype(np.int32), problem.head.astype(np.int32),
                                              capacity, problem.cost)
    flow.set_nodes_supplies(np.arange(problem.nodes, dtype=np.int32), supply)
    build = time.perf_counter() - start

    start = time.perf_counter()
    status = flow.solve()
    solve = time.perf_counter() - start
    Status = min_cost_flow.SimpleMinCostFlow.Status
    if status == Status.OPTIMAL:
        outcome, objective = "optimal", int(flow.optimal_cost()) + constant
    elif status in (Status.INFEASIBLE, Status.UNBALANCED):
        outcome, objective = "infeasible", None
    else:
        outcome, objective = f"error: {status.name}", None
    dimacs.report("ortools", outcome, objective, parse, build, solve, problem.nodes, problem.arcs)


if __name__ == "__main__":
    main()
