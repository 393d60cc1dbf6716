import Planning
import Routing
import Foundation
import NetworkData

/// The "one bill" (一单制): a through transport document for one planned route of a shipment,
/// door to door across every mode.
///
/// A route part with a vessel (a sea or river main carriage) gets a DCSA eBL 3.0.4 transport
/// document: without its `x-routeplanner` extension it validates against DCSA's own
/// `TransportDocument` schema (`schemas/dcsa/`). A route part without one (rail, road or air main
/// carriage) is not an ocean bill: it keeps the same DCSA-shaped fields, names the standard it
/// follows in ``documentStandard`` (CIM/SMGS consignment-note data for a train across borders) and
/// validates against the project's schema. `schemas/one-bill.schema.json` is the JSON Schema of
/// every encoded document and `docs/one-bill.md` explains every field.
public struct ThroughBill: Encodable, Sendable {
    /// The standard a document without a vessel follows; nil (left out of the JSON) for a DCSA
    /// eBL 3.0.4 transport document.
    public var documentStandard: DocumentStandard?
    /// Unique, stable reference, at most 20 characters (see ``reference(for:routeIndex:)``).
    public var transportDocumentReference: String
    public var transportDocumentStatus: Status
    /// Always `BOL`: a (negotiable when to order) bill of lading.
    public var transportDocumentTypeCode: String
    /// False: received for shipment (a plan precedes loading).
    public var isShippedOnBoardType: Bool
    /// `PRE`: freight prepaid by the shipper.
    public var freightPaymentTermCode: String
    public var isElectronic: Bool
    /// True for a negotiable bill to order: when ``Options/isToOrder`` asks for one, or when the
    /// shipment names no consignee (DCSA then leaves the consignee out).
    public var isToOrder: Bool
    /// `YYYY-MM-DD`.
    public var issueDate: String
    /// On an issued document, the planned date the cargo is at the terminal where the main
    /// carriage starts (DCSA wants it or `shippedOnBoardDate` on an issued bill); absent on drafts.
    public var receivedForShipmentDate: String?
    public var termsAndConditions: String
    /// `CY` (container yard, including rail ramp).
    public var receiptTypeAtOrigin: String
    public var deliveryTypeAtDestination: String
    /// `FCL`.
    public var cargoMovementTypeAtOrigin: String
    public var cargoMovementTypeAtDestination: String
    public var carrierCode: String
    public var carrierCodeListProvider: CodeListProvider
    public var invoicePayableAt: InvoicePayableAt
    /// Contacts for the document: ``Options/contacts``, or the documented default desk.
    public var partyContactDetails: [ContactDetail]
    public var documentParties: DocumentParties
    public var consignmentItems: [ConsignmentItem]
    public var utilizedTransportEquipments: [UtilizedTransportEquipment]
    public var transports: Transports
    /// The `x-routeplanner` extension.
    public var routeplanner: Extension

    enum CodingKeys: String, CodingKey {
        case documentStandard, transportDocumentReference, transportDocumentStatus, transportDocumentTypeCode,
             isShippedOnBoardType, freightPaymentTermCode, isElectronic, isToOrder, issueDate, receivedForShipmentDate,
             termsAndConditions, receiptTypeAtOrigin, deliveryTypeAtDestination, cargoMovementTypeAtOrigin,
             cargoMovementTypeAtDestination, carrierCode, carrierCodeListProvider, invoicePayableAt, partyContactDetails,
             documentParties, consignmentItems, utilizedTransportEquipments, transports
        case routeplanner = "x-routeplanner"
    }

    /// Whether the document is a DCSA eBL 3.0.4 transport document (it has a vessel).
    public var isDCSATransportDocument: Bool { documentStandard == nil }

    /// What the operator issuing bills configures: who it is, its codes, its terms.
    public struct Options: Sendable {
        /// Name of the multimodal transport operator issuing the bill.
        public var issuingPartyName = "routeplanner multimodal transport operator"
        /// The operator's address; nil: the network's hub (see ``hubAddress(in:)``).
        public var issuingPartyAddress: PartyAddress?
        /// The operator's contacts (DCSA `partyContactDetails`); empty: ``defaultContact``.
        public var contacts: [ContactDetail] = []
        /// SCAC (NMFTA) or SMDG carrier code, at most 4 characters; `ZZZZ` is a placeholder.
        public var carrierCode = "ZZZZ"
        public var carrierCodeListProvider: CodeListProvider = .nmfta
        /// The status wanted; `issued` is granted only to a complete document (else a draft with reasons).
        public var status: Status = .draft
        /// A negotiable bill to order rather than a straight bill to the consignee.
        public var isToOrder = false
        /// Set point of reefer containers, °C (−18: frozen).
        public var reeferTemperatureCelsius: Double = -18
        public var termsAndConditions = ThroughBill.standardTerms

