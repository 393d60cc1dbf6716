import Planning
import Routing
import Foundation
import NetworkData

/// The "one bill" (一单制): a through transport document for one planned route of a shipment,
/// door to door across every mode.
///
/// Field names follow the DCSA Transport Document (eBL 3.0) where they apply; the legs, transfers,
/// totals and the CIM/SMGS rail data DCSA can't express sit in the `x-routeplanner` block.
/// `schemas/one-bill.schema.json` is the JSON Schema of the encoded document and
/// `docs/one-bill.md` explains every field.
public struct ThroughBill: Encodable, Sendable {
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
    public var isToOrder: Bool
    /// `YYYY-MM-DD`.
    public var issueDate: String
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
    /// Contacts of the issuing operator; absent unless ``Options/contacts`` gives some.
    public var partyContactDetails: [ContactDetail]?
    public var documentParties: DocumentParties
    public var consignmentItems: [ConsignmentItem]
    public var utilizedTransportEquipments: [UtilizedTransportEquipment]
    public var transports: Transports
    /// The `x-routeplanner` extension.
    public var routeplanner: Extension

    enum CodingKeys: String, CodingKey {
        case transportDocumentReference, transportDocumentStatus, transportDocumentTypeCode, isShippedOnBoardType,
             freightPaymentTermCode, isElectronic, isToOrder, issueDate, termsAndConditions, receiptTypeAtOrigin,
             deliveryTypeAtDestination, cargoMovementTypeAtOrigin, cargoMovementTypeAtDestination, carrierCode,
             carrierCodeListProvider, invoicePayableAt, partyContactDetails, documentParties, consignmentItems,
             utilizedTransportEquipments, transports
        case routeplanner = "x-routeplanner"
    }

    /// What the operator issuing bills configures: who it is, its codes, its terms.
    public struct Options: Sendable {
        /// Name of the multimodal transport operator issuing the bill.
        public var issuingPartyName = "routeplanner multimodal transport operator"
        /// The operator's address (DCSA requires one; absent when nil).
        public var issuingPartyAddress: PartyAddress?
        /// The operator's contacts (DCSA `partyContactDetails`; absent when empty).
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

    // MARK: - Reference

    /// The document reference of route part `routeIndex` of `shipment`: `RPCQ` and 13 Crockford
    /// base-32 digits of the 64-bit FNV-1a hash of the shipment id's UTF-8 bytes, a 0x1F separator
    /// and the decimal route index. 17 characters; the same input gives the same reference forever.
    ///
    /// - Complexity: O(n) for an id of n bytes.
    public static func reference(for shipment: ShipmentID, routeIndex: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        for byte in shipment.rawValue.utf8 { mix(byte) }
        mix(0x1F)
        for byte in String(routeIndex).utf8 { mix(byte) }
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var digits = [Character](repeating: "0", count: 13)
        for position in digits.indices.reversed() {
            digits[position] = alphabet[Int(hash & 31)]
            hash >>= 5
        }
        return "RPCQ" + String(digits)
    }

    // MARK: - Making a bill

