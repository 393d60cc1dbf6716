import Foundation
import NetworkData
import Testing
import Markup
import TestFixtures
@testable import Routing
@testable import Planning
@testable import OneBill

/// Validates JSON documents against `schemas/one-bill.schema.json` with Python's `jsonschema`
/// (Draft 2020-12, formats checked), all documents in one process; one error list per document.
func oneBillSchemaErrors(_ documents: [Data]) throws -> [[String]] {
    let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/one-bill.schema.json")
    let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        documents = json.load(sys.stdin)
        json.dump([["/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(d)]
                   for d in documents], sys.stdout)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, schema.path]
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let array = Data("[".utf8) + documents.joined(separator: Data(",".utf8)) + Data("]".utf8)
    input.fileHandleForWriting.write(array)
    try input.fileHandleForWriting.close()
    let result = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValidatorFailure(message: String(decoding: stderr, as: UTF8.self))
    }
    return try JSONDecoder().decode([[String]].self, from: result)
}

struct ValidatorFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "jsonschema validator failed: \(message)" }
}

@Suite("Through bill (一单制)")
struct ThroughBillTests {
    static let router = Router(network: builtInNetwork)
    static let start = CalendarDay(iso: "2026-07-01")!

    /// The first route of `query` that passes `accept`.
    static func route(_ query: RouteQuery, where accept: (Route) -> Bool = { _ in true }) throws -> Route {
        guard case .found(let routes, let front) = try router.routes(for: query),
              let route = (routes + front).first(where: accept)
        else { throw ValidatorFailure(message: "no matching route \(query.origin)→\(query.destination)") }
        return route
    }

    /// A shipment planned on `routes`, its TEU split evenly.
    static func plan(_ shipment: Shipment, on routes: [Route]) -> ShipmentPlan {
        let share = shipment.teu / Double(routes.count)
        let planned = routes.enumerated().map { i, route in
            PlannedRoute(route: route, teu: share, week: i, startDay: start.adding(days: 7 * i),
                         departure: start.adding(days: 7 * i).dateTime(plusHours: route.legs[0].departureHour),
                         arrival: start.adding(days: 7 * i).dateTime(plusHours: route.legs.last!.arrivalHour))
        }
        return ShipmentPlan(shipment: shipment, status: .planned, reason: nil, routes: planned, unmetTEU: 0,
                            costUSD: planned.reduce(0) { $0 + $1.route.costUSD },
                            co2eKg: planned.reduce(0) { $0 + $1.route.co2eKg })
    }

    static func shipment(_ id: String, _ from: PlaceCode, _ to: PlaceCode, teu: Double = 2, cargo: CargoClass = .general,
                         complete: Bool = true) -> Shipment {
        Shipment(id: ShipmentID(id), origin: from, destination: to, teu: teu, tonnes: teu * 9.5, cargo: cargo,
                 ready: start, deadline: start.adding(days: 60), shipper: complete ? "Chongqing Laptop Works Co., Ltd." : nil,
                 consignee: complete ? "Duisburg Distribution GmbH" : nil,
                 descriptionOfGoods: complete ? "Notebook computers and accessories, packed on pallets" : nil,
                 hsCode: complete ? "8471.30" : nil)
    }

    static var issued: ThroughBill.Options {
        var options = ThroughBill.Options()
        options.status = .issued
        return options
    }

    // MARK: The five reference shipments