        public init() {}
    }

    /// The default terms: UNCTAD/ICC multimodal rules, network liability, CIM/SMGS on rail.
    public static let standardTerms = """
        Received by the multimodal transport operator in apparent good order and condition, unless otherwise \
        noted, for carriage from the place of receipt to the place of delivery by the legs listed, subject to the \
        UNCTAD/ICC Rules for Multimodal Transport Documents (ICC Publication 481). Liability follows the network \
        principle: the law of the leg where loss or damage occurred applies (CIM/SMGS for international rail legs); \
        where that leg is unknown, liability is limited to 666.67 SDR per package or 2 SDR per kilogram of gross \
        weight, whichever is higher. Dates and times are planned estimates, not guaranteed. Container numbers and \
        seals marked TBA are advised at stuffing.
        """

    /// The contact used when ``Options/contacts`` is empty: a desk at an address in the reserved
    /// `.invalid` domain (RFC 2606), so a document nobody configured cannot reach a real mailbox.
    public static let defaultContact = ContactDetail(name: "Through-bill desk", email: "through-bill@operator.invalid")

    /// Values that stand for data the shipment does not give; a document carrying one is a draft
    /// that says why, and the project's schema forbids them on an issued document.
    public enum Placeholder {
        /// Name of a party the shipment does not name.
        public static let partyName = "TO BE ADVISED"
        /// HS code when the shipment gives none (DCSA requires one; chapter 00 does not exist).
        public static let hsCode = "000000"
        /// UN number of dangerous goods whose description names none (no substance has UN 0000).
        public static let unNumber = "0000"
    }

    // MARK: - Reference

    /// The document reference of route part `routeIndex` of `shipment`: `RPCQ` and 13 Crockford
    /// base-32 digits of the 64-bit FNV-1a hash of the shipment id's UTF-8 bytes, a 0x1F separator
    /// and the decimal route index. 17 characters; the same input gives the same reference forever.
    ///
    /// - Complexity: O(n) for an id of n bytes.
    public static func reference(for shipment: ShipmentID, routeIndex: Int) -> String {
        "RPCQ" + crockford(fnv1a(Array(shipment.rawValue.utf8) + [0x1F] + Array(String(routeIndex).utf8)))
    }

    /// The party code of a named party in the operator's mutually defined (`ZZZ`) code list:
    /// `RPP` and 13 Crockford base-32 digits of the FNV-1a hash of the name's UTF-8 bytes.
    ///
    /// - Complexity: O(n) for a name of n bytes.
    public static func partyCode(forName name: String) -> String {
        "RPP" + crockford(fnv1a(Array(name.utf8)))
    }

