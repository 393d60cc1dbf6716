// LEMON peer for the min-cost flow benchmark (issue 6): reads a DIMACS `p min` file with
// lemon::readDimacsMin, solves it with one LEMON algorithm, prints one JSON line.
//
// Usage: lemon_mcf FILE.min [network-simplex|cost-scaling]
//   network-simplex: NetworkSimplex, default pivot rule (block search)
//   cost-scaling:    CostScaling, default method (partial augment-relabel)
// One algorithm per process, so the runner's peak RSS belongs to that algorithm.
// Numbers are long long throughout (with int, LEMON's artificial costs overflow on large files).
//
// Build: g++ -O3 -DNDEBUG -std=c++17 lemon_mcf.cpp -o lemon_mcf   (Debian: apt-get install liblemon-dev)
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

using Digraph = lemon::SmartDigraph;
using Value = long long;

namespace {

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;  // Linux: KiB
}

struct Outcome {
    const char* status;
    bool has_objective;
    Value objective;
    double build_seconds;
    double solve_seconds;
};

template <typename Algorithm>
Outcome solve(const Digraph& graph, const Digraph::ArcMap<Value>& lower, const Digraph::ArcMap<Value>& capacity,
              const Digraph::ArcMap<Value>& cost, const Digraph::NodeMap<Value>& supply) {
    auto start = std::chrono::steady_clock::now();
    Algorithm algorithm(graph);
    algorithm.lowerMap(lower).upperMap(capacity).costMap(cost).supplyMap(supply);
    double build_seconds = since(start);
    start = std::chrono::steady_clock::now();
    auto result = algorithm.run();
    double solve_seconds = since(start);
    switch (result) {
    case Algorithm::OPTIMAL:
        return {"optimal", true, algorithm.template totalCost<Value>(), build_seconds, solve_seconds};
    case Algorithm::INFEASIBLE:
        return {"infeasible", false, 0, build_seconds, solve_seconds};
    default:
        return {"unbounded", false, 0, build_seconds, solve_seconds};
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: lemon_mcf FILE.min [network-simplex|cost-scaling]\n");
        return 2;
    }
    const std::string algorithm = argc == 3 ? argv[2] : "network-simplex";
    if (algorithm != "network-simplex" && algorithm != "cost-scaling") {
        std::fprintf(stderr, "lemon_mcf: unknown algorithm %s\n", algorithm.c_str());
        return 2;
    }
    std::ifstream file(argv[1]);
    if (!file) {
        std::fprintf(stderr, "lemon_mcf: cannot open %s\n", argv[1]);
        return 1;
    }

    auto start = std::chrono::steady_clock::now();
    Digraph graph;
    Digraph::ArcMap<Value> lower(graph), capacity(graph), cost(graph);
    Digraph::NodeMap<Value> supply(graph);
    try {
        lemon::readDimacsMin(file, graph, lower, capacity, cost, supply);
    } catch (const lemon::Exception& error) {
        std::fprintf(stderr, "lemon_mcf: %s: %s\n", argv[1], error.what());
        return 1;
    }
    double parse_seconds = since(start);

    Outcome outcome = algorithm == "network-simplex"
        ? solve<lemon::NetworkSimplex<Digraph, Value, Value>>(graph, lower, capacity, cost, supply)
        : solve<lemon::CostScaling<Digraph, Value, Value>>(graph, lower, capacity, cost, supply);

    std::string objective = outcome.has_objective ? std::to_string(outcome.objective) : "null";
    std::printf("{\"solver\": \"lemon-%s\", \"status\": \"%s\", \"objective\": %s, "
                "\"seconds\": {\"parse\": %.6f, \"build\": %.6f, \"solve\": %.6f}, "
                "\"nodes\": %d, \"arcs\": %d, \"peakMB\": %.1f}\n",
                algorithm.c_str(), outcome.status, objective.c_str(), parse_seconds, outcome.build_seconds,
                outcome.solve_seconds, lemon::countNodes(graph), lemon::countArcs(graph), peak_mb());
    return 0;
}