    /// Makes the through bill of route part `routeIndex` of a planned shipment.
    ///
    /// - Parameters:
    ///   - plan: the shipment's plan; `plan.routes[routeIndex]` is the route part billed.
    ///   - routeIndex: index into `plan.routes` (a precondition: it must exist).
    ///   - network: the network the route was planned on, for place names and countries.
    ///   - issueDate: the document's issue date.
    ///   - options: the issuing operator's data and the wanted status.
    /// - Returns: the document; a draft listing what is missing unless `options.status` is
    ///   `issued` and the shipment gives shipper, consignee, description and HS code (and no
    ///   dangerous goods, whose UN number a plan does not know).
    /// - Complexity: O(L) for a route of L legs, plus O(c) for c containers.
    public static func make(
        shipment plan: ShipmentPlan, routeIndex: Int, network: Network, issueDate: CalendarDay,
        options: Options = Options()
    ) -> ThroughBill {
        precondition(plan.routes.indices.contains(routeIndex),
                     "route index \(routeIndex) out of range: shipment \(plan.shipment.id) has \(plan.routes.count) routes")
        let planned = plan.routes[routeIndex]
        let shipment = plan.shipment
        let legs = planned.route.legs
        precondition(!legs.isEmpty, "route \(routeIndex) of shipment \(shipment.id) has no legs")
        let reference = reference(for: shipment.id, routeIndex: routeIndex)
        let etd = { (i: Int) in planned.startDay.dateTime(plusHours: legs[i].departureHour) }
        let eta = { (i: Int) in planned.startDay.dateTime(plusHours: legs[i].arrivalHour) }
        let main = mainCarriage(of: legs)

        // Parties and completeness.
        var missing: [String] = []
        let shipperName = text(shipment.shipper, maxLength: 70)
        let consigneeName = text(shipment.consignee, maxLength: 70)
        if shipperName == nil { missing.append("shipper not given") }
        if consigneeName == nil { missing.append("consignee not given") }
        let hsCode = normalizedHSCode(shipment.hsCode)
        if hsCode == nil {
            missing.append(shipment.hsCode.map { "HS code '\($0)' is not 6–10 digits" } ?? "HS code not given")
        }
        if text(shipment.descriptionOfGoods, maxLength: 5_000) == nil { missing.append("description of goods not given") }
        if case .dangerous(let n) = shipment.cargo {
            missing.append("UN number and proper shipping name of the class \(n) dangerous goods not given")
        }
        let status: Status = options.status == .issued && missing.isEmpty ? .issued : .draft
        let draftReasons: [String]? = status == .issued ? nil
            : (missing.isEmpty ? ["requested as a draft"] : missing)
        let toBeAdvised = "TO BE ADVISED"

        // Equipment and cargo.
        let partTonnes = shipment.teu > 0 ? shipment.tonnes * planned.teu / shipment.teu : shipment.tonnes
        let boxes = equipment(teu: planned.teu, isReefer: shipment.cargo == .reefer)
        let wholeTEU = boxes.reduce(0) { $0 + $1.teu }
        let packaging = outerPackaging(for: shipment)
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
                    ? ReeferSettings(temperatureSetpoint: rounded(options.reeferTemperatureCelsius, 1), temperatureUnit: "CEL")
                    : nil,
                seals: [Seal(number: "TBA", source: "CAR")]))
            let kg = max(1, (partTonnes * 1000 * Double(box.teu) / Double(wholeTEU)).rounded())
            cargoItems.append(CargoItem(equipmentReference: equipmentReference,
                                        cargoGrossWeight: Weight(value: kg.isFinite ? kg : 1, unit: "KGM"),
                                        outerPackaging: packaging))
        }
        let bookingCandidate = "\(shipment.id.rawValue)/\(routeIndex + 1)"
        let booking = bookingCandidate.count <= 35 && text(bookingCandidate, maxLength: 35) == bookingCandidate
            ? bookingCandidate : reference
        let consignment = ConsignmentItem(
            carrierBookingReference: booking,
            descriptionOfGoods: lines(text(shipment.descriptionOfGoods, maxLength: 5_000) ?? defaultDescription(shipment.cargo)),
            hsCodes: hsCode.map { [$0] } ?? [],
            cargoItems: cargoItems)

        // Transports.
        let receipt = location(legs[0].from, in: network)
        let vesselMode: TransportMode? = main.mode == .sea || main.mode == .inlandWater ? main.mode : nil
        var voyages: [VesselVoyage] = []
        if let vesselMode {
            for i in main.range where legs[i].mode == vesselMode {
                let leg = legs[i]
                voyages.append(VesselVoyage(
                    vesselName: shortName(leg.serviceName, maxLength: 50) ?? leg.service,
                    carrierExportVoyageNumber: text("\(leg.service)/\(etd(i).prefix(10).replacingOccurrences(of: "-", with: ""))",
                                                    maxLength: 50) ?? leg.service,
                    role: vesselMode == .sea && voyages.isEmpty ? "FIRST_SEA_GOING" : nil))
            }
        }
        let transports = Transports(
            plannedDepartureDate: String(etd(main.range.lowerBound).prefix(10)),
            plannedArrivalDate: String(eta(main.range.upperBound).prefix(10)),
            preCarriageBy: carriageMode(legs[..<main.range.lowerBound]),
            onCarriageBy: carriageMode(legs[(main.range.upperBound + 1)...]),
            placeOfReceipt: receipt,
            portOfLoading: location(legs[main.range.lowerBound].from, in: network),
            portOfDischarge: location(legs[main.range.upperBound].to, in: network),
            placeOfDelivery: location(legs[legs.count - 1].to, in: network),
            vesselVoyages: voyages.isEmpty ? nil : voyages)

        // Extension: legs, transfers, totals, CIM/SMGS.
        let place = { (code: PlaceCode) in legPlace(code, in: network) }
        var extLegs: [Leg] = []
        var transfers: [TransferPoint] = []
        for (i, leg) in legs.enumerated() {
            let role: LegRole = i < main.range.lowerBound ? .preCarriage : i > main.range.upperBound ? .onCarriage : .mainCarriage
            extLegs.append(Leg(
                sequence: i + 1, role: role, mode: leg.mode, serviceId: leg.service,
                serviceName: leg.serviceName, operator: leg.operator, corridor: leg.corridor,
                isAccessLeg: isAccessLeg(leg), from: place(leg.from), to: place(leg.to),
                etd: etd(i), eta: eta(i), distanceKm: rounded(leg.distanceKm, 1), waitHours: rounded(leg.waitHours, 2),
                transitHours: rounded(leg.transitHours, 2), dwellHours: rounded(leg.dwellHours, 2),
                costUSD: rounded(leg.costUSD, 2), handlingUSD: rounded(leg.handlingUSD, 2), co2eKg: rounded(leg.co2eKg, 1)))
            if let transfer = leg.transfer {
                transfers.append(TransferPoint(
                    afterLeg: i + 1, place: place(transfer.place), kind: transfer.kind,
                    isBorderCrossing: transfer.isBorderCrossing, gaugesMm: transfer.gaugesMm,
                    hours: rounded(transfer.hours, 2), costUSD: rounded(transfer.costUSD, 2)))
            }
        }
        let route = planned.route
        let ext = Extension(
            generator: "routeplanner", shipmentId: shipment.id.rawValue, routePart: routeIndex + 1,
            routeParts: plan.routes.count, week: planned.week, network: network.name,
            cargoClass: shipment.cargo.description, modeSummary: route.modeSummary,
            departure: etd(0), arrival: eta(legs.count - 1),
            mainCarriage: MainCarriage(mode: main.mode, firstLeg: main.range.lowerBound + 1, lastLeg: main.range.upperBound + 1),
            legs: extLegs, transferPoints: transfers,
            totals: Totals(priceUSD: rounded(route.costUSD, 2), days: rounded(route.days, 2),
                           transitHours: rounded(route.transitHours, 2), co2eKg: rounded(route.co2eKg, 1),
                           teu: rounded(planned.teu, 3), tonnes: rounded(partTonnes, 3), containers: boxes.count),
            cimSmgs: cimSmgs(legs: legs, network: network),
            draftReasons: draftReasons)

        let invoice = receipt.unLocationCode.map { InvoicePayableAt(unLocationCode: $0, freeText: nil) }
            ?? InvoicePayableAt(unLocationCode: nil, freeText: text(receipt.locationName, maxLength: 35) ?? "Chongqing")
        return ThroughBill(
            transportDocumentReference: reference, transportDocumentStatus: status, transportDocumentTypeCode: "BOL",
            isShippedOnBoardType: false, freightPaymentTermCode: "PRE", isElectronic: true, isToOrder: options.isToOrder,
            issueDate: issueDate.iso, termsAndConditions: options.termsAndConditions,
            receiptTypeAtOrigin: "CY", deliveryTypeAtDestination: "CY",
            cargoMovementTypeAtOrigin: "FCL", cargoMovementTypeAtDestination: "FCL",
            carrierCode: options.carrierCode, carrierCodeListProvider: options.carrierCodeListProvider,
            invoicePayableAt: invoice,
            partyContactDetails: options.contacts.isEmpty ? nil : options.contacts,
            documentParties: DocumentParties(
                shipper: Party(partyName: shipperName ?? toBeAdvised, address: nil),
                consignee: Party(partyName: consigneeName ?? toBeAdvised, address: nil),
                issuingParty: Party(partyName: text(options.issuingPartyName, maxLength: 70) ?? "routeplanner",
                                    address: options.issuingPartyAddress)),
            consignmentItems: [consignment], utilizedTransportEquipments: equipments,
            transports: transports, routeplanner: ext)
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
    static func mainCarriage(of legs: [RouteLeg]) -> (mode: TransportMode, range: ClosedRange<Int>) {
        let service = legs.indices.filter { !isAccessLeg(legs[$0]) }
        let candidates = service.isEmpty ? Array(legs.indices) : service
        let mode: TransportMode
        if candidates.contains(where: { legs[$0].mode == .sea }) {
            mode = .sea
        } else if candidates.contains(where: { legs[$0].mode == .inlandWater }) {
            mode = .inlandWater
        } else {
            var km: [TransportMode: Double] = [:]
            for i in candidates { km[legs[i].mode, default: 0] += legs[i].distanceKm }
            let order: [TransportMode] = [.air, .rail, .road, .sea, .inlandWater]
            mode = order.filter { km[$0] != nil }.max { (km[$0] ?? 0) < (km[$1] ?? 0) } ?? legs[0].mode
        }
        let members = candidates.filter { legs[$0].mode == mode }
        return (mode, members.first!...members.last!)
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

    /// A DCSA location for a network place.
    static func location(_ code: PlaceCode, in network: Network) -> Location {
        let place = network.place(code)
        let name = text(place?.name, maxLength: 100) ?? code.rawValue
        let locode = unLocationCode(code)
        return Location(
            locationName: name, unLocationCode: locode,
            city: locode == nil ? Location.City(city: text(place?.name, maxLength: 35) ?? code.rawValue,
                                                countryCode: countryCode(place?.country)) : nil)
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
        let cut = String(collapsed.prefix(maxLength)).trimmingCharacters(in: .whitespaces)
        return cut.isEmpty ? nil : cut
    }

    /// A name cut to `maxLength` without breaking a word: the part before a parenthesis when that
    /// fits, else up to the last space that fits.
    static func shortName(_ raw: String, maxLength: Int) -> String? {
        guard let name = text(raw, maxLength: 10_000) else { return nil }
        if name.count <= maxLength { return name }
        if let paren = name.firstIndex(of: "("), let head = text(String(name[..<paren]), maxLength: 10_000),
           head.count <= maxLength {
            return head
        }
        let cut = name.prefix(maxLength + 1)
        if let space = cut.lastIndex(of: " "), let head = text(String(cut[..<space]), maxLength: maxLength) { return head }
        return text(name, maxLength: maxLength)
    }

    /// Text wrapped into DCSA description lines of at most 35 characters (at most 150 lines).
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = Substring(word)
            while word.count > 35 {
                if !current.isEmpty { out.append(current); current = "" }
                out.append(String(word.prefix(35)))
                word = word.dropFirst(35)
            }
            if word.isEmpty { continue }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= 35 {
                current += " " + word
            } else {
                out.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { out.append(current) }
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

    static func outerPackaging(for shipment: Shipment) -> OuterPackaging {
        var dangerous: [DangerousGoods]?
        if case .dangerous(let n) = shipment.cargo {
            let name = text(shipment.descriptionOfGoods, maxLength: 250) ?? "Dangerous goods, class \(n), n.o.s."
            dangerous = [DangerousGoods(properShippingName: name, imoClass: String(n))]
        }
        return OuterPackaging(numberOfPackages: 1, description: "Full container load, shipper's load, stow and count",
                              dangerousGoods: dangerous)
    }

    /// `x` rounded to `places` decimals; 0 when not finite.
    static func rounded(_ x: Double, _ places: Int) -> Double {
        guard x.isFinite else { return 0 }
        let scale = pow(10, Double(places))
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
