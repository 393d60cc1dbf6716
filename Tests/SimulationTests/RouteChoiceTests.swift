import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Simulation

@Suite("Route choice")
struct RouteChoiceTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func probabilitiesSumToOneAndFavourTheCheaper(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let parameters = ChoiceParameters.calibrated
        for _ in 0..<200 {
            let count = Int.random(in: 1...12, using: &random)
            let costs: [Double?] = (0..<count).map { _ in
                Double.random(in: 0...1, using: &random) < 0.2 ? nil : Double.random(in: 50...40_000, using: &random)
            }
            let p = parameters.probabilities(of: costs)
            #expect(p.count == costs.count)
            let feasible = costs.compactMap { $0 }
            if feasible.isEmpty {
                #expect(p.allSatisfy { $0 == 0 })
                continue
            }
            #expect(abs(p.reduce(0, +) - 1) < 1e-9, "\(costs) → \(p)")
            for (i, cost) in costs.enumerated() {
                guard let cost else { #expect(p[i] == 0); continue }
                for (j, other) in costs.enumerated() {
                    // (Far dearer routes underflow to 0, so strictly greater only while the other is drawn at all.)
                    if let other, other > cost { #expect(p[j] > 0 ? p[i] > p[j] : p[i] >= p[j], "\(cost) should beat \(other)") }
                }
            }
        }
    }

    @Test func scaleSetsTheSensitivity() {
        var sharp = ChoiceParameters.calibrated
        sharp.scale = 20
        var flat = ChoiceParameters.calibrated
        flat.scale = 1
        let costs: [Double?] = [1_000, 1_100]
        #expect(sharp.probabilities(of: costs)[1] < flat.probabilities(of: costs)[1])
        // A route 10 % dearer at scale λ is e^(−0.1 λ) times as likely.
        let p = ChoiceParameters.calibrated.probabilities(of: costs)
        #expect(abs(p[1] / p[0] - exp(-0.1 * ChoiceParameters.calibrated.scale)) < 1e-9)
    }

    @Test func generalisedCostWeighsTimeBySegment() {
        let parameters = ChoiceParameters.calibrated
        let slowCheap = { (segment: ShipperSegment) in
            parameters.generalisedCost(priceUSDPerTEU: 2_500, expectedHours: 1_300, spreadHours: 150, segment: segment, corridor: .yangtze)
        }
        let fastDear = { (segment: ShipperSegment) in
            parameters.generalisedCost(priceUSDPerTEU: 35_000, expectedHours: 70, spreadHours: 16, segment: segment, corridor: .air)
        }
        #expect(slowCheap(.general) < fastDear(.general), "general cargo does not fly to Europe")
        #expect(slowCheap(.generalRail) < fastDear(.generalRail))
        #expect(slowCheap(.timeCritical) > fastDear(.timeCritical), "time-critical cargo does")
    }

    @Test func cutsCancelWholeDeparturesSpreadEvenly() {
        for factor in [0.0, 0.25, 0.5, 0.8, 1.0] {
            let running = (0..<1_000).filter { SimulationEngine.runs($0, underCut: factor) }.count
            #expect(abs(Double(running) - factor * 1_000) <= 1, "factor \(factor): \(running) of 1,000 run")
        }
        // At one half, every other one.
        #expect((0..<10).map { SimulationEngine.runs($0, underCut: 0.5) } == [false, true, false, true, false, true, false, true, false, true])
    }

    @Test func monthOfDayFollowsTheCalendar() {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var day = 0
        for (m, length) in lengths.enumerated() {
            for _ in 0..<length {
                #expect(SimulationEngine.month(ofDay: day) == m + 1, "day \(day)")
                day += 1
            }
        }
    }
}

@Suite("Operations under disruption")
struct OperationsTests {
    static let europeLane = DemandLane(origin: "CNCQD", destination: "DEDUI", cargo: .general, teuPerYear: 60_000, shipmentTEU: 4,
                                       tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .chinaEurope,
                                       isTransit: false, line: 2)

    func run(_ disruptions: [Disruption], days: Int = 90) -> SimulationResult {
        var options = SimulationOptions()
        options.days = days
        options.warmUpDays = 14
        return checkedRun(Simulator(network: builtInNetwork, lanes: [Self.europeLane], disruptions: disruptions, options: options))
    }

    @Test func aCancelledTrainsCargoIsRebookedNeverLost() throws {
        // Half the Chongqing–Alashankou trains cancelled from day 20, announced only then: trains
        // booked before run, those after are cancelled and their cargo re-books.
        let cut = Disruption(name: "half the trains", target: .servicesMatching("CE-CQD-AKL"), fromDay: 20, toDay: 60, capacityFactor: 0.5)
        let result = run([cut])
        let cancelled = result.events.filter { $0.kind == .departureCancelled && $0.service == "CE-CQD-AKL" && $0.hour >= 20 * 24 }
        #expect(!cancelled.isEmpty, "the cut cancels departures")
        #expect(cancelled.contains { ($0.teu ?? 0) > 0 }, "some cancelled departures had cargo booked")
        #expect(result.teuBalance.strandedTEU == 0, "no cargo is lost: \(result.teuBalance)")
        // Every shipment that arrived in the first 40 days is delivered, by the end of the run's drain at the latest.
        var arrived: Set<Int> = [], delivered: Set<Int> = []
        for event in result.events {
            if event.kind == .shipmentArrived, event.hour >= 0, event.hour < 40 * 24 { arrived.insert(event.shipment!) }
            if event.kind == .shipmentDelivered { delivered.insert(event.shipment!) }
        }
        #expect(!arrived.isEmpty)
        #expect(arrived.subtracting(delivered).isEmpty, "\(arrived.subtracting(delivered).count) shipments not delivered")
    }

    @Test func aCapacityCutRunsFewerTrainsNotSmallerOnes() throws {
        let base = run([])
        // The line offers 25.6 paths a week and the lane fills a few trains: a cut that binds
        // leaves one path in ten (a 0.5 cut left more paths than the trains the lane fills).
        let cut = run([Disruption(name: "nine in ten", target: .servicesMatching("CE-CQD-AKL"), fromDay: 0, toDay: 90, capacityFactor: 0.1)])
        func departures(_ r: SimulationResult) -> [SimulationEvent] {
            r.events.filter { $0.kind == .departureRan && $0.service == "CE-CQD-AKL" && $0.hour >= 0 }
        }
        #expect(departures(cut).count < departures(base).count, "\(departures(base).count) → \(departures(cut).count)")
        let capacity = try #require(builtInNetwork.services.first { $0.id == "CE-CQD-AKL" }?.capacityTEUPerDeparture)
        #expect(departures(cut).allSatisfy { ($0.teu ?? 0) <= capacity + 1e-6 })
        #expect(departures(cut).contains { ($0.teu ?? 0) > capacity * 0.5 + 1 }, "a departure that runs is not shrunk to a tenth")
    }

    @Test func aClosedBorderReroutesCargoViaAnotherCrossing() throws {
        let closed = run([Disruption(name: "Alashankou closed", target: .place("CNAKL"), fromDay: 0, toDay: 90, capacityFactor: 0)])
        // Trains that would reach the border while it is closed; one leaving later arrives after it reopens.
        let transit = try #require(builtInNetwork.services.first { $0.id == "CE-CQD-AKL" }?.transit.meanHours)
        let viaAlashankou = closed.events.filter {
            $0.kind == .departureRan && $0.service == "CE-CQD-AKL" && $0.hour >= 0 && $0.hour + transit < 90 * 24
        }
        let viaOthers = closed.events.filter {
            $0.kind == .departureRan && $0.hour >= 0 && ["CE-CQD-HRS", "CE-CQD-RLC", "CE-CQD-MLX"].contains($0.service ?? "")
        }
        #expect(viaAlashankou.isEmpty, "no train is booked towards a closed crossing")
        #expect(!viaOthers.isEmpty)
        #expect(closed.teuBalance.strandedTEU == 0)
    }

    @Test func aBorderClosingMidRouteRebooksTheCargoWaitingForIt() throws {
        // Alashankou closes on day 30 (announced then); cargo already past Chongqing re-books.
        let result = run([Disruption(name: "Alashankou closed", target: .place("CNAKL"), fromDay: 30, toDay: 60, capacityFactor: 0)])
        #expect(result.events.contains { $0.kind == .shipmentRebooked && $0.hour >= 30 * 24 }, "some cargo changes route")
        #expect(result.teuBalance.strandedTEU == 0)
    }

    @Test func aBacklogGrowsOnlyWhenDemandExceedsCapacity() throws {
        var options = SimulationOptions()
        options.days = 120
        options.warmUpDays = 14
        let light = checkedRun(Simulator(network: builtInNetwork, lanes: [Self.europeLane], options: options))
        var heavyLane = Self.europeLane
        heavyLane.teuPerYear = 3_000_000
        let heavy = checkedRun(Simulator(network: builtInNetwork, lanes: [heavyLane], options: options))
        #expect(!light.backlog.isGrowing, "\(light.backlog.growing)")
        #expect(heavy.backlog.isGrowing)
        #expect(heavy.backlog.endTEU > heavy.backlog.startTEU)
    }
}
