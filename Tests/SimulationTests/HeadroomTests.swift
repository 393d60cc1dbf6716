import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Simulation

@Suite("Replication statistics")
struct ReplicationStatisticsTests {
    /// Hand computation: 1…5 has mean 3, s² = 10/4 = 2.5, s = 1.58114, s/√5 = 0.70711, and
    /// t(0.975, 4) = 2.7764 (tables; 2.776445 exactly), so the half-width is 2.7764 × 0.70711 = 1.9632
    /// (1.96324 with the exact quantile: the table's 4 decimals allow 1e-4).
    @Test func intervalOfOneToFiveMatchesTheHandComputation() throws {
        let interval = try #require(MeanInterval([1, 2, 3, 4, 5]))
        #expect(abs(interval.mean - 3) < 1e-12)
        #expect(abs(interval.standardDeviation - 1.581139) < 1e-6)
        #expect(abs(interval.halfWidth - 1.9632) < 1e-4)
        #expect(abs(interval.low - 1.0368) < 1e-4 && abs(interval.high - 4.9632) < 1e-4)
        #expect(interval.count == 5)
    }

    /// Two values 10 and 12: s = √2, s/√2 = 1, so the half-width is t(0.975, 1) = 12.7062 itself.
    @Test func twoValuesGiveTheOneDegreeOfFreedomQuantile() throws {
        let interval = try #require(MeanInterval([10, 12]))
        #expect(abs(interval.mean - 11) < 1e-12)
        #expect(abs(interval.halfWidth - 12.7062) < 1e-4)
    }

    @Test func oneValueOrANonFiniteValueHasNoInterval() {
        #expect(MeanInterval([4]) == nil)
        #expect(MeanInterval([]) == nil)
        #expect(MeanInterval([1, .nan]) == nil)
        #expect(MeanInterval([2, 2, 2])?.halfWidth == 0)
    }

    /// Beyond the table the quantile is interpolated: t(0.975, 35) = 2.0301, t(0.975, 1000) = 1.9623.
    @Test func tQuantilesBeyondTheTable() {
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 35) - 2.0301) < 0.001)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 1000) - 1.9623) < 0.001)
        #expect(StudentT.quantile975(degreesOfFreedom: 10) == 2.2281)
        var previous = Double.infinity
        for df in 1...400 {
            let t = StudentT.quantile975(degreesOfFreedom: df)
            #expect(t < previous && t > 1.95996, "t(0.975, \(df)) = \(t) should fall with df toward 1.96")
            previous = t
        }
    }

    @Test func replicationsRunTheirSeedsInParallelLikeOneByOne() throws {
        let network = try NetworkLoader.load(yaml: singleServiceNetwork())
        var options = SimulationOptions()
        options.days = 60
        options.seed = 5
        options.recordEvents = false
        let simulator = Simulator(network: network, lanes: [singleServiceLane(teuPerYear: 2_000)], options: options)
        let replications = Replications(simulator: simulator, count: 3, jobs: 3)
        #expect(replications.seeds == [5, 6, 7])
        let parallel = replications.run()
        for (seed, result) in zip(replications.seeds, parallel) {
            var o = options
            o.seed = seed
            let alone = Simulator(network: network, lanes: simulator.lanes, options: o).run()
            #expect(alone.kpis == result.kpis, "seed \(seed): a run on a worker thread differs from the same run alone")
        }
        let summary = ReplicationSummary(results: parallel, seeds: replications.seeds)
        let arrived = try #require(summary.kpis["shipmentsArrived"])
        let values = parallel.map { $0.kpis["shipmentsArrived"]! }
        #expect(abs(arrived.mean - values.reduce(0, +) / 3) < 1e-9)
        #expect(arrived.low <= values.min()! || arrived.halfWidth > 0)
    }
}

@Suite("Headroom search")
struct HeadroomTests {
    /// 7 departures × 10 TEU a week = 3,650 TEU a year of capacity against 1,825 TEU a year of
    /// demand: by hand the lane can grow to capacity ÷ demand = 2.
    static let capacityTEUPerYear = 7 * 10 * 365.0 / 7
    static let demandTEUPerYear = 1_825.0

    func search(departuresPerWeek: Double = 7, steps: Int = 6, threshold: Double = 0.02) throws -> HeadroomSearch {
        let network = try NetworkLoader.load(yaml: singleServiceNetwork(departuresPerWeek: departuresPerWeek))
        var options = SimulationOptions()
        options.days = 365
        options.seed = 1
        return HeadroomSearch(network: network, lanes: [singleServiceLane(teuPerYear: Self.demandTEUPerYear)], options: options,
                              growth: [.all], criteria: [.backlog(maximumShare: threshold)], seeds: 2, steps: steps, jobs: 2)
    }

