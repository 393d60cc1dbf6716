import Foundation
import Testing
@testable import NetworkData

/// A network with one service of each kind the capacity model tells apart.
private let capacityNetwork = """
network: capacity-test
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: test defaults for unit tests"
places:
  - {code: CNAAR, name: Alpha rail, country: CN, lonLat: [106, 29], kind: railTerminal, source: "estimate: test place"}
  - {code: CNAAP, name: Alpha port, country: CN, lonLat: [106.2, 29], kind: seaport, source: "estimate: test place"}
  - {code: CNAAA, name: Alpha airport, country: CN, lonLat: [106.6, 29.7], kind: airport, source: "estimate: test place"}
  - {code: NLSSP, name: Sea port, country: NL, lonLat: [4, 51.9], kind: seaport, source: "estimate: test place"}
  - {code: DEDDA, name: Delta airport, country: DE, lonLat: [6.9, 51.2], kind: airport, source: "estimate: test place"}
services:
  - {id: RAIL, name: Rail, mode: rail, corridor: chinaEurope, from: CNAAR, to: CNAAP, distanceKm: 30,
     transitHours: {mean: 300, p90: 400}, departuresPerWeek: 14, capacityTEUPerDeparture: 100, priceUSDPerTEU: 5000,
     co2eGramsPerTonneKm: 20, cargo: [general, reefer],
     seasonal: [{months: [12, 1, 2], capacityFactor: 0.9, transitFactor: 1.1, note: winter}],
     source: "estimate: test service"}
  - {id: SEA, name: Sea, mode: sea, corridor: ocean, from: CNAAP, to: NLSSP, distanceKm: 20000,
     transitHours: {mean: 700, p90: 800}, departuresPerWeek: 2, capacityTEUPerDeparture: 500, priceUSDPerTEU: 1500,
     co2eGramsPerTonneKm: 10, cargo: [general, reefer], reeferPlugsPerDeparture: 40,
     source: "estimate: test service"}
  - {id: AIR, name: Air, mode: air, corridor: air, from: CNAAA, to: DEDDA, distanceKm: 8600,
     transitHours: {mean: 12, p90: 16}, departuresPerWeek: 7, capacityTonnesPerDeparture: 110, priceUSDPerKg: 3.4,
     co2eGramsPerTonneKm: 880, cargo: [general], source: "estimate: test service"}
  - {id: LINK1, name: Truck port to airport, mode: road, corridor: domestic, from: NLSSP, to: DEDDA, distanceKm: 200,
     transitHours: {mean: 4, p90: 6}, departuresPerWeek: 84, capacityTEUPerDeparture: 2, priceUSDPerTEU: 300,
     co2eGramsPerTonneKm: 80, cargo: [general], source: "estimate: test service"}
  - {id: LINK2, name: Truck rail to airport, mode: road, corridor: domestic, from: CNAAR, to: CNAAA, distanceKm: 50,
     transitHours: {mean: 1, p90: 2}, departuresPerWeek: 84, capacityTEUPerDeparture: 2, priceUSDPerTEU: 100,
     co2eGramsPerTonneKm: 80, cargo: [general], source: "estimate: test service"}
"""

private let network: Network = {
    do { return try NetworkLoader.load(yaml: capacityNetwork) } catch { fatalError("capacity test network invalid:\n\(error)") }
}()

private func service(_ id: String) -> Service {
    guard let service = network.service(ServiceID(id)) else { fatalError("no service \(id)") }
    return service
}

/// A service with its departures and declared limits edited, for the cases no network file can hold.
private func edited(_ id: String, departuresPerWeek: Double? = nil, noLimit: Bool = false) -> Service {
    var copy = service(id)
    if let departuresPerWeek { copy.departuresPerWeek = departuresPerWeek }
    if noLimit {
        copy.capacityTEUPerDeparture = nil
        copy.capacityTonnesPerDeparture = nil
    }
    return copy
}

@Suite("Service capacity model")
struct ServiceCapacityTests {
    /// One row per rule: (case, service, tonnes per TEU of the cargo, month, expected TEU per
    /// departure, per week, reefer TEU per departure). Expected values are worked by hand.
    @Test(arguments: [
        ("rail in TEU, nominal", service("RAIL"), 10.0, nil, 100.0, 1400.0, nil),
        ("rail ignores the cargo's density", service("RAIL"), 25.0, nil, 100.0, 1400.0, nil),
        ("rail in a winter month", service("RAIL"), 10.0, 1, 90.0, 1260.0, nil),
        ("rail outside the season", service("RAIL"), 10.0, 7, 100.0, 1400.0, nil),
        ("sea with reefer plugs", service("SEA"), 10.0, 3, 500.0, 1000.0, 80.0),
        ("air at the network average 10 t/TEU", service("AIR"), 10.0, nil, 11.0, 77.0, nil),
        ("air with light cargo, 2 t/TEU", service("AIR"), 2.0, 5, 55.0, 385.0, nil),
        ("air with weightless cargo is floored at 0.01 t/TEU", service("AIR"), 0.0, nil, 11_000.0, 77_000.0, nil),
        ("no departures in the week", edited("RAIL", departuresPerWeek: 0), 10.0, nil, 100.0, 0.0, nil),
        ("no declared limit is unlimited", edited("SEA", noLimit: true), 10.0, 1, nil, nil, 80.0),
    ] as [(String, Service, Double, Int?, Double?, Double?, Double?)])
    func capacityTable(label: String, service: Service, tonnesPerTEU: Double, month: Int?,
                       perDeparture: Double?, perWeek: Double?, reefer: Double?) {
        let capacity = service.capacity
        let gotDeparture = capacity.teuPerDeparture(tonnesPerTEU: tonnesPerTEU, month: month)
        let gotWeek = capacity.teuPerWeek(tonnesPerTEU: tonnesPerTEU, month: month)
        #expect(gotDeparture.map { abs($0 - perDeparture!) < 1e-9 } ?? (perDeparture == nil), "\(label): per departure \(String(describing: gotDeparture))")
        #expect(gotWeek.map { abs($0 - perWeek!) < 1e-9 } ?? (perWeek == nil), "\(label): per week \(String(describing: gotWeek))")
        #expect(capacity.reeferTEUPerDeparture == reefer, "\(label): reefer TEU")
        // A week is its departures, whatever the month.
        if let gotDeparture, let gotWeek {
            #expect(abs(gotDeparture * service.departuresPerWeek - gotWeek) < 1e-9, "\(label): week ≠ departures × per departure")
        }
    }

