import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Simulation

/// A weekly train of 10 TEU and a daily freighter between two cities: the train is full weeks
/// ahead long before the year ends; the flight always has room and costs 20 times as much.
let trainOrFlightNetwork = """
network: train-or-flight
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: hand-made test network"
places:
  - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: city, source: "estimate: hand-made test value"}
  - {code: PLDST, name: Delta, country: PL, lonLat: [21, 52], kind: city, source: "estimate: hand-made test value"}
services:
  - {id: TRAIN, name: Weekly train, mode: rail, corridor: chinaEurope, from: CNAAA, to: PLDST, distanceKm: 9000,
     transitHours: {mean: 300, p90: 340}, departuresPerWeek: 1, capacityTEUPerDeparture: 10, priceUSDPerTEU: 1000,
     co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
  - {id: FLIGHT, name: Daily freighter, mode: air, corridor: air, from: CNAAA, to: PLDST, distanceKm: 7000,
     transitHours: {mean: 12, p90: 16}, departuresPerWeek: 7, capacityTonnesPerDeparture: 1000, priceUSDPerKg: 2,
     co2eGramsPerTonneKm: 600, cargo: [general], source: "estimate: hand-made test value"}
"""

@Suite("Booking estimates")
struct BookingEstimateTests {
    /// A weekly train is booked two weeks ahead, a daily one three days, a monthly one to its next departure.
    @Test func bookingReachesAtMostFourteenDaysButAlwaysTheNextDeparture() {
        let choice = ChoiceParameters.calibrated
        #expect(choice.horizonHours(headway: 24) == 72)
        #expect(choice.horizonHours(headway: 168) == 336)
        #expect(choice.horizonHours(headway: 720) == 720)
        #expect(choice.horizonHours(headway: 8) == 48)
    }

    /// A line whose recent departures all ran expects none to be cancelled; one whose every
    /// other departure was cancelled expects one.
    @Test func aLinesRunRecordSetsTheExpectedCancellations() throws {
        let network = try NetworkLoader.load(yaml: trainOrFlightNetwork)
        var engine = SimulationEngine(simulator: Simulator(network: network, lanes: [], options: SimulationOptions()))
        let train = try #require(engine.serviceIndex[ServiceID("TRAIN")])
        #expect(engine.expectedDeparturesSkipped(train) == 0)
        engine.services[train].runShare = 0.5
        #expect(abs(engine.expectedDeparturesSkipped(train) - 1) < 1e-12)
    }

    /// A shipment whose train is full within its booking horizon does not fly at 20 times the
    /// price: it waits for the train while the wait costs less than the flight (at $4.6 a
    /// TEU-hour, months). Before, the flight was the only route "with room" and took the cargo.
    /// Demand is 15 TEU a week against a train of 10, so the train is booked beyond its
    /// two-week horizon before the run ends.
    @Test func aShipperWaitsForTheTrainRatherThanFlyAtTwentyTimesThePrice() throws {
        let network = try NetworkLoader.load(yaml: trainOrFlightNetwork)
        let lane = DemandLane(origin: "CNAAA", destination: "PLDST", cargo: .general, teuPerYear: 800, shipmentTEU: 2,
                              tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .chinaEurope,
                              isTransit: false, line: 2)
        var options = SimulationOptions()
        options.days = 120
        options.warmUpDays = 14
        let result = checkedRun(Simulator(network: network, lanes: [lane], options: options))
        let flown = result.events.filter { $0.kind == .departureRan && $0.service == "FLIGHT" }.reduce(0.0) { $0 + ($1.teu ?? 0) }
        let railed = result.events.filter { $0.kind == .departureRan && $0.service == "TRAIN" }.reduce(0.0) { $0 + ($1.teu ?? 0) }
        #expect(result.backlog.endTEU > 20, "the train was not booked beyond its horizon: \(result.backlog.endTEU) TEU waiting")
        #expect(railed > 0)
        #expect(flown == 0, "\(flown) TEU flew, \(railed) TEU went by train")
    }

    /// A through booking's planned crossing day leaves the plans when its train crosses: at the
    /// end of a run whose cargo all arrived, no plan is left, and the plans still counted on each
    /// day are exactly those of the shipments that have not crossed yet.
    @Test func crossingPlansLeaveWhenTheTrainCrosses() throws {
        let network = try NetworkLoader.load(yaml: blockTrainNetwork())
        let lane = DemandLane(origin: "CNAAA", destination: "PLDST", cargo: .general, teuPerYear: 20_000, shipmentTEU: 5,
                              tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .chinaEurope,
                              isTransit: false, line: 2)
        var options = SimulationOptions()
        options.days = 60
        options.warmUpDays = 14
        var engine = SimulationEngine(simulator: Simulator(network: network, lanes: [lane], options: options))
        let result = engine.run()
        expectTEUBalanced(result)
        let queue = try #require(engine.queueIndex[PlaceCode("KZPAS")])
        var pending = 0.0, deliveredWithPlans = 0
        for id in engine.shipments.indices {
            for plan in engine.shipments[id].crossingPlans where plan.queue == queue { pending += engine.units(queue, teu: engine.shipments[id].teu) }
            if engine.shipments[id].delivered && !engine.shipments[id].crossingPlans.isEmpty { deliveredWithPlans += 1 }
        }
        #expect(deliveredWithPlans == 0, "\(deliveredWithPlans) shipments delivered with a crossing plan left")
        let planned = engine.slotLedger[queue].reduce(0, +)
        #expect(result.queues.contains { $0.place == "KZPAS" && $0.vehicles > 0 }, "no train crossed")
        #expect(abs(planned - pending) < 1e-6, "plans on the days \(planned) units, of shipments not yet crossed \(pending)")
    }
}
