import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing

@Suite("Dwell at a border shared with background traffic")
struct SharedQueueTests {
    /// Hours of the route's legs that end at the border (its dwell is on the leg into it).
    func borderDwell(background: String, month: Int? = nil) throws -> Double {
        let network = try NetworkLoader.load(yaml: sharedBorderNetwork(background: background), file: "border.yaml")
        let router = Router(network: network, month: month)
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "KZCCC"))
        else { throw RouteTestFailure.noRoute }
        return routes[0].legs.filter { $0.to == "CNBRD" }.reduce(0) { $0 + $1.dwellHours }
    }

    enum RouteTestFailure: Error { case noRoute }

    func line(_ perDay: Double, byMonth: String = "") -> String {
        "    backgroundTraffic: {vehiclesPerDay: \(perDay), \(byMonth)source: \"estimate: test stream\"}"
    }

    @Test func dwellRisesWithBackgroundTraffic() throws {
        let alone = try borderDwell(background: "")
        let light = try borderDwell(background: line(3))
        let heavy = try borderDwell(background: line(7))
        #expect(alone < light && light < heavy, "dwell \(alone) h alone, \(light) h at 3/day, \(heavy) h at 7/day")
    }

    /// The added hours are the documented M/D/1 wait one more train meets from the background:
    /// ρ = min(0.95, background / 10) and the wait is ρ · 2.4 h / (2 (1 − ρ)) (slot 24 / 10 h), to 0.01 h.
    @Test func addedHoursFollowTheQueueFormula() throws {
        let alone = try borderDwell(background: "")
        for perDay in [1.0, 4.0, 6.5, 9.9] {
            let rho = min(0.95, perDay / 10)
            let expected = rho * 2.4 / (2 * (1 - rho))
            let added = try borderDwell(background: line(perDay)) - alone
            // The wait is given to 0.01 h.
            #expect(abs(added - expected) <= 0.005 + 1e-9, "\(perDay)/day: added \(added) h, formula \(expected) h")
        }
    }

    @Test func busyMonthsWaitLonger() throws {
        let factors = "byMonth: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5], "
        let january = try borderDwell(background: line(4, byMonth: factors), month: 1)
        let july = try borderDwell(background: line(4, byMonth: factors), month: 7)
        let year = try borderDwell(background: line(4, byMonth: factors))
        #expect(january < year && year < july, "January \(january) h, year \(year) h, July \(july) h")
    }
}
