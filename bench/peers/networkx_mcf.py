#!/usr/bin/env python3
"""NetworkX peer for the min-cost flow benchmark (issue 6): networkx.network_simplex on a
DIMACS `p min` file (as a MultiDiGraph, since files may hold parallel arcs); prints one JSON line
(solver, status, objective, parse/build/solve seconds, nodes, arcs, peakMB).

Usage: networkx_mcf.py FILE.min

network_simplex has no lower bounds: they are shifted into the demands and their cost is added
back to the objective (dimacs.MinCostFlowFile.without_lower_bounds). "build" is that shift plus
building the graph; "solve" is network_simplex itself.
"""
import sys
import time

import networkx as nx

import dimacs


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: networkx_mcf.py FILE.min")
    start = time.perf_counter()
    problem = dimacs.read(sys.argv[1])
    parse = time.perf_counter() - start

    start = time.perf_counter()
    supply, capacity, constant = problem.without_lower_bounds()
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((node, {"demand": -value}) for node, value in enumerate(supply.tolist()))
    graph.add_edges_from(zip(problem.tail.tolist(), problem.head.tolist(),
                             ({"capacity": c, "weight": w} for c, w in zip(capacity.tolist(), problem.cost.tolist()))))
    build = time.perf_counter() - start

    start = time.perf_counter()
    try:
        cost, _ = nx.network_simplex(graph)
        outcome, objective = "optimal", int(cost) + constant
    except nx.NetworkXUnfeasible:
        outcome, objective = "infeasible", None
    except nx.NetworkXUnbounded:
        outcome, objective = "unbounded", None
    solve = time.perf_counter() - start
    dimacs.report("networkx", outcome, objective, parse, build, solve, problem.nodes, problem.arcs)


if __name__ == "__main__":
    main()
