import NetworkData
import Testing
import TestFixtures
@testable import Routing

/// The faster searches of issue 13 (bounded spur searches, place bans without hashing, a plain
/// binary heap) must give exactly the answers of the searches before them, which stay reachable
/// as ``Router/usesReferenceSearch``. Both run here on the same seeded queries.
@Suite("Route answers before and after the faster searches")
struct SearchEquivalenceTests {
    static let router = Router(network: builtInNetwork)
    static let reference: Router = {
        var router = Router(network: builtInNetwork)
        router.usesReferenceSearch = true
        return router
    }()

    /// 1,000 seeded queries in 10 batches (run in parallel): random places, objectives, cargo,
    /// alternatives, some deadlines and months, with and without the Pareto front.
    @Test(arguments: 0..<10)
    func sameAnswers(batch: UInt64) throws {
        var random = SeededGenerator(seed: 13_000 + batch)
        let codes = builtInNetwork.places.map(\.code)
        let cargoes: [CargoClass] = [.general, .general, .general, .reefer, .vehicles, .dangerous(3), .dangerous(9)]
        var compared = 0
        while compared < 100 {
            let origin = codes[Int(random.next() % UInt64(codes.count))]
            let destination = codes[Int(random.next() % UInt64(codes.count))]
            guard origin != destination else { continue }
            let objective = Objective.allCases[Int(random.next() % UInt64(Objective.allCases.count))]
            let teu = Double(1 + random.next() % 40)
            let deadline: Double? = random.next() % 4 == 0 ? Double(200 + random.next() % 1200) : nil
            let month: Int? = random.next() % 3 == 0 ? Int(1 + random.next() % 12) : nil
            let query = RouteQuery(origin: origin, destination: destination, teu: teu,
                                   cargo: cargoes[Int(random.next() % UInt64(cargoes.count))], deadlineHours: deadline,
                                   objective: objective, alternatives: Int(1 + random.next() % 6), month: month)
            let paretoFront = random.next() % 4 != 0
            let new = try Self.router.routes(for: query, paretoFront: paretoFront)
            let old = try Self.reference.routes(for: query, paretoFront: paretoFront)
            #expect(Self.summary(new) == Self.summary(old), "\(origin) → \(destination), \(objective), front \(paretoFront)")
            compared += 1
        }
        // The simulator's entry point (no front, a mode family) gives the same routes too.
        let query = RouteQuery(origin: "CNCQI", destination: "DEDUI", objective: .cost)
        #expect(Self.router.bestRoutes(for: query, count: 8, allowedModes: [.rail, .road], examinationLimit: 100)
                == Self.reference.bestRoutes(for: query, count: 8, allowedModes: [.rail, .road], examinationLimit: 100))
    }

    /// Everything an outcome says, comparable.
    struct Summary: Equatable {
        var kind: String
        var routes: [[Route]]
        var reasons: [[String]]
    }

    static func summary(_ outcome: RouteOutcome) -> Summary {
        switch outcome {
        case .found(let routes, let front): Summary(kind: "found", routes: [routes, front], reasons: [])
        case .noFeasibleRoute(let rejected):
            Summary(kind: "noFeasibleRoute", routes: [rejected.map(\.route)], reasons: rejected.map(\.reasons))
        case .noPath: Summary(kind: "noPath", routes: [], reasons: [])
        }
    }
}