    /// 64-bit FNV-1a of `bytes`.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `value` as 13 Crockford base-32 digits, most significant first.
    static func crockford(_ value: UInt64) -> String {
        var value = value
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var digits = [Character](repeating: "0", count: 13)
        for position in digits.indices.reversed() {
            digits[position] = alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(digits)
    }

    // MARK: - Making a bill

    /// Makes the through bill of route part `routeIndex` of a planned shipment.
    ///
    /// - Parameters:
    ///   - plan: the shipment's plan; `plan.routes[routeIndex]` is the route part billed.
    ///   - routeIndex: index into `plan.routes`.
    ///   - network: the network the route was planned on, for place names, countries and the hub.
    ///   - issueDate: the document's issue date.
    ///   - options: the issuing operator's data and the wanted status.
    /// - Returns: the document; a draft listing what is missing unless `options.status` is
    ///   `issued` and the shipment gives shipper, consignee, description, HS code and, for
    ///   dangerous goods, a UN number in the description.
    /// - Throws: ``ThroughBillError`` when the plan cannot make a document: no such route part,
    ///   no legs, an hour or a TEU figure that is not a number in range.
    /// - Complexity: O(L) for a route of L legs, plus O(c) for c containers.
    public static func make(
        shipment plan: ShipmentPlan, routeIndex: Int, network: Network, issueDate: CalendarDay,
        options: Options = Options()
    ) throws(ThroughBillError) -> ThroughBill {
        let planned = try checkedRoute(plan, routeIndex: routeIndex)
        let shipment = plan.shipment
        let legs = planned.route.legs
        let reference = reference(for: shipment.id, routeIndex: routeIndex)
        let etd = { (i: Int) in planned.startDay.dateTime(plusHours: legs[i].departureHour) }
        let eta = { (i: Int) in planned.startDay.dateTime(plusHours: legs[i].arrivalHour) }
        let main = try mainCarriage(of: legs, shipment: shipment.id, routeIndex: routeIndex)

        // Parties and completeness.
        var missing: [String] = []
        let shipperName = text(shipment.shipper, maxLength: 70)
        let consigneeName = text(shipment.consignee, maxLength: 70)
        if shipperName == nil { missing.append("shipper not given") }
        if consigneeName == nil { missing.append("consignee not given: the bill is made out to order, with no notify party") }
        let hsCode = normalizedHSCode(shipment.hsCode)
        if hsCode == nil {
            missing.append((shipment.hsCode.map { "HS code '\($0)' is not 6–10 digits" } ?? "HS code not given")
                           + ": HSCodes holds the placeholder \(Placeholder.hsCode)")
        }
        if text(shipment.descriptionOfGoods, maxLength: 5_000) == nil { missing.append("description of goods not given") }
        if case .dangerous(let n) = shipment.cargo, unNumber(in: shipment.descriptionOfGoods) == nil {
            missing.append("UN number of the class \(n) dangerous goods not given (write it in the description as UN1234): "
                           + "UNNumber holds the placeholder \(Placeholder.unNumber)")
        }
        let status: Status = options.status == .issued && missing.isEmpty ? .issued : .draft
        let draftReasons: [String]? = status == .issued ? nil
            : (missing.isEmpty ? ["requested as a draft"] : missing)
        let isToOrder = options.isToOrder || consigneeName == nil
        let parties = DocumentParties(
            shipper: named(shipperName),
            consignee: consigneeName.map { named($0) },
            issuingParty: Party(partyName: text(options.issuingPartyName, maxLength: 70) ?? "routeplanner",
                                address: options.issuingPartyAddress ?? hubAddress(in: network), identifyingCodes: nil))

        // Equipment and cargo.
        let partTonnes = shipment.teu > 0 ? shipment.tonnes * planned.teu / shipment.teu : shipment.tonnes
        let boxes = equipment(teu: planned.teu, isReefer: shipment.cargo == .reefer)
        let (equipments, cargoItems) = containers(boxes, tonnes: partTonnes, packaging: outerPackaging(for: shipment),
                                                  reeferCelsius: options.reeferTemperatureCelsius)
        let bookingCandidate = "\(shipment.id.rawValue)/\(routeIndex + 1)"
        let booking = bookingCandidate.count <= 35 && text(bookingCandidate, maxLength: 35) == bookingCandidate
            ? bookingCandidate : reference
        let consignment = ConsignmentItem(
            carrierBookingReference: booking,
            descriptionOfGoods: lines(text(shipment.descriptionOfGoods, maxLength: 5_000) ?? defaultDescription(shipment.cargo)),
            hsCodes: [hsCode ?? Placeholder.hsCode],
            cargoItems: cargoItems)

        // Transports.
        let vesselMode: TransportMode? = main.mode == .sea || main.mode == .inlandWater ? main.mode : nil
        var voyages: [VesselVoyage] = []
        if let vesselMode {
            for i in main.range where legs[i].mode == vesselMode {
                let leg = legs[i]
                voyages.append(VesselVoyage(
                    vesselName: shortName(leg.serviceName, maxLength: 50) ?? text(leg.service, maxLength: 50) ?? "TBA",
                    carrierExportVoyageNumber: text("\(leg.service)/\(etd(i).prefix(10).replacingOccurrences(of: "-", with: ""))",
                                                    maxLength: 50) ?? "TBA",
                    role: vesselMode == .sea && voyages.isEmpty ? "FIRST_SEA_GOING" : nil))
            }
        }
        let receipt = location(legs[0].from, in: network, isPort: false)
        let transports = Transports(
            plannedDepartureDate: String(etd(main.range.lowerBound).prefix(10)),
            plannedArrivalDate: String(eta(main.range.upperBound).prefix(10)),
            preCarriageBy: carriageMode(legs[..<main.range.lowerBound]),
            onCarriageBy: carriageMode(legs[(main.range.upperBound + 1)...]),
            placeOfReceipt: receipt,
            portOfLoading: location(legs[main.range.lowerBound].from, in: network, isPort: true),
            portOfDischarge: location(legs[main.range.upperBound].to, in: network, isPort: true),
            placeOfDelivery: location(legs[legs.count - 1].to, in: network, isPort: false),
            vesselVoyages: voyages.isEmpty ? nil : voyages)

        // Extension: legs, totals, CIM/SMGS.
        let place = { (code: PlaceCode) in legPlace(code, in: network) }
        let extLegs = legs.enumerated().map { i, leg in
            Leg(sequence: i + 1,
                role: i < main.range.lowerBound ? .preCarriage : i > main.range.upperBound ? .onCarriage : .mainCarriage,
                isAccessLeg: isAccessLeg(leg), fromPlace: place(leg.from), toPlace: place(leg.to),
                transferPlace: leg.transfer.flatMap { $0.place == leg.to ? nil : place($0.place) }, etd: etd(i), eta: eta(i), leg: leg)
        }
        let route = planned.route
        let cimSmgs = cimSmgs(legs: legs, network: network)
        let ext = Extension(
            generator: "routeplanner", shipmentId: shipment.id.rawValue, routePart: routeIndex + 1,
            routeParts: plan.routes.count, week: planned.week, network: network.name,
            cargoClass: shipment.cargo.description, modeSummary: route.modeSummary,
            departure: etd(0), arrival: eta(legs.count - 1),
            mainCarriage: MainCarriage(mode: main.mode, firstLeg: main.range.lowerBound + 1, lastLeg: main.range.upperBound + 1),
            legs: extLegs,
            totals: Totals(priceUSD: rounded(route.costUSD, 2), days: rounded(route.days, 2),
                           transitHours: rounded(route.transitHours, 2), co2eKg: rounded(route.co2eKg, 1),
                           teu: rounded(planned.teu, 3), tonnes: rounded(partTonnes, 3), containers: boxes.count),
            cimSmgs: cimSmgs,
            draftReasons: draftReasons)

        // A vessel makes a DCSA transport document; otherwise the main carriage names the standard.
        let standard: DocumentStandard? = vesselMode != nil ? nil
            : main.mode == .rail ? cimSmgs.map { DocumentStandard(consignmentNoteType: $0.consignmentNoteType) }
                ?? .multimodalRules : .multimodalRules
        // Received for shipment: the cargo is at the terminal where the main carriage starts.
        let receivedHour = main.range.lowerBound > 0 ? legs[main.range.lowerBound - 1].arrivalHour : 0
        let invoice = receipt.unLocationCode.map { InvoicePayableAt(unLocationCode: $0, freeText: nil) }
            ?? InvoicePayableAt(unLocationCode: nil, freeText: text(receipt.locationName, maxLength: 35) ?? hubAddress(in: network).city)
        return ThroughBill(
            documentStandard: standard,
            transportDocumentReference: reference, transportDocumentStatus: status, transportDocumentTypeCode: "BOL",
            isShippedOnBoardType: false, freightPaymentTermCode: "PRE", isElectronic: true, isToOrder: isToOrder,
            issueDate: issueDate.iso,
            receivedForShipmentDate: status == .issued ? String(planned.startDay.dateTime(plusHours: receivedHour).prefix(10)) : nil,
            termsAndConditions: options.termsAndConditions,
            receiptTypeAtOrigin: "CY", deliveryTypeAtDestination: "CY",
            cargoMovementTypeAtOrigin: "FCL", cargoMovementTypeAtDestination: "FCL",
            carrierCode: options.carrierCode, carrierCodeListProvider: options.carrierCodeListProvider,
            invoicePayableAt: invoice,
            partyContactDetails: options.contacts.isEmpty ? [defaultContact] : options.contacts,
            documentParties: parties,
            consignmentItems: [consignment], utilizedTransportEquipments: equipments,
            transports: transports, routeplanner: ext)
    }

    /// Largest leg hour a document accepts: ten years after the route's start day.
    static let maximumHour: Double = 24 * 366 * 10
    /// Largest TEU of one route part a document accepts (it lists one container per 1–2 TEU).
    static let maximumTEU: Double = 100_000

    /// The route part `routeIndex` of `plan`, checked for what the builder relies on: it exists,
    /// it has legs, every leg hour and its TEU are finite numbers in range, its start day is a
    /// date of the years 1900–2200.
    static func checkedRoute(_ plan: ShipmentPlan, routeIndex: Int) throws(ThroughBillError) -> PlannedRoute {
        let id = plan.shipment.id
        guard plan.routes.indices.contains(routeIndex) else {
            throw .noSuchRoutePart(shipment: id, routeIndex: routeIndex, routeCount: plan.routes.count)
        }
        let planned = plan.routes[routeIndex]
        guard !planned.route.legs.isEmpty else { throw .noLegs(shipment: id, routeIndex: routeIndex) }
        for (i, leg) in planned.route.legs.enumerated() {
            for (field, hours) in [("departureHour", leg.departureHour), ("arrivalHour", leg.arrivalHour)]
            where !(hours.isFinite && hours >= 0 && hours <= maximumHour) {
                throw .hourOutOfRange(shipment: id, routeIndex: routeIndex, legIndex: i, field: field, hours: hours)
            }
        }
        guard planned.teu.isFinite, planned.teu >= 0, planned.teu <= maximumTEU else {
            throw .teuOutOfRange(shipment: id, routeIndex: routeIndex, teu: planned.teu)
        }
        guard (earliestDay...latestDay).contains(planned.startDay.daysSinceEpoch) else {
            throw .startDayOutOfRange(shipment: id, routeIndex: routeIndex, daysSinceEpoch: planned.startDay.daysSinceEpoch)
        }
        return planned
    }

    /// 1900-01-01 and 2200-12-31 as days since 1970-01-01, the range `CalendarDay(iso:)` reads.
    static let earliestDay = -25_567
    static let latestDay = 84_370

    /// A shipper or consignee by name: the name and its party code, or the placeholder party.
    static func named(_ name: String?) -> Party {
        guard let name else { return Party(partyName: Placeholder.partyName, address: nil, identifyingCodes: nil) }
        return Party(partyName: name, address: nil, identifyingCodes: [
            IdentifyingCode(codeListProvider: "ZZZ", partyCode: partyCode(forName: name),
                            codeListName: "routeplanner party code (FNV-1a of the party name)"),
        ])
    }

    /// The containers and the cargo in each: the gross weight split by TEU, at least 1 kg a box.
    static func containers(
        _ boxes: [EquipmentType], tonnes: Double, packaging: OuterPackaging, reeferCelsius: Double
    ) -> ([UtilizedTransportEquipment], [CargoItem]) {
        let wholeTEU = max(1, boxes.reduce(0) { $0 + $1.teu })
        var equipments: [UtilizedTransportEquipment] = []
        var cargoItems: [CargoItem] = []
        for (i, box) in boxes.enumerated() {
            let equipmentReference = String(format: "TBA-%03d", i + 1)
            let isReefer = box == .twentyReefer || box == .fortyHighCubeReefer
            equipments.append(UtilizedTransportEquipment(
                equipment: Equipment(equipmentReference: equipmentReference, isoEquipmentCode: box,
                                     tareWeight: Weight(value: box.typicalTareKg, unit: "KGM")),
                isShipperOwned: false,
                isNonOperatingReefer: isReefer ? false : nil,
                activeReeferSettings: isReefer
                    ? ReeferSettings(temperatureSetpoint: rounded(reeferCelsius, 1), temperatureUnit: "CEL")
                    : nil,
                seals: [Seal(number: "TBA", source: "CAR")]))
            let kg = (tonnes * 1000 * Double(box.teu) / Double(wholeTEU)).rounded()
            cargoItems.append(CargoItem(equipmentReference: equipmentReference,
                                        cargoGrossWeight: Weight(value: kg.isFinite ? max(1, kg) : 1, unit: "KGM"),
                                        outerPackaging: packaging))
        }
        return (equipments, cargoItems)
    }

    /// The document as JSON (UTF-8), keys sorted so the same bill always gives the same bytes,
    /// pretty-printed by default.
    /// - Throws: `EncodingError` only if a number is not finite (the builder never makes one).
    /// - Complexity: O(size of the document).
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

// MARK: - Rules

extension ThroughBill {
    /// The containers for `teu`: whole TEU n = ⌈teu⌉ (at least 1) → ⌊n/2⌋ 40-ft high cubes and,
    /// when n is odd, one 20-ft box; reefer cargo gets reefer boxes.
    static func equipment(teu: Double, isReefer: Bool) -> [EquipmentType] {
        let whole = teu.isFinite ? max(1, Int((teu - 1e-9).rounded(.up))) : 1
        let forty: EquipmentType = isReefer ? .fortyHighCubeReefer : .fortyHighCube
        let twenty: EquipmentType = isReefer ? .twentyReefer : .twentyGeneral
        return Array(repeating: forty, count: whole / 2) + (whole % 2 == 1 ? [twenty] : [])
    }

    /// First/last-mile road legs between a city zone and its terminal.
    static func isAccessLeg(_ leg: RouteLeg) -> Bool { leg.service.contains(":") }

    /// The main carriage: the first to the last sea leg; else inland-water leg; else the
    /// service legs of the mode with the longest distance (ties: air, rail, road).
    /// - Throws: ``ThroughBillError/noLegs(shipment:routeIndex:)`` for no legs.
    static func mainCarriage(
        of legs: [RouteLeg], shipment: ShipmentID, routeIndex: Int
    ) throws(ThroughBillError) -> (mode: TransportMode, range: ClosedRange<Int>) {
        let service = legs.indices.filter { !isAccessLeg(legs[$0]) }
        let candidates = service.isEmpty ? Array(legs.indices) : service
        let mode: TransportMode
        if candidates.contains(where: { legs[$0].mode == .sea }) {
            mode = .sea
        } else if candidates.contains(where: { legs[$0].mode == .inlandWater }) {
            mode = .inlandWater
        } else {
            var km: [TransportMode: Double] = [:]
            for i in candidates { km[legs[i].mode, default: 0] += legs[i].distanceKm.isFinite ? legs[i].distanceKm : 0 }
            let order: [TransportMode] = [.air, .rail, .road, .sea, .inlandWater]
            guard let longest = order.filter({ km[$0] != nil }).max(by: { (km[$0] ?? 0) < (km[$1] ?? 0) }) else {
                throw .noLegs(shipment: shipment, routeIndex: routeIndex)
            }
            mode = longest
        }
        let members = candidates.filter { legs[$0].mode == mode }
        guard let first = members.first, let last = members.last else { throw .noLegs(shipment: shipment, routeIndex: routeIndex) }
        return (mode, first...last)
    }

    /// DCSA pre/on-carriage code of `legs`: the mode of their service legs (access legs count only
    /// when there is nothing else, as TRUCK); MULTIMODAL for several modes; nil for none or air.
    static func carriageMode(_ legs: ArraySlice<RouteLeg>) -> CarriageMode? {
        guard !legs.isEmpty else { return nil }
        let service = legs.filter { !isAccessLeg($0) }
        let modes = Set((service.isEmpty ? Array(legs) : service).map(\.mode))
        guard modes.count == 1, let mode = modes.first else { return .multimodal }
        switch mode {
        case .rail: return .rail
        case .road: return .truck
        case .sea: return .vessel
        case .inlandWater: return .barge
        case .air: return nil
        }
    }

    /// The UN/LOCODE part of a place code (`NLAMS-AMS` → `NLAMS`) when it has DCSA's shape.
    static func unLocationCode(_ code: PlaceCode) -> String? {
        guard let head = code.rawValue.split(separator: "-").first, head.count == 5 else { return nil }
        let chars = Array(head.unicodeScalars)
        let isLetter = { (c: Unicode.Scalar) in c.value >= 65 && c.value <= 90 }
        let isDigit29 = { (c: Unicode.Scalar) in c.value >= 50 && c.value <= 57 }
        guard isLetter(chars[0]), isLetter(chars[1]), chars[2...].allSatisfy({ isLetter($0) || isDigit29($0) })
        else { return nil }
        return String(head)
    }

    /// A DCSA location for a network place: its UN/LOCODE when the code has one; else, for a
    /// port of loading or discharge, a city and country (DCSA `City`), and for a place of receipt or
    /// delivery the network's coordinates (DCSA `GeoCoordinate`; a city when the network does not
    /// know the place).
    static func location(_ code: PlaceCode, in network: Network, isPort: Bool) -> Location {
        let place = network.place(code)
        let name = text(place?.name, maxLength: 100) ?? code.rawValue
        if let locode = unLocationCode(code) {
            return Location(locationName: name, unLocationCode: locode, city: nil, geoCoordinate: nil)
        }
        if !isPort, let place, place.latitude.isFinite, place.longitude.isFinite,
           abs(place.latitude) <= 90, abs(place.longitude) <= 180 {
            return Location(locationName: name, unLocationCode: nil, city: nil, geoCoordinate: GeoCoordinate(
                latitude: String(format: "%.5f", place.latitude), longitude: String(format: "%.5f", place.longitude)))
        }
        return Location(locationName: name, unLocationCode: nil,
                        city: Location.City(city: text(place?.name, maxLength: 35) ?? code.rawValue,
                                            countryCode: countryCode(place?.country)),
                        geoCoordinate: nil)
    }

    /// The network's hub: the city zone with the most terminals (the first such in the network's
    /// order); nil for a network without city zones.
    /// - Complexity: O(p) for p places.
    public static func hub(of network: Network) -> Place? {
        var terminals: [PlaceCode: Int] = [:]
        for place in network.places { if let city = place.city { terminals[city, default: 0] += 1 } }
        var best: (place: Place, terminals: Int)?
        for place in network.places where place.kind == .city {
            let count = terminals[place.code, default: 0]
            if count > best?.terminals ?? -1 { best = (place, count) }
        }
        return best?.place
    }

    /// The issuing operator's default address: at the network's hub, the street being the name of
    /// the hub's first terminal (in the built-in network the Tuanjiecun railway container centre,
    /// Chongqing). A network without a hub gives a clearly unknown address (`ZZ`).
    /// - Complexity: O(p) for p places.
    public static func hubAddress(in network: Network) -> PartyAddress {
        guard let hub = hub(of: network) else {
            return PartyAddress(street: "Address to be advised", city: "Unknown", countryCode: "ZZ")
        }
        let terminal = network.terminals(ofCity: hub.code).first
        let city = text(hub.name, maxLength: 35) ?? hub.code.rawValue
        return PartyAddress(street: text(terminal?.name, maxLength: 70) ?? city, city: city,
                            countryCode: countryCode(hub.country), unLocationCode: unLocationCode(hub.code))
    }

    /// The UN number in a dangerous-goods description: `UN` and four digits (`UN3480`, `UN 1173`).
    static func unNumber(in description: String?) -> String? {
        guard let description else { return nil }
        let scalars = Array(description.unicodeScalars)
        let isDigit = { (c: Unicode.Scalar) in c.value >= 48 && c.value <= 57 }
        let isLetterOrDigit = { (c: Unicode.Scalar) in c.properties.isAlphabetic || isDigit(c) }
        var i = 0
        while i + 1 < scalars.count {
            defer { i += 1 }
            guard scalars[i] == "U", scalars[i + 1] == "N", i == 0 || !isLetterOrDigit(scalars[i - 1]) else { continue }
            var j = i + 2
            if j < scalars.count, scalars[j] == " " { j += 1 }
            guard j + 4 <= scalars.count, scalars[j..<j + 4].allSatisfy(isDigit),
                  j + 4 == scalars.count || !isLetterOrDigit(scalars[j + 4]) else { continue }
            return String(String.UnicodeScalarView(scalars[j..<j + 4]))
        }
        return nil
    }

    /// A place for the extension.
    static func legPlace(_ code: PlaceCode, in network: Network) -> LegPlace {
        let place = network.place(code)
        return LegPlace(code: code.rawValue, name: place?.name ?? code.rawValue, nameZh: place?.nameZh,
                        countryCode: countryCode(place?.country), kind: place?.kind.rawValue,
                        unLocationCode: unLocationCode(code))
    }

    static func countryCode(_ text: String?) -> String {
        guard let text, text.count == 2, text.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else { return "ZZ" }
        return text
    }

    /// The HS code with dots and spaces removed, when 6–10 digits remain.
    static func normalizedHSCode(_ code: String?) -> String? {
        guard let code else { return nil }
        guard code.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == " ") }) else { return nil }
        let digits = code.filter(\.isNumber)
        return (6...10).contains(digits.count) ? digits : nil
    }

    /// Whitespace collapsed to single spaces, trimmed and cut to `maxLength`; nil when empty.
    static func text(_ raw: String?, maxLength: Int) -> String? {
        guard let raw else { return nil }
        let collapsed = raw.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        // JSON Schema's maxLength counts code points, so cut by Unicode scalars.
        let cut = String(String.UnicodeScalarView(collapsed.unicodeScalars.prefix(maxLength)))
            .trimmingCharacters(in: .whitespaces)
        return cut.isEmpty ? nil : cut
    }

    /// A name cut to `maxLength` code points without breaking a word: the part before a
    /// parenthesis when that fits, else up to the last space that fits.
    static func shortName(_ raw: String, maxLength: Int) -> String? {
        guard let name = text(raw, maxLength: 10_000) else { return nil }
        if name.unicodeScalars.count <= maxLength { return name }
        if let paren = name.firstIndex(of: "("), let head = text(String(name[..<paren]), maxLength: 10_000),
           head.unicodeScalars.count <= maxLength {
            return head
        }
        let cut = String(String.UnicodeScalarView(name.unicodeScalars.prefix(maxLength + 1)))
        if let space = cut.lastIndex(of: " "), let head = text(String(cut[..<space]), maxLength: maxLength) { return head }
        return text(name, maxLength: maxLength)
    }

    /// Text wrapped into DCSA description lines of at most 35 code points (at most 150 lines).
    static func lines(_ text: String) -> [String] {
        let width = 35
        var out: [String] = []
        var current: [Unicode.Scalar] = []
        for word in text.split(separator: " ") {
            var word = Array(word.unicodeScalars)
            while word.count > width {
                if !current.isEmpty { out.append(String(String.UnicodeScalarView(current))); current = [] }
                out.append(String(String.UnicodeScalarView(word.prefix(width))))
                word.removeFirst(width)
            }
            if word.isEmpty { continue }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += [" "] + word
            } else {
                out.append(String(String.UnicodeScalarView(current)))
                current = word
            }
        }
        if !current.isEmpty { out.append(String(String.UnicodeScalarView(current))) }
        return Array(out.prefix(150))
    }

    static func defaultDescription(_ cargo: CargoClass) -> String {
        switch cargo {
        case .general: "General cargo, freight all kinds (FAK)"
        case .reefer: "Temperature-controlled cargo"
        case .vehicles: "Vehicles"
        case .dangerous(let n): "Dangerous goods, class \(n)"
        }
    }

    /// One package a box (FCL, shipper's load and count); dangerous goods carry their UN number
    /// (from the description, else the placeholder), the description as shipping name and the class.
    static func outerPackaging(for shipment: Shipment) -> OuterPackaging {
        var dangerous: [DangerousGoods]?
        if case .dangerous(let n) = shipment.cargo {
            let name = text(shipment.descriptionOfGoods, maxLength: 250) ?? "Dangerous goods, class \(n), n.o.s."
            dangerous = [DangerousGoods(unNumber: unNumber(in: shipment.descriptionOfGoods) ?? Placeholder.unNumber,
                                        properShippingName: name, imoClass: String(n))]
        }
        return OuterPackaging(numberOfPackages: 1, description: "Full container load, shipper's load, stow and count",
                              dangerousGoods: dangerous)
    }

    /// `x` rounded to `places` decimals; 0 when not finite; `x` itself when too large to scale.
    static func rounded(_ x: Double, _ places: Int) -> Double {
        guard x.isFinite else { return 0 }
        let scale = pow(10, Double(places))
        guard (x * scale).isFinite else { return x }
        return (x * scale).rounded() / scale
    }
}