    @Test func atAnInstantTheTighterDisruptionHolds() {
        let rail = service("RAIL").capacity
        let disruptions = [
            Disruption(name: "half", target: .service("RAIL"), fromDay: 10, toDay: 20, capacityFactor: 0.5),
            Disruption(name: "border", target: .place("CNAAP"), fromDay: 15, toDay: 30, capacityFactor: 0.2),
            Disruption(name: "elsewhere", target: .service("SEA"), fromDay: 0, toDay: 365, capacityFactor: 0),
        ]
        #expect(rail.disruptionFactor(disruptions, atHour: 9 * 24) == 1)
        #expect(rail.disruptionFactor(disruptions, atHour: 12 * 24) == 0.5)
        #expect(rail.disruptionFactor(disruptions, atHour: 16 * 24) == 0.2, "both in force: the lower, not 0.5 × 0.2")
        #expect(rail.disruptionFactor(disruptions, atHour: 25 * 24) == 0.2)
        #expect(rail.disruptionFactor(disruptions, atHour: 30 * 24) == 1, "toDay is not included")
        #expect(service("SEA").capacity.disruptionFactor(disruptions, atHour: 100 * 24) == 0)
    }

    @Test(arguments: [
        // (case, disruptions as (from, to, factor), window mean worked by hand)
        ("no disruption", [], 1.0),
        ("closed 2 of 7 days", [(10.0, 12.0, 0.0)], 5.0 / 7),
        ("40 % for the whole week", [(0.0, 100.0, 0.4)], 0.4),
        ("two overlapping all week keep the lower", [(7.0, 14.0, 0.5), (7.0, 14.0, 0.2)], 0.2),
        ("partial overlap", [(7.0, 11.0, 0.5), (9.0, 14.0, 0.2)], 1 - (2 * 0.5 + 2 * 0.8 + 3 * 0.8) / 7),
        ("outside the week", [(0.0, 7.0, 0.0), (14.0, 20.0, 0.0)], 1.0),
    ] as [(String, [(Double, Double, Double)], Double)])
    func aWeekKeepsTheMeanOfTheInstantFactor(label: String, windows: [(Double, Double, Double)], expected: Double) {
        let rail = service("RAIL").capacity
        let disruptions = windows.enumerated().map { i, w in
            Disruption(name: "d\(i)", target: .service("RAIL"), fromDay: w.0, toDay: w.1, capacityFactor: w.2)
        }
        let factor = rail.disruptionFactor(disruptions, fromDay: 7, toDay: 14)
        #expect(abs(factor - expected) < 1e-12, "\(label): \(factor)")
        // The same mean, sampled at the middle of each hour of the week (windows start on whole hours).
        let sampled = (0..<168).map { rail.disruptionFactor(disruptions, atHour: 7 * 24 + Double($0) + 0.5) }
        #expect(abs(factor - sampled.reduce(0, +) / 168) < 1e-12, "\(label): differs from the hourly mean")
    }

    @Test func aWeekTakesTheSeasonAndDisruptionsOfItsDays() throws {
        let rail = service("RAIL").capacity
        let week = try #require(CalendarDay(iso: "2027-01-08"))   // day 7 of the year, January
        let closed = [Disruption(name: "closed", target: .service("RAIL"), fromDay: 10, toDay: 12, capacityFactor: 0)]
        let teu = try #require(rail.teuPerWeek(tonnesPerTEU: 10, weekStarting: week, disruptions: closed))
        #expect(abs(teu - 100 * 14 * 0.9 * 5 / 7) < 1e-9)
        let summer = try #require(CalendarDay(iso: "2027-07-02"))
        #expect(rail.teuPerWeek(tonnesPerTEU: 10, weekStarting: summer, disruptions: closed) == 1400)
        #expect(edited("RAIL", noLimit: true).capacity.teuPerWeek(tonnesPerTEU: 10, weekStarting: week, disruptions: closed) == nil)
    }
}

extension Service: CustomTestStringConvertible {
    /// The id, so test logs stay short.
    public var testDescription: String { id.rawValue }
}
