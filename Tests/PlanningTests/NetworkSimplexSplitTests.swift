import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import Routing
@testable import Planning

@Suite("Volume split by the network simplex")
struct NetworkSimplexSplitTests {
    @Test("without a deadline the split is one network simplex solve, with column generation's optimum",
          arguments: [("CNCQI", "DEDUI", 600.0, CapacityPeriod.departure, Objective.cost),
                      ("CNCQI", "VNHAN", 400.0, CapacityPeriod.departure, Objective.balanced)]
              as [(String, String, Double, CapacityPeriod, Objective)])
    func sameOptimumAsColumnGeneration(from: String, to: String, teu: Double, period: CapacityPeriod, objective: Objective) throws {
        let splitter = VolumeSplitter(router: Router(network: builtInNetwork))
        var query = RouteQuery(origin: PlaceCode(from), destination: PlaceCode(to), teu: teu, objective: objective)
        let byNetworkSimplex = try splitter.split(query, period: period)
        query.deadlineHours = 1e6  // a deadline that binds nothing, but takes the column-generation path
        let byColumnGeneration = try splitter.split(query, period: period)
        #expect(byNetworkSimplex.solver == VolumeSplitter.networkSimplexMethod)
        #expect(byColumnGeneration.solver == VolumeSplitter.columnGenerationMethod)
        let objectiveA = byNetworkSimplex.totalCostUSD + byNetworkSimplex.unmetTEU * splitter.unmetPenaltyPerTEU
        let objectiveB = byColumnGeneration.totalCostUSD + byColumnGeneration.unmetTEU * splitter.unmetPenaltyPerTEU
        #expect(abs(objectiveA - objectiveB) <= 1e-7 * max(1, abs(objectiveB)))
        // The same services bind, at the same duals (both are optimal duals of the same LP here).
        let dualsA = Dictionary(uniqueKeysWithValues: byNetworkSimplex.bindingServices.map { ($0.service, $0.dualUSDPerTEU) })
        for binding in byColumnGeneration.bindingServices where binding.dualUSDPerTEU > 1e-6 {
            #expect(dualsA[binding.service] != nil, "\(binding.service) binds in column generation only")
        }
        #expect(abs(byNetworkSimplex.routes.reduce(0) { $0 + $1.teu } + byNetworkSimplex.unmetTEU - teu) < 1e-9)
    }
}
