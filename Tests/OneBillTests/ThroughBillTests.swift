import Foundation
import NetworkData
import Testing
import Markup
import TestFixtures
@testable import Routing
@testable import Planning
@testable import OneBill

/// What `schemas/validate_one_bill.py` says about one document.
struct BillValidation: Decodable {
    /// The document's `documentStandard`; nil for a DCSA transport document.
    var documentStandard: String?
    /// Errors against `schemas/one-bill.schema.json` (draft 2020-12, formats checked).
    var project: [String]
    /// Errors against DCSA's own eBL 3.0.4 `TransportDocument`, `x-routeplanner` removed.
    var dcsa: [String]
}

/// Validates JSON documents with `schemas/validate_one_bill.py` (Python `jsonschema` and PyYAML),
/// all documents in one process: against the project's schema and against DCSA's eBL 3.0.4.
func validateOneBills(_ documents: [Data]) throws -> [BillValidation] {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/validate_one_bill.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--json"]
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
    return try JSONDecoder().decode([BillValidation].self, from: result)
}

/// The errors of each document against `schemas/one-bill.schema.json`.
func oneBillSchemaErrors(_ documents: [Data]) throws -> [[String]] {
    try validateOneBills(documents).map(\.project)
}

/// The one DCSA error a document without a vessel has: it names none.
let missingVesselVoyages = "transports: 'vesselVoyages' is a required property"

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
        return try ThroughBill.make(shipment: plan(shipment("CE-2026-001", "CNCQI", "DEDUI"), on: [rail]), routeIndex: 0,
                                network: builtInNetwork, issueDate: start, options: issued)
    }

    static func railSeaViaQinzhou() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "SGSIN", teu: 3, objective: .co2)) {
            $0.legs.contains { $0.mode == .sea && $0.from == "CNQZH" } && $0.legs.contains { $0.mode == .rail }
        }
        return try ThroughBill.make(shipment: plan(shipment("LS-2026-002", "CNCQI", "SGSIN", teu: 3, complete: false), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start)
    }

    static func air() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "DEDUI", objective: .time)) {
            $0.legs.contains { $0.mode == .air }
        }
        return try ThroughBill.make(shipment: plan(shipment("AIR-2026-003", "CNCQI", "DEDUI", teu: 1), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start, options: issued)
    }

    static func reefer() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 3, cargo: .reefer))
        return try ThroughBill.make(shipment: plan(shipment("RF-2026-004", "CNCQI", "DEDUI", teu: 3, cargo: .reefer), on: [route]),
                                routeIndex: 0, network: builtInNetwork, issueDate: start, options: issued)
    }

    static func dangerous() throws -> ThroughBill {
        let route = try route(RouteQuery(origin: "CNCQI", destination: "SGSIN", teu: 1, cargo: .dangerous(9),
                                           objective: .co2))
        return try ThroughBill.make(shipment: plan(shipment("DG-2026-005", "CNCQI", "SGSIN", teu: 1, cargo: .dangerous(9)), on: [route]),
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
        #expect(bill.documentStandard == .cimSmgs, "a train across the CIM and SMGS law areas is not an ocean bill")
        // Issued: received for shipment when the first mile reaches the rail terminal.
        let main = bill.routeplanner.mainCarriage
        try #require(main.firstLeg >= 2)
        #expect(bill.receivedForShipmentDate == String(bill.routeplanner.legs[main.firstLeg - 2].eta.prefix(10)))
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
        #expect(bill.routeplanner.draftReasons?.contains { $0.hasPrefix("HS code not given") } == true)
        // DCSA requires an HS code: the draft carries the placeholder and says so.
        #expect(bill.consignmentItems[0].hsCodes == [ThroughBill.Placeholder.hsCode])
        // No consignee: DCSA allows a bill to order (blank endorsed) without one.
        #expect(bill.isToOrder && bill.documentParties.consignee == nil)
        #expect(bill.isDCSATransportDocument && bill.documentStandard == nil)
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
        #expect(dg.map(\.unNumber) == [ThroughBill.Placeholder.unNumber], "the description names no UN number")
        #expect(bill.transportDocumentStatus == .draft, "a plan has no UN number, so the bill cannot be issued")
        #expect(bill.routeplanner.draftReasons?.first?.contains("UN number") == true)
    }

    @Test func eachRoutePartGetsItsOwnDocument() throws {
        let rail = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 2.5)) { Set($0.serviceLegs.map(\.mode)) == [.rail] }
        let sea = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI", teu: 2.5)) { $0.legs.contains { $0.mode == .sea } }
        let plan = Self.plan(Self.shipment("SPLIT-1", "CNCQI", "DEDUI", teu: 5), on: [rail, sea])
        let bills = try (0..<2).map { try ThroughBill.make(shipment: plan, routeIndex: $0, network: builtInNetwork, issueDate: Self.start) }
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
        let results = try validateOneBills(documents)
        for (bill, result) in zip(bills, results) {
            let id = bill.routeplanner.shipmentId
            #expect(result.project.isEmpty, "\(id): \(result.project.joined(separator: "\n"))")
            #expect(result.documentStandard == bill.documentStandard?.rawValue)
            if bill.isDCSATransportDocument {
                #expect(result.dcsa.isEmpty, "\(id) against DCSA: \(result.dcsa.joined(separator: "\n"))")
            } else {
                #expect(result.dcsa == [missingVesselVoyages], "\(id): only the vessel is missing: \(result.dcsa)")
            }
        }
        #expect(bills.map(\.isDCSATransportDocument) == bills.map { [.sea, .inlandWater].contains($0.routeplanner.mainCarriage.mode) })
        #expect(bills.contains(where: \.isDCSATransportDocument) && bills.contains { !$0.isDCSATransportDocument })
        let text = String(decoding: documents[0], as: UTF8.self)
        for key in ["\"x-routeplanner\"", "\"HSCodes\"", "\"UNLocationCode\"", "\"ISOEquipmentCode\"", "\"cimSmgs\"",
                    "\"documentStandard\" : \"CIM/SMGS\"", "\"partyContactDetails\"", "\"identifyingCodes\""] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    /// Documents of many routes across the network (every alternative and the Pareto front of
    /// each query), for complete and incomplete shipments of every cargo class: a document with a
    /// vessel validates against DCSA's own eBL 3.0.4 schema, every document against the project's,
    /// and a document without a vessel names its standard.
    @Test func documentsAcrossTheNetworkFollowTheirStandard() throws {
        let pairs: [(PlaceCode, PlaceCode)] = [
            ("CNCQI", "DEDUI"), ("CNCQI", "SGSIN"), ("CNCQI", "NLRTM"), ("CNCQI", "PLWAW"), ("CNCQI", "VNHPH"),
            ("CNCQI", "THLCH"), ("CNCQI", "KZALA"), ("CNCKG", "USORD"), ("THLCH", "CNCQI"), ("DEHAM", "CNCQI"),
            ("CNCQI", "IDJKT"), ("CNCQI", "LAVTE"),
        ]
        let cargoes: [CargoClass] = [.general, .reefer, .vehicles, .dangerous(3)]
        var bills: [ThroughBill] = []
        for (n, (from, to)) in pairs.enumerated() {
            for objective in [Objective.cost, .time, .co2] {
                guard case .found(let routes, let front) = try Self.router.routes(
                    for: RouteQuery(origin: from, destination: to, teu: 3, objective: objective))
                else { continue }
                for (k, route) in (routes + front).enumerated() {
                    let cargo = cargoes[(n + k) % cargoes.count]
                    var shipment = Self.shipment("NET-\(n)-\(objective)-\(k)", from, to, teu: 3, cargo: cargo,
                                                 complete: (n + k) % 3 != 0)
                    if case .dangerous = cargo, k % 2 == 0 { shipment.descriptionOfGoods = "Ethyl acetate, UN1173 class 3" }
                    bills.append(try ThroughBill.make(shipment: Self.plan(shipment, on: [route]), routeIndex: 0,
                                                      network: builtInNetwork, issueDate: Self.start,
                                                      options: k % 2 == 0 ? Self.issued : ThroughBill.Options()))
                }
            }
        }
        let results = try validateOneBills(try bills.map { try $0.jsonData() })
        var vessel = 0, other = 0
        for (bill, result) in zip(bills, results) {
            let id = bill.routeplanner.shipmentId
            #expect(result.project.isEmpty, "\(id): \(result.project.prefix(3).joined(separator: "\n"))")
            let hasVessel = bill.routeplanner.legs.contains { $0.role == .mainCarriage && [.sea, .inlandWater].contains($0.leg.mode) }
            #expect(bill.isDCSATransportDocument == hasVessel, "\(id): \(bill.routeplanner.modeSummary)")
            if hasVessel {
                vessel += 1
                #expect(result.dcsa.isEmpty, "\(id) against DCSA: \(result.dcsa.prefix(3).joined(separator: "\n"))")
            } else {
                other += 1
                #expect(result.dcsa == [missingVesselVoyages], "\(id): \(result.dcsa.prefix(3))")
                let standard = try #require(bill.documentStandard)
                if bill.routeplanner.mainCarriage.mode == .rail, let note = bill.routeplanner.cimSmgs {
                    #expect(standard.rawValue == note.consignmentNoteType)
                } else {
                    #expect(standard == .multimodalRules)
                }
            }
        }
        #expect(vessel > 0 && other > 0, "\(vessel) documents with a vessel, \(other) without")
        #expect(bills.contains { $0.documentStandard == .cimSmgs } && bills.contains { $0.documentStandard == .smgs })
        #expect(bills.contains { $0.transportDocumentStatus == .issued && $0.isDCSATransportDocument })
    }

    @Test func partiesCarryWhatDCSARequires() throws {
        let bill = try Self.chinaEuropeRail()
        let parties = bill.documentParties
        let consignee = try #require(parties.consignee)
        #expect(consignee.identifyingCodes == [ThroughBill.IdentifyingCode(
            codeListProvider: "ZZZ", partyCode: ThroughBill.partyCode(forName: "Duisburg Distribution GmbH"),
            codeListName: "routeplanner party code (FNV-1a of the party name)")])
        #expect(parties.shipper.identifyingCodes?.first?.partyCode == ThroughBill.partyCode(forName: "Chongqing Laptop Works Co., Ltd."))
        #expect(ThroughBill.partyCode(forName: "A") != ThroughBill.partyCode(forName: "B"))
        #expect(ThroughBill.partyCode(forName: "Duisburg Distribution GmbH").count == 16)
        // The issuer sits at the network's hub, Chongqing, whose first terminal is Tuanjiecun.
        let address = try #require(parties.issuingParty.address)
        #expect(address.city == "Chongqing" && address.countryCode == "CN" && address.unLocationCode == "CNCQI")
        #expect(address.street == builtInNetwork.terminals(ofCity: "CNCQI").first?.name)
        #expect(ThroughBill.hub(of: builtInNetwork)?.code == "CNCQI")
        #expect(bill.partyContactDetails == [ThroughBill.defaultContact])
        var options = Self.issued
        options.contacts = [ThroughBill.ContactDetail(name: "Ops", phone: "+86 23 0000 0000")]
        options.issuingPartyAddress = ThroughBill.PartyAddress(street: "1 Example Road", city: "Chongqing", countryCode: "CN")
        let configured = try ThroughBill.make(shipment: Self.plan(Self.shipment("CFG-1", "CNCQI", "DEDUI"), on: [
            try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI")),
        ]), routeIndex: 0, network: builtInNetwork, issueDate: Self.start, options: options)
        #expect(configured.partyContactDetails == options.contacts)
        #expect(configured.documentParties.issuingParty.address?.street == "1 Example Road")
    }

    @Test func dangerousGoodsWithAUNNumberInTheDescriptionCanBeIssued() throws {
        let route = try Self.route(RouteQuery(origin: "CNCQI", destination: "SGSIN", teu: 1, cargo: .dangerous(9), objective: .co2))
        var shipment = Self.shipment("DG-UN-1", "CNCQI", "SGSIN", teu: 1, cargo: .dangerous(9))
        shipment.descriptionOfGoods = "Lithium-ion battery modules, UN3480 class 9"
        let bill = try ThroughBill.make(shipment: Self.plan(shipment, on: [route]), routeIndex: 0, network: builtInNetwork,
                                        issueDate: Self.start, options: Self.issued)
        let dg = try #require(bill.consignmentItems[0].cargoItems[0].outerPackaging.dangerousGoods)
        #expect(dg.map(\.unNumber) == ["3480"] && dg.map(\.imoClass) == ["9"])
        #expect(bill.transportDocumentStatus == .issued)
        #expect(bill.receivedForShipmentDate != nil)
    }

    @Test(arguments: [
        ("Lithium-ion battery modules, UN3480 class 9", "3480"), ("Ethyl acetate UN 1173", "1173"),
        ("UN1805, phosphoric acid", "1805"), ("RUN1234 shoes", nil), ("UN12345", nil), ("un3480", nil),
        ("UNIT 1234", nil), ("", nil),
    ] as [(String, String?)])
    func unNumberIsReadFromTheDescription(description: String, expected: String?) {
        #expect(ThroughBill.unNumber(in: description) == expected)
    }

    // MARK: Plans the builder refuses

    @Test func unusablePlansThrowInsteadOfTrapping() throws {
        let route = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI"))
        let good = Self.plan(Self.shipment("BAD-1", "CNCQI", "DEDUI"), on: [route])
        func error(_ change: (inout ShipmentPlan) -> Void, routeIndex: Int = 0) -> ThroughBillError? {
            var plan = good
            change(&plan)
            do {
                _ = try ThroughBill.make(shipment: plan, routeIndex: routeIndex, network: builtInNetwork, issueDate: Self.start)
                return nil
            } catch {
                return error
            }
        }
        #expect(error { _ in } == nil)
        let empty = error { $0.routes[0].route.legs = [] }
        #expect(empty == .noLegs(shipment: "BAD-1", routeIndex: 0))
        #expect(empty?.description == "shipment BAD-1: routes[0].legs: empty; a through bill needs at least one leg")
        #expect(error({ _ in }, routeIndex: 1) == .noSuchRoutePart(shipment: "BAD-1", routeIndex: 1, routeCount: 1))
        #expect(error({ _ in }, routeIndex: -1) == .noSuchRoutePart(shipment: "BAD-1", routeIndex: -1, routeCount: 1))
        #expect(error { $0.routes = [] } == .noSuchRoutePart(shipment: "BAD-1", routeIndex: 0, routeCount: 0))
        let huge = error { $0.routes[0].route.legs[1].departureHour = 1e300 }
        #expect(huge == .hourOutOfRange(shipment: "BAD-1", routeIndex: 0, legIndex: 1, field: "departureHour", hours: 1e300))
        #expect(huge?.description.hasPrefix("shipment BAD-1: routes[0].legs[1].departureHour: ") == true)
        if case .hourOutOfRange(_, _, 0, "arrivalHour", let hours)? = error({ $0.routes[0].route.legs[0].arrivalHour = .nan }) {
            #expect(hours.isNaN)
        } else {
            Issue.record("a NaN arrival hour must be refused")
        }
        #expect(error { $0.routes[0].route.legs[0].departureHour = -1 }
                == .hourOutOfRange(shipment: "BAD-1", routeIndex: 0, legIndex: 0, field: "departureHour", hours: -1))
        #expect(error { $0.routes[0].teu = 1e18 } == .teuOutOfRange(shipment: "BAD-1", routeIndex: 0, teu: 1e18))
        #expect(error { $0.routes[0].teu = .infinity } == .teuOutOfRange(shipment: "BAD-1", routeIndex: 0, teu: .infinity))
        #expect(error { $0.routes[0].startDay = CalendarDay(daysSinceEpoch: Int.max / 2) }
                == .startDayOutOfRange(shipment: "BAD-1", routeIndex: 0, daysSinceEpoch: Int.max / 2))
        // The edges of the accepted ranges still make documents.
        #expect(error { $0.routes[0].startDay = CalendarDay(iso: "2200-12-31")! } == nil)
        #expect(error { $0.routes[0].startDay = CalendarDay(iso: "1900-01-01")! } == nil)
        #expect(error { $0.routes[0].teu = 0 } == nil)
    }

    @Test func hugeNumbersInAPlanStillMakeADocumentAndAPage() throws {
        let route = try Self.route(RouteQuery(origin: "CNCQI", destination: "DEDUI"))
        var plan = Self.plan(Self.shipment("HUGE-1", "CNCQI", "DEDUI"), on: [route])
        plan.routes[0].route.legs[1].costUSD = 1e300
        plan.routes[0].route.legs[1].distanceKm = 1e20
        plan.routes[0].route.costUSD = 1e307
        let bill = try ThroughBill.make(shipment: plan, routeIndex: 0, network: builtInNetwork, issueDate: Self.start)
        #expect(bill.routeplanner.totals.priceUSD == 1e307)
        _ = try bill.jsonData()
        let html = BillHTML.render(bill)
        #expect(html.contains("1.000e+20") && html.contains("1.000e+307"))
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
                    var leg = legs[1]["leg"] as! [String: Any]
                    leg["mode"] = "hyperloop"
                    legs[1]["leg"] = leg
                    ext["legs"] = legs
                }
            }),
            ("ETD not a date-time", "is not a 'date-time'", try mutated { doc in
                edit(&doc, "x-routeplanner") { ext in ext["departure"] = "2026-02-30T25:00:00Z" }
            }),
            ("typo in a field name", "'portOfLoad' was unexpected", try mutated { doc in
                edit(&doc, "transports") { t in t["portOfLoad"] = t["portOfLoading"] }
            }),
            ("rail document without its standard", "'documentStandard' is a required property", try mutated { $0["documentStandard"] = nil }),
            ("standard that disagrees with the CIM/SMGS block", "'SMGS' was expected", try mutated { $0["documentStandard"] = "SMGS" }),
            ("consignee without identifying codes", "'identifyingCodes' is a required property", try mutated { doc in
                edit(&doc, "documentParties") { parties in
                    edit(&parties, "consignee") { consignee in consignee["identifyingCodes"] = nil }
                }
            }),
            ("issuer without an address", "'address' is a required property", try mutated { doc in
                edit(&doc, "documentParties") { parties in
                    edit(&parties, "issuingParty") { issuer in issuer["address"] = nil }
                }
            }),
            ("issued with the placeholder HS code", "should not be valid under", try mutated { doc in
                var items = doc["consignmentItems"] as! [[String: Any]]
                items[0]["HSCodes"] = ["000000"]
                doc["consignmentItems"] = items
            }),
            ("issued without a received-for-shipment date", "'receivedForShipmentDate' is a required property",
             try mutated { $0["receivedForShipmentDate"] = nil }),
            ("no contact", "'partyContactDetails' is a required property", try mutated { $0["partyContactDetails"] = nil }),
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
        let bill = try ThroughBill.make(shipment: Self.plan(shipment, on: [rail]), routeIndex: 0, network: builtInNetwork,
                                    issueDate: Self.start)
        let html = BillHTML.render(bill)
        #expect(html.contains(bill.transportDocumentReference))
        for row in bill.routeplanner.legs { #expect(html.contains(HTMLText.escape(row.leg.service)), "\(row.leg.service)") }
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sons&quot;"))
        #expect(html.contains("Gauge changes") && html.contains("CIM/SMGS"))
        #expect(html.contains("gauge change"), "transfer rows between legs")
        #expect(html.contains("@page"), "A4 print styles")
        for external in ["src=", "href=", "<link", "url(", "@import"] { #expect(!html.contains(external), "\(external)") }
    }
}