// MARK: - CIM/SMGS

extension ThroughBill {
    /// The consignment-note block for the runs of consecutive rail legs that cross a border;
    /// nil when no rail run does.
    static func cimSmgs(legs: [RouteLeg], network: Network) -> CIMSMGS? {
        let country = { (code: PlaceCode) in countryCode(network.place(code)?.country) }
        let place = { (code: PlaceCode) in legPlace(code, in: network) }
        // Maximal runs of consecutive rail legs.
        var runs: [ClosedRange<Int>] = []
        var i = 0
        while i < legs.count {
            guard legs[i].mode == .rail else { i += 1; continue }
            var j = i
            while j + 1 < legs.count, legs[j + 1].mode == .rail { j += 1 }
            runs.append(i...j)
            i = j + 1
        }
        let crossing = runs.filter { run in Set(run.flatMap { [country(legs[$0].from), country(legs[$0].to)] }).count > 1 }
        guard !crossing.isEmpty else { return nil }

        var sections: [RailwaySection] = []
        var borders: [BorderStation] = []
        var gauges: [GaugeChangePoint] = []
        func visit(_ code: String, leg: Int, at point: LegPlace?, inferred: Bool, newRun: Bool) {
            if !newRun, var last = sections.last, last.countryCode == code {
                if last.legs.last != leg { last.legs.append(leg) }
                if let point {
                    if last.firstPlace == nil { last.firstPlace = point }
                    last.lastPlace = point
                }
                sections[sections.count - 1] = last
                return
            }
            let railway = Railways.railway(ofCountry: code)
            sections.append(RailwaySection(sequence: sections.count + 1, countryCode: code, railway: railway.short,
                                           railwayName: railway.name, legs: [leg], firstPlace: point, lastPlace: point,
                                           isTransitInferred: inferred))
        }
        for run in crossing {
            for k in run {
                let leg = legs[k]
                let (a, b) = (country(leg.from), country(leg.to))
                visit(a, leg: k + 1, at: place(leg.from), inferred: false, newRun: k == run.lowerBound)
                for transit in a == b ? [] : Railways.transit["\(a)>\(b)"] ?? [] {
                    visit(transit, leg: k + 1, at: nil, inferred: true, newRun: false)
                }
                visit(b, leg: k + 1, at: place(leg.to), inferred: false, newRun: false)
                guard let transfer = leg.transfer else { continue }
                let isBorderPlace = network.place(transfer.place)?.kind == .borderCrossing
                if transfer.isBorderCrossing || isBorderPlace {
                    borders.append(BorderStation(afterLeg: k + 1, place: place(transfer.place),
                                                 dwellHours: rounded(leg.dwellHours, 2)))
                }
                if transfer.kind == .gaugeChange {
                    let mm = transfer.gaugesMm ?? network.place(transfer.place)?.gaugeChange?.gaugesMm ?? []
                    gauges.append(GaugeChangePoint(afterLeg: k + 1, place: place(transfer.place), gaugesMm: mm))
                }
            }
        }
        let countries = Set(sections.map(\.countryCode))
        let hasCIM = !countries.isDisjoint(with: Railways.cimCountries)
        let hasSMGS = !countries.isSubset(of: Railways.cimCountries)
        let type = hasCIM && hasSMGS ? "CIM/SMGS" : hasCIM ? "CIM" : "SMGS"
        return CIMSMGS(consignmentNoteType: type, railwaySections: sections, borderStations: borders, gaugeChanges: gauges)
    }
}
