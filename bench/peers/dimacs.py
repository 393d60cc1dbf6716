"""Reads a DIMACS minimum-cost flow file (`p min n m`, `n id supply`, `a tail head low cap cost`,
1-based ids) into NumPy arrays, and shifts lower bounds into supplies for solvers without them.

Shared by the Python peers of the min-cost flow benchmark (issue 6).
"""
import resource
import sys
from dataclasses import dataclass

import numpy as np


@dataclass
class MinCostFlowFile:
    nodes: int
    supply: np.ndarray  # int64, per node (0-based); positive sends
    tail: np.ndarray    # int64, 0-based
    head: np.ndarray
    lower: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray

    @property
    def arcs(self) -> int:
        return len(self.tail)

    def without_lower_bounds(self):
        """Supplies, capacities and the objective constant once every arc's lower bound l is sent
        up front: the tail sends l less, the head receives l less, the capacity shrinks by l and
        the objective gains l · cost. The optimum of the shifted problem plus the constant is the
        optimum of this one."""
        supply = self.supply.copy()
        np.subtract.at(supply, self.tail, self.lower)
        np.add.at(supply, self.head, self.lower)
        constant = int(np.dot(self.lower, self.cost))
        return supply, self.capacity - self.lower, constant


def read(path: str) -> MinCostFlowFile:
    """Parses the file; raises ValueError saying what is wrong when it is malformed."""
    with open(path, "rb") as file:
        data = file.read()
    # Fast path: the arcs form one block at the end of the file (as FlowInstances writes them),
    # parsed by NumPy in one call; otherwise every line is looked at.
    first_arc = data.find(b"\na ") + 1
    block = data[first_arc:] if first_arc > 0 else b""
    if first_arc > 0 and not any(marker in block for marker in (b"\nc", b"\nn", b"\np")):
        lines = data[:first_arc].split(b"\n")
        values = np.fromstring(block.replace(b"a", b" "), dtype=np.int64, sep=" ")
    else:
        lines = data.split(b"\n")
        values = np.array(b" ".join(line[1:] for line in lines if line.startswith(b"a")).split(), dtype=np.int64)
    del data, block

    problem = [line for line in lines if line.startswith(b"p")]
    if len(problem) != 1:
        raise ValueError(f"{path}: expected one 'p min NODES ARCS' line, found {len(problem)}")
    fields = problem[0].split()
    if len(fields) != 4 or fields[1] != b"min":
        raise ValueError(f"{path}: not a min-cost flow file: {problem[0].decode()!r}")
    nodes, arcs = int(fields[2]), int(fields[3])
    supply = np.zeros(nodes, dtype=np.int64)
    node_lines = [line[1:] for line in lines if line.startswith(b"n")]
    if node_lines:
        pairs = np.array(b" ".join(node_lines).split(), dtype=np.int64).reshape(-1, 2)
        if pairs[:, 0].min() < 1 or pairs[:, 0].max() > nodes:
            raise ValueError(f"{path}: an 'n' line names a node outside 1..{nodes}")
        np.add.at(supply, pairs[:, 0] - 1, pairs[:, 1])
    if len(values) != 5 * arcs:
        raise ValueError(f"{path}: the p line announces {arcs} arcs; the 'a' lines hold {len(values) / 5:g} "
                         "(each needs tail head low cap cost)")
    values = values.reshape(-1, 5)
    tail, head = values[:, 0] - 1, values[:, 1] - 1
    if tail.min(initial=0) < 0 or head.min(initial=0) < 0 or tail.max(initial=0) >= nodes or head.max(initial=0) >= nodes:
        raise ValueError(f"{path}: an arc names a node outside 1..{nodes}")
    return MinCostFlowFile(nodes, supply, np.ascontiguousarray(tail), np.ascontiguousarray(head),
                           np.ascontiguousarray(values[:, 2]), np.ascontiguousarray(values[:, 3]),
                           np.ascontiguousarray(values[:, 4]))


def peak_mb() -> float:
    """This process's peak resident set so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(solver: str, status: str, objective, parse: float, build: float, solve: float, nodes: int, arcs: int) -> None:
    """Prints the one JSON line every driver of this benchmark prints."""
    import json
    print(json.dumps({"solver": solver, "status": status, "objective": objective,
                      "seconds": {"parse": parse, "build": build, "solve": solve},
                      "nodes": nodes, "arcs": arcs, "peakMB": round(peak_mb(), 1)}))
    sys.stdout.flush()