    static func chinaEuropeRail() throws -> ThroughBill {
        let rail = try route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 2)) {
            Set($0.serviceLegs.map(\.mode)) == [.rail]
        }
        return ThroughBill.make(shipment: plan(shipment("CE-2026-001", "CNCQI", "DEDUI"), on: [rail]), routeIndex: 0,
                                network: builtInNetwork, issueDate: start, options: issued)
    }

    static func railSeaViaQinzhou() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "SGSIN", teu: 3, objective: .co2)) {
            $0.legs.contains { $0.mode == .sea && $0.from == "CNQZH" } && $0.legs.contains { $0.mode == .rail }
        }
        return ThroughBill.make(shipment: plan(shipment("LS-2026-002", "CNCQI", "SGSIN", teu: 3, complete: false), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start)
    }

    static func air() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "DEDUI", objective: .time)) {
            $0.legs.contains { $0.mode == .air }
        }
        return ThroughBill.make(shipment: plan(shipment("AIR-2026-003", "CNCQI", "DEDUI", teu: 1), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start, options: issued)
    }

    static func reefer() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 3, cargo: .reefer))
        return ThroughBill.make(shipment: plan(shipment("RF-2026-004", "CNCQI", "DEDUI", teu: 3, cargo: .reefer), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start, options: issued)
    }

    static func dangerous() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "SGSIN", teu: 1, cargo: .dangerous(9),
                                           objective: .co2))
        return ThroughBill.make(shipment: plan(shipment("DG-2026-005", "CNCQI", "SGSIN", teu: 1, cargo: .dangerous(9)), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start, options: issued)
    }

    static func all() throws -> [ThroughBill] {
        [try chinaEuropeRail(), try railSeaViaQinzhou(), try air(), try reefer(), try dangerous()]
    }

    // MARK: Content

    @Test func chinaEuropeTrainCarriesACIMSMGSBlock() throws {
        let bill = try Self.chinaEuropeRail()
        #expect(bill.transportDocumentStatus == .issued)
        #expect(bill.routeplanner.draftReasons == nil)
        #expect(bill.routeplanner.mainCarriage.mode == .rail)
        #expect(bill.transports.vesselVoyages == nil)
        #expect(bill.transports.portOfLoading.unLocationCode == "CNCQD")
        #expect(bill.transports.portOfDischarge.unLocationCode == "DEDUI")
        #expect(bill.transports.placeOfReceipt.unLocationCode == "CNCQI")
        #expect(bill.transports.preCarriageBy == .truck)
        let cim = try #require(bill.routeplanner.cimSmgs)
        #expect(cim.consignmentNoteType == "CIM/SMGS")
        #expect(cim.gaugeChanges.count >= 2)
        #expect(cim.gaugeChanges.allSatisfy { Set($0.gaugesMm) == [1435, 1520] })
        #expect(!cim.borderStations.isEmpty)
        let railways = cim.railwaySections.map(\.railway)
        #expect(railways.first == "CR" && railways.last == "DB")
        for railway in ["KTZ", "BCh", "PKP"] { #expect(railways.contains(railway), "\(railways)") }
        #expect(cim.railwaySections.map(\.sequence) == Array(1...cim.railwaySections.count))
        // Legs carry ETD ≤ ETA in order, the first at the route's first departure.
        let legs = bill.routeplanner.legs
        #expect(legs.first?.etd == bill.routeplanner.departure)
        #expect(zip(legs, legs.dropFirst()).allSatisfy { $0.eta <= $1.etd })
        #expect(bill.transports.plannedDepartureDate <= bill.transports.plannedArrivalDate)
    }

    @Test func railSeaViaQinzhouMapsToDCSAPortsAndVessel() throws {
        let bill = try Self.railSeaViaQinzhou()
        #expect(bill.transports.preCarriageBy == .rail)
        #expect(bill.transports.onCarriageBy == nil)
        #expect(bill.transports.portOfLoading.unLocationCode == "CNQZH")
        #expect(bill.transports.portOfDischarge.unLocationCode == "SGSIN")
        let voyages = try #require(bill.transports.vesselVoyages)
        #expect(voyages.count == 1)
        #expect(voyages[0].role == "FIRST_SEA_GOING")
        #expect(bill.routeplanner.cimSmgs == nil, "a domestic train needs no CIM/SMGS note")
        // No parties, HS code or description: a draft saying why.
        #expect(bill.transportDocumentStatus == .draft)
        #expect(bill.documentParties.shipper.partyName == "TO BE ADVISED")
        #expect(bill.routeplanner.draftReasons?.contains("HS code not given") == true)
        #expect(bill.consignmentItems[0].hsCodes.isEmpty)
        #expect(bill.utilizedTransportEquipments.map(\.equipment.isoEquipmentCode) == [.fortyHighCube, .twentyGeneral])
    }

    @Test func airRouteHasNoVesselAndTruckOnCarriage() throws {
        let bill = try Self.air()
        #expect(bill.routeplanner.mainCarriage.mode == .air)
        #expect(bill.transports.vesselVoyages == nil)
        #expect(bill.transports.portOfLoading.unLocationCode == "CNCKG")
        #expect(bill.transports.onCarriageBy == .truck)
        #expect(bill.routeplanner.cimSmgs == nil)
    }

    @Test func reeferGetsReeferBoxesWithASetPoint() throws {
        let bill = try Self.reefer()
        let boxes = bill.utilizedTransportEquipments
        #expect(boxes.map(\.equipment.isoEquipmentCode) == [.fortyHighCubeReefer, .twentyReefer])
        #expect(boxes.allSatisfy { $0.activeReeferSettings?.temperatureSetpoint == -18 && $0.isNonOperatingReefer == false })
        let gross = bill.consignmentItems[0].cargoItems.map(\.cargoGrossWeight.value)
        #expect(gross == [19_000, 9_500], "28.5 t split 2:1 over the 40-ft and 20-ft box")
    }

    @Test func dangerousGoodsCarryTheClassAndStayDraft() throws {
        let bill = try Self.dangerous()
        let dg = try #require(bill.consignmentItems[0].cargoItems[0].outerPackaging.dangerousGoods)
        #expect(dg.map(\.imoClass) == ["9"])
        #expect(bill.transportDocumentStatus == .draft, "a plan has no UN number, so the bill cannot be issued")
        #expect(bill.routeplanner.draftReasons?.first?.contains("UN number") == true)
    }

    @Test func eachRoutePartGetsItsOwnDocument() throws {
        let rail = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 2.5)) { Set($0.serviceLegs.map(\.mode)) == [.rail] }
        let sea = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 2.5)) { $0.legs.contains { $0.mode == .sea } }
        let plan = Self.plan(Self.shipment("SPLIT-1", "CNCQI", "DEDUI", teu: 5), on: [rail, sea])
        let bills = (0..<2).map { ThroughBill.make(shipment: plan, routeIndex: $0, network: builtInNetwork, issueDate: Self.start) }
        #expect(bills[0].transportDocumentReference != bills[1].transportDocumentReference)
        #expect(bills.map(\.routeplanner.routePart) == [1, 2])
        #expect(bills.allSatisfy { $0.routeplanner.routeParts == 2 })
        #expect(bills.map(\.consignmentItems[0].carrierBookingReference) == ["SPLIT-1/1", "SPLIT-1/2"])
        #expect(bills.map(\.routeplanner.totals.teu) == [2.5, 2.5])
        #expect(bills.map(\.utilizedTransportEquipments.count) == [2, 2], "2.5 TEU → 3 whole TEU → one 40-ft and one 20-ft box")
        #expect(bills[1].transports.plannedDepartureDate >= "2026-07-08", "the second part leaves in week 1")
    }

    @Test(arguments: [
        (1.0, ["22G1"]), (2.0, ["45G1"]), (3.0, ["45G1", "22G1"]), (2.5, ["45G1", "22G1"]), (0.4, ["22G1"]),
        (6.0, ["45G1", "45G1", "45G1"]),
    ] as [(Double, [String])])
    func equipmentRule(teu: Double, codes: [String]) {
        #expect(ThroughBill.equipment(teu: teu, isReefer: false).map(\.rawValue) == codes)
        #expect(ThroughBill.equipment(teu: teu, isReefer: true).map(\.rawValue)
                == codes.map { $0 == "22G1" ? "22R1" : "45R1" })
    }

    // MARK: Schema

    @Test func everyDocumentValidatesAgainstTheSchema() throws {
        let bills = try Self.all()
        let documents = try bills.map { try $0.jsonData() }
        let errors = try oneBillSchemaErrors(documents)
        for (bill, problems) in zip(bills, errors) {
            #expect(problems.isEmpty, "\(bill.routeplanner.shipmentId): \(problems.joined(separator: "\n"))")
        }
        let text = String(decoding: documents[0], as: UTF8.self)
        for key in ["\"x-routeplanner\"", "\"HSCodes\"", "\"UNLocationCode\"", "\"ISOEquipmentCode\"", "\"cimSmgs\""] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    @Test func brokenDocumentsFailValidation() throws {
        let good = try Self.chinaEuropeRail().jsonData()
        func mutated(_ change: (inout [String: Any]) -> Void) throws -> Data {
            var object = try #require(try JSONSerialization.jsonObject(with: good) as? [String: Any])
            change(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        func edit(_ object: inout [String: Any], _ key: String, _ change: (inout [String: Any]) -> Void) {
            var inner = object[key] as! [String: Any]
            change(&inner)
            object[key] = inner
        }
        // (what is broken, a phrase its error must contain, the document)
        let broken: [(String, String, Data)] = [
            ("reference of 25 characters", "is too long", try mutated { $0["transportDocumentReference"] = String(repeating: "R", count: 25) }),
            ("missing transports", "'transports' is a required property", try mutated { $0["transports"] = nil }),
            ("unknown leg mode", "'hyperloop' is not one of", try mutated { doc in
                edit(&doc, "x-routeplanner") { ext in
                    var legs = ext["legs"] as! [[String: Any]]
                    legs[1]["mode"] = "hyperloop"
                    ext["legs"] = legs
                }
            }),
            ("ETD not a date-time", "is not a 'date-time'", try mutated { doc in
                edit(&doc, "x-routeplanner") { ext in ext["departure"] = "2026-02-30T25:00:00Z" }
            }),
            ("typo in a field name", "'portOfLoad' was unexpected", try mutated { doc in
                edit(&doc, "transports") { t in t["portOfLoad"] = t["portOfLoading"] }
            }),
            ("unknown ISO equipment code", "'99X9' is not one of", try mutated { doc in
                var boxes = doc["utilizedTransportEquipments"] as! [[String: Any]]
                var equipment = boxes[0]["equipment"] as! [String: Any]
                equipment["ISOEquipmentCode"] = "99X9"
                boxes[0]["equipment"] = equipment
                doc["utilizedTransportEquipments"] = boxes
            }),
        ]
        let errors = try oneBillSchemaErrors([good] + broken.map(\.2))
        #expect(errors[0].isEmpty, "the unbroken document: \(errors[0])")
        for ((name, phrase, _), problems) in zip(broken, errors.dropFirst()) {
            #expect(!problems.isEmpty, "\(name) should fail validation")
            #expect(problems.contains { $0.contains(phrase) }, "\(name): \(problems)")
        }
    }

    // MARK: Reference

    @Test func referenceIsShortStableAndPinned() {
        let reference = ThroughBill.reference(for: "CE-2026-001", routeIndex: 0)
        #expect(reference.count <= 20)
        #expect(reference.hasPrefix("RPCQ"))
        #expect(reference == ThroughBill.reference(for: "CE-2026-001", routeIndex: 0))
        #expect(reference != ThroughBill.reference(for: "CE-2026-001", routeIndex: 1))
        // Pinned (computed independently in Python): the rule must never change, or issued
        // references would stop matching.
        #expect(ThroughBill.reference(for: "", routeIndex: 0) == "RPCQ\(Self.pinnedEmpty)")
        #expect(reference == "RPCQ\(Self.pinnedCE)")
    }

    static let pinnedEmpty = "0GYGP0YTJGRYT"
    static let pinnedCE = "FV392JJZ9W21K"

    @Test func referencesOfTenThousandShipmentsDiffer() {
        var seen = Set<String>()
        for i in 0..<10_000 {
            let reference = ThroughBill.reference(for: ShipmentID("SHP-\(i)"), routeIndex: i % 3)
            #expect(reference.count <= 20)
            seen.insert(reference)
        }
        #expect(seen.count == 10_000)
    }

    // MARK: HTML

    @Test func htmlShowsEveryLegAndEscapesText() throws {
        let rail = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI")) { Set($0.serviceLegs.map(\.mode)) == [.rail] }
        var shipment = Self.shipment("HTML-1", "CNCQI", "DEDUI")
        shipment.shipper = "<script>alert('x')</script> & \"Sons\""
        let bill = ThroughBill.make(shipment: Self.plan(shipment, on: [rail]), routeIndex: 0, network: builtInNetwork,
                                    issueDate: Self.start)
        let html = BillHTML.render(bill)
        #expect(html.contains(bill.transportDocumentReference))
        for leg in bill.routeplanner.legs { #expect(html.contains(HTMLText.escape(leg.serviceId)), "\(leg.serviceId)") }
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sons&quot;"))
        #expect(html.contains("Gauge changes") && html.contains("CIM/SMGS"))
        #expect(html.contains("gauge change"), "transfer rows between legs")
        #expect(html.contains("@page"), "A4 print styles")
        for external in ["src=", "href=", "<link", "url(", "@import"] { #expect(!html.contains(external), "\(external)") }
    }
}

