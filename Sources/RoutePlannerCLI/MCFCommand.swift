import ArgumentParser
import Foundation
import NetworkData
import MinCostFlow
import GLPKSolver
import Routing
import Planning
import Simulation
import OneBill
import Markup

/// `routeplanner mcf FILE.min`: solves a min-cost flow problem given in DIMACS format.
struct MCFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcf",
        abstract: "Solve a min-cost flow problem in DIMACS format (.min): optimal cost, status and timings.",
        discussion: """
            The file: 'c' comment lines, one 'p min NODES ARCS' line, 'n ID SUPPLY' lines (positive \
            supplies send), 'a TAIL HEAD LOW CAP COST' lines; ids 1-based, integers only \
            (docs/min-cost-flow.md). Solvers: auto (the network simplex; GLPK's simplex if the data \
            exceed its 64-bit bounds), network-simplex, glpk-simplex, glpk-okalg (GLPK's \
            out-of-kilter, 32-bit data). Timings: parse (read and check the file), build (check and \
            convert the network for the solver), solve.
            Exit codes: 0 optimal; 3 no optimum: the problem is infeasible or unbounded (the \
            answer, with its reason, is still printed); 2 a malformed file or flag (every problem \
            with file:line) or data the chosen solver cannot take; 1 internal error.
            """)

    /// The `--solver` choices.
    enum Solver: String, ExpressibleByArgument, CaseIterable {
        case auto
        case networkSimplex = "network-simplex"
        case glpkSimplex = "glpk-simplex"
        case glpkOkalg = "glpk-okalg"
    }

    @Argument(help: "DIMACS min-cost flow file.") var file: String
    @Option(help: "auto, network-simplex, glpk-simplex or glpk-okalg.") var solver: Solver = .auto
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table

    /// The answer and how long each step took; the JSON contract of `mcf --format json`.
    struct Report: Encodable {
        var file: String
        var solver: Solver
        var nodes: Int
        var arcs: Int
        var outcome: FlowOutcome
        var parseSeconds: Double
        var buildSeconds: Double
        var solveSeconds: Double
        var pivots: Int?

        var status: String {
            switch outcome {
            case .optimal: "optimal"
            case .infeasible: "infeasible"
            case .unbounded: "unbounded"
            }
        }

        enum Key: String, CodingKey { case file, solver, nodes, arcs, status, objective, reason, seconds, pivots }
        enum SecondsKey: String, CodingKey { case parse, build, solve }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(file, forKey: .file)
            try container.encode(solver.rawValue, forKey: .solver)
            try container.encode(nodes, forKey: .nodes)
            try container.encode(arcs, forKey: .arcs)
            try container.encode(status, forKey: .status)
            switch outcome {
            case .optimal(let solution):
                // Integral costs print as integers (exact up to 2^53).
                if solution.cost.rounded() == solution.cost && abs(solution.cost) <= 9_007_199_254_740_992 {
                    try container.encode(Int64(solution.cost), forKey: .objective)
                } else {
                    try container.encode(solution.cost, forKey: .objective)
                }
            case .infeasible(let reason), .unbounded(let reason):
                try container.encodeNil(forKey: .objective)
                try container.encode(reason, forKey: .reason)
            }
            var seconds = container.nestedContainer(keyedBy: SecondsKey.self, forKey: .seconds)
            try seconds.encode(parseSeconds, forKey: .parse)
            try seconds.encode(buildSeconds, forKey: .build)
            try seconds.encode(solveSeconds, forKey: .solve)
            try container.encodeIfPresent(pivots, forKey: .pivots)
        }

        func table() -> String {
            var lines = ["file       \(file): \(nodes) nodes, \(arcs) arcs",
                         "solver     \(solver.rawValue)" + (pivots.map { " (\($0) pivots)" } ?? ""),
                         "status     \(status)"]
            switch outcome {
            case .optimal(let solution):
                let integral = solution.cost.rounded() == solution.cost && abs(solution.cost) <= 9_007_199_254_740_992
                lines.append("objective  " + (integral ? String(Int64(solution.cost)) : String(solution.cost)))
            case .infeasible(let reason), .unbounded(let reason):
                lines.append("reason     \(reason)")
            }
            lines.append(String(format: "seconds    parse %.3f, build %.3f, solve %.3f (total %.3f)",
                                parseSeconds, buildSeconds, solveSeconds, parseSeconds + buildSeconds + solveSeconds))
            return lines.joined(separator: "\n") + "\n"
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }

        var start = clock.now
        let network: FlowNetwork
        do {
            network = try DIMACSFormat.read(contentsOf: URL(fileURLWithPath: file), displayName: file)
        } catch {
            let count = error.issues.count
            throw ToolFailure.invalidInput(error.description + "\nerror: '\(file)' is not a valid DIMACS min-cost flow file (\(count) problem\(count == 1 ? "" : "s") listed)")
        }
        let parseSeconds = seconds(clock.now - start)

        var used = solver
        var pivots: Int?
        let outcome: FlowOutcome
        let buildSeconds: Double
        start = clock.now
        do {
            var simplex: NetworkSimplex?
            switch solver {
            case .auto, .networkSimplex:
                do {
                    simplex = try NetworkSimplex(network)
                    used = .networkSimplex
                } catch {
                    // auto: data the network simplex cannot take go to GLPK's simplex.
                    guard solver == .auto, case .notIntegral = error else {
                        guard solver == .auto, case .overflow = error else { throw error }
                        used = .glpkSimplex
                        break
                    }
                    used = .glpkSimplex
                }
            case .glpkSimplex, .glpkOkalg:
                try network.validate()
            }
            buildSeconds = seconds(clock.now - start)
            start = clock.now
            if let simplex {
                var statistics = NetworkSimplex.Statistics()
                outcome = simplex.solve(statistics: &statistics)
                pivots = statistics.pivots + statistics.feasibilityPivots
            } else {
                outcome = try network.solve(using: used == .glpkOkalg ? .glpkOutOfKilter : .glpkSimplex)
            }
        } catch let error as FlowError {
            switch error {
            case .invalidInput(let message), .notIntegral(let message), .overflow(let message):
                throw ToolFailure.invalidInput("error: \(file): the \(used.rawValue) solver cannot take this network: \(message)")
            case .solverFailed:
                throw ToolFailure(message: "error: \(file): \(error)", exitCode: .internalError)
            }
        }
        let report = Report(file: file, solver: used, nodes: network.nodeCount, arcs: network.arcs.count, outcome: outcome,
                            parseSeconds: parseSeconds, buildSeconds: buildSeconds, solveSeconds: seconds(clock.now - start),
                            pivots: pivots)
        switch format {
        case .json: try printJSON(report)
        case .table: print(report.table(), terminator: "")
        }
        if case .optimal = outcome { return }
        throw ExitCode(ToolExit.noFeasibleRoute.rawValue)
    }
}