    /// Below capacity the backlog at the end is the pipeline (under a day of a year's cargo); above
    /// it, the excess piles up: (f·D − C)/(f·D) of the arrivals. With the criterion "backlog ≤ τ"
    /// the limit is between C/D (less the random walk of a queue at ρ ≈ 1, a few %) and
    /// C/D ÷ (1 − τ); the test allows that band plus the bisection's tolerance.
    @Test func findsCapacityOverDemandOnOneService() throws {
        let search = try search()
        let outcome = search.search(on: search.network)
        let limit = try #require(outcome.limitFactor)
        let tolerance = try #require(outcome.tolerance)
        let byHand = Self.capacityTEUPerYear / Self.demandTEUPerYear
        #expect(tolerance <= 2.0 / 64 + 1e-9, "6 bisections of the bracket [2, 4] close to 1/32")
        #expect(limit >= byHand * 0.95 - tolerance && limit <= byHand / (1 - 0.02) + tolerance,
                "limit \(limit) ± \(tolerance), by hand \(byHand)")
        expectMonotone(outcome)
    }

    /// Every factor that held lies below every factor that failed, and more capacity never lowers the limit.
    @Test func searchIsMonotoneInDemandAndInCapacity() throws {
        var limits: [Double] = []
        for departures in [3.5, 7, 14] {
            let search = try search(departuresPerWeek: departures, steps: 4)
            let outcome = search.search(on: search.network)
            expectMonotone(outcome)
            limits.append(try #require(outcome.limitFactor))
        }
        #expect(limits[0] < limits[1] && limits[1] < limits[2], "limits \(limits) should rise with capacity")
        // Halving and doubling the departures halves and doubles the answer (within the precision).
        #expect(abs(limits[0] / limits[1] - 0.5) < 0.1 && abs(limits[2] / limits[1] - 2) < 0.3, "\(limits)")
    }

    /// The relief table: the only service is the binding resource; +10 % departures moves the
    /// limit by about +10 % of it.
    @Test func reliefOfTheOnlyServiceAddsAboutTenPercent() throws {
        var search = try search(steps: 6)
        search.reliefCount = 1
        let answer = search.run()
        let base = try #require(answer.base.limitFactor)
        let first = try #require(answer.binding.first)
        #expect(first.resource == .service("S1"), "binding: \(answer.binding.map(\.name))")
        #expect(answer.firstToBind?.criterion == "backlog")
        let relief = try #require(answer.reliefs.first)
        let relieved = try #require(relief.outcome.limitFactor)
        let tolerance = try #require(answer.base.tolerance)
        #expect(abs(relieved - base * 1.1) <= 2 * tolerance + 0.05 * base, "relieved \(relieved), base \(base)")
        expectMonotone(relief.outcome)
    }

    @Test func growthSelectsLanesAndCriteriaParse() throws {
        let lane = singleServiceLane(teuPerYear: 100)
        #expect(DemandGrowth.all.matches(lane))
        #expect(DemandGrowth.corridor(.chinaEurope).matches(lane) && !DemandGrowth.corridor(.air).matches(lane))
        #expect(DemandGrowth.lane(origin: "CNAAA", destination: "CNBBB").matches(lane))
        #expect(!DemandGrowth.lane(origin: "CNBBB", destination: "CNAAA").matches(lane))
        #expect(try HeadroomCriterion(parsing: "on-time=0.85") == .onTime(minimum: 0.85))
        #expect(try HeadroomCriterion(parsing: "p90-wait-hours=72") == .p90WaitHours(maximum: 72))
        for bad in ["foo=1", "on-time=2", "on-time", "p90-wait-hours=-1", "backlog=x"] {
            #expect(throws: HeadroomInputError.self, "\(bad)") { try HeadroomCriterion(parsing: bad) }
        }
    }

    @Test func resourcesAreReadFromBottleneckNamesAndRelieved() throws {
        let network = try NetworkLoader.load(yaml: sharedBorderNetwork(background: ""))
        #expect(HeadroomResource.named("service S1 (CNAAA→CNBRD): full departures", in: network) == .service("S1"))
        #expect(HeadroomResource.named("queue at Border (CNBRD)", in: network) == .place("CNBRD"))
        #expect(HeadroomResource.named("something else (XXXXX)", in: network) == nil)
        let place = try #require(HeadroomResource.place("CNBRD").relieved(in: network, by: 1.1))
        #expect(abs((place.place("CNBRD")?.throughput?.unitsPerDay ?? 0) - 11) < 1e-9)
        let service = try #require(HeadroomResource.service("S2").relieved(in: network, by: 1.1))
        #expect(abs((service.service("S2")?.departuresPerWeek ?? 0) - 15.4) < 1e-9)
        #expect(service.service("S1")?.departuresPerWeek == 14)
    }

    func expectMonotone(_ outcome: HeadroomOutcome, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let held = outcome.steps.filter(\.held).map(\.factor), failed = outcome.steps.filter { !$0.held }.map(\.factor)
        if let top = held.max(), let bottom = failed.min() {
            #expect(top < bottom, "a factor held above one that failed: held \(held), failed \(failed)", sourceLocation: sourceLocation)
        }
        #expect(outcome.largestHeld?.factor == held.max(), sourceLocation: sourceLocation)
        #expect(outcome.smallestFailed?.factor == failed.min(), sourceLocation: sourceLocation)
    }
}
