import Planning
import Routing
import NetworkData

// The DCSA eBL 3.0 parts of the through bill. Property names are the DCSA names; where DCSA
// spells a name in a way Swift can't (`HSCodes`, `UNLocationCode`, `ISOEquipmentCode`), a
// coding key maps it. Optional properties are left out of the JSON when nil.

extension ThroughBill {
    /// The document's state (DCSA `transportDocumentStatus`; we use two of its eight values).
    public enum Status: String, Encodable, Sendable, CaseIterable {
        /// Planned, not yet complete or not yet released by the operator.
        case draft = "DRAFT"
        /// Released by the operator.
        case issued = "ISSUED"
    }

    /// How pre- or on-carriage moves (DCSA `preCarriageBy` / `onCarriageBy`).
    public enum CarriageMode: String, Encodable, Sendable, CaseIterable {
        case vessel = "VESSEL", rail = "RAIL", truck = "TRUCK", barge = "BARGE", multimodal = "MULTIMODAL"
    }

    /// The standard a document without a vessel follows (top-level `documentStandard`).
    public enum DocumentStandard: String, Encodable, Sendable, CaseIterable {
        /// A train across the CIM and SMGS law areas: CIM/SMGS common consignment note data
        /// (`x-routeplanner.cimSmgs`).
        case cimSmgs = "CIM/SMGS"
        /// A train only in SMGS (OSJD) countries: SMGS consignment note data.
        case smgs = "SMGS"
        /// A train only in CIM (COTIF) countries: CIM consignment note data.
        case cim = "CIM"
        /// A road or air main carriage, or a domestic train: a multimodal transport document under
        /// the UNCTAD/ICC Rules (ICC 481) of its terms, with no consignment-note standard of its own.
        case multimodalRules = "UNCTAD/ICC"

        /// The standard of a CIM/SMGS block's `consignmentNoteType`.
        init(consignmentNoteType: String) {
            self = Self(rawValue: consignmentNoteType) ?? .multimodalRules
        }
    }

    /// Who keeps the carrier code list (DCSA `carrierCodeListProvider`).
    public enum CodeListProvider: String, Encodable, Sendable, CaseIterable {
        /// Ship Message Design Group (carrier codes).
        case smdg = "SMDG"
        /// National Motor Freight Traffic Association (SCAC).
        case nmfta = "NMFTA"
    }

    /// A container type by ISO 6346 size-and-type code, with a typical tare.
    public enum EquipmentType: String, Encodable, Sendable, CaseIterable {
        /// 20-ft general purpose.
        case twentyGeneral = "22G1"
        /// 40-ft high-cube general purpose.
        case fortyHighCube = "45G1"
        /// 20-ft refrigerated.
        case twentyReefer = "22R1"
        /// 40-ft high-cube refrigerated.
        case fortyHighCubeReefer = "45R1"

        /// TEU the box counts for.
        public var teu: Int {
            switch self {
            case .twentyGeneral, .twentyReefer: 1
            case .fortyHighCube, .fortyHighCubeReefer: 2
            }
        }

        /// A typical tare in kg (the CSC plate of the real box replaces it).
        public var typicalTareKg: Double {
            switch self {
            case .twentyGeneral: 2_200
            case .fortyHighCube: 3_900
            case .twentyReefer: 3_000
            case .fortyHighCubeReefer: 4_600
            }
        }

        /// A short English label: `40' HC reefer`.
        public var label: String {
            switch self {
            case .twentyGeneral: "20' general purpose"
            case .fortyHighCube: "40' high cube"
            case .twentyReefer: "20' reefer"
            case .fortyHighCubeReefer: "40' high cube reefer"
            }
        }
    }

    /// A place in DCSA's location shape: a UN/LOCODE when the place has one; else a city and
    /// country (ports) or coordinates (places of receipt and delivery).
    public struct Location: Encodable, Sendable, Hashable {
        public var locationName: String
        public var unLocationCode: String?
        public var city: City?
        public var geoCoordinate: GeoCoordinate?

        /// DCSA `City`: a city name and ISO 3166-1 country code (`ZZ` when unknown).
        public struct City: Encodable, Sendable, Hashable {
            public var city: String
            public var countryCode: String
        }

        enum CodingKeys: String, CodingKey {
            case locationName, unLocationCode = "UNLocationCode", city, geoCoordinate
        }
    }

    /// DCSA `GeoCoordinate`: WGS 84 decimal degrees as ISO 6709 text (`29.54600`, `106.38600`).
    public struct GeoCoordinate: Encodable, Sendable, Hashable {
        public var latitude: String
        public var longitude: String
    }

    /// DCSA `invoicePayableAt`: a UN/LOCODE or free text.
    public struct InvoicePayableAt: Encodable, Sendable, Hashable {
        public var unLocationCode: String?
        public var freeText: String?

        enum CodingKeys: String, CodingKey {
            case unLocationCode = "UNLocationCode", freeText
        }
    }

    /// DCSA `PartyAddress` (street, city and country are required by DCSA).
    public struct PartyAddress: Encodable, Sendable, Hashable {
        /// At most 70 characters.
        public var street: String
        /// At most 35 characters.
        public var city: String
        /// ISO 3166-1 alpha-2; `ZZ` when unknown.
        public var countryCode: String
        public var postCode: String?
        public var unLocationCode: String?

        enum CodingKeys: String, CodingKey {
            case street, city, countryCode, postCode, unLocationCode = "UNLocationCode"
        }

        public init(street: String, city: String, countryCode: String, postCode: String? = nil,
                    unLocationCode: String? = nil) {
            self.street = street
            self.city = city
            self.countryCode = countryCode
            self.postCode = postCode
            self.unLocationCode = unLocationCode
        }
    }

    /// DCSA `IdentifyingCode`: a party's code in a code list (`ZZZ`: mutually defined).
    public struct IdentifyingCode: Encodable, Sendable, Hashable {
        public var codeListProvider: String
        public var partyCode: String
        public var codeListName: String?
    }

    /// DCSA `PartyContactDetail`: a name and an e-mail address or phone number.
    public struct ContactDetail: Encodable, Sendable, Hashable {
        public var name: String
        public var email: String?
        public var phone: String?

        public init(name: String, email: String? = nil, phone: String? = nil) {
            self.name = name
            self.email = email
            self.phone = phone
        }
    }

    /// A document party: shipper, consignee or issuing party.
    public struct Party: Encodable, Sendable, Hashable {
        /// At most 70 characters; ``Placeholder/partyName`` when not given.
        public var partyName: String
        /// Required by DCSA for the issuing party.
        public var address: PartyAddress?
        /// Required by DCSA for the consignee; the shipper needs an address or a code.
        public var identifyingCodes: [IdentifyingCode]?
    }

    /// DCSA `documentParties`.
    public struct DocumentParties: Encodable, Sendable, Hashable {
        public var shipper: Party
        /// Nil on a bill to order whose shipment names no consignee (DCSA: blank endorsed).
        public var consignee: Party?
        public var issuingParty: Party
    }

    /// A mass with its unit (`KGM`): DCSA `cargoGrossWeight`, `tareWeight`.
    public struct Weight: Encodable, Sendable, Hashable {
        public var value: Double
        public var unit: String
    }

    /// DCSA `DangerousGoods`, reduced to what a shipment gives: UN number, shipping name, class.
    public struct DangerousGoods: Encodable, Sendable, Hashable {
        /// Four digits, from the description (`UN3480`); ``Placeholder/unNumber`` when it names none.
        public var unNumber: String
        public var properShippingName: String
        /// IMDG/RID class, `1`…`9`.
        public var imoClass: String

        enum CodingKeys: String, CodingKey {
            case unNumber = "UNNumber", properShippingName, imoClass
        }
    }

    /// DCSA `OuterPackaging`.
    public struct OuterPackaging: Encodable, Sendable, Hashable {
        public var numberOfPackages: Int
        public var description: String
        public var dangerousGoods: [DangerousGoods]?
    }

    /// DCSA `CargoItem`: the cargo in one container.
    public struct CargoItem: Encodable, Sendable, Hashable {
        public var equipmentReference: String
        public var cargoGrossWeight: Weight
        public var outerPackaging: OuterPackaging
    }

    /// DCSA `ConsignmentItem`: one booking's goods.
    public struct ConsignmentItem: Encodable, Sendable, Hashable {
        public var carrierBookingReference: String
        public var descriptionOfGoods: [String]
        /// One 6–10 digit HS code; ``Placeholder/hsCode`` when the shipment gives none (a draft).
        public var hsCodes: [String]
        public var cargoItems: [CargoItem]

        enum CodingKeys: String, CodingKey {
            case carrierBookingReference, descriptionOfGoods, hsCodes = "HSCodes", cargoItems
        }
    }

    /// DCSA `Equipment`.
    public struct Equipment: Encodable, Sendable, Hashable {
        public var equipmentReference: String
        public var isoEquipmentCode: EquipmentType
        public var tareWeight: Weight

        enum CodingKeys: String, CodingKey {
            case equipmentReference, isoEquipmentCode = "ISOEquipmentCode", tareWeight
        }
    }

    /// DCSA `Seal`.
    public struct Seal: Encodable, Sendable, Hashable {
        public var number: String
        /// `CAR` carrier, `SHI` shipper, `VET` veterinary, `CUS` customs.
        public var source: String
    }

    /// DCSA `ActiveReeferSettings` (temperature only: a plan knows no atmosphere settings).
    public struct ReeferSettings: Encodable, Sendable, Hashable {
        public var temperatureSetpoint: Double
        /// `CEL`.
        public var temperatureUnit: String
    }

    /// DCSA `UtilizedTransportEquipment`: one container.
    public struct UtilizedTransportEquipment: Encodable, Sendable, Hashable {
        public var equipment: Equipment
        public var isShipperOwned: Bool
        public var isNonOperatingReefer: Bool?
        public var activeReeferSettings: ReeferSettings?
        public var seals: [Seal]
    }

    /// DCSA `VesselVoyage`: one sailing of the main carriage.
    public struct VesselVoyage: Encodable, Sendable, Hashable {
        public var vesselName: String
        public var carrierExportVoyageNumber: String
        /// `FIRST_SEA_GOING` for the first sea-going vessel.
        public var role: String?
    }

    /// DCSA `Transports`: dates, the four places, pre/on-carriage and vessels.
    public struct Transports: Encodable, Sendable, Hashable {
        /// Date (`YYYY-MM-DD`) the main carriage leaves the port (terminal) of loading.
        public var plannedDepartureDate: String
        /// Date the main carriage reaches the port (terminal) of discharge.
        public var plannedArrivalDate: String
        public var preCarriageBy: CarriageMode?
        public var onCarriageBy: CarriageMode?
        public var placeOfReceipt: Location
        public var portOfLoading: Location
        public var portOfDischarge: Location
        public var placeOfDelivery: Location
        /// Sailings of the main carriage; absent when it is rail, road or air.
        public var vesselVoyages: [VesselVoyage]?
    }
}

/// Why a plan cannot make a through bill. The builder throws these instead of trapping, so a
/// saved plan edited by hand reaches the user as a message.
public enum ThroughBillError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `routeIndex` is not one of the shipment's route parts.
    case noSuchRoutePart(shipment: ShipmentID, routeIndex: Int, routeCount: Int)
    /// The route part has no legs.
    case noLegs(shipment: ShipmentID, routeIndex: Int)
    /// A leg's `departureHour` or `arrivalHour` is not a number of hours from 0 to ten years.
    case hourOutOfRange(shipment: ShipmentID, routeIndex: Int, legIndex: Int, field: String, hours: Double)
    /// The route part's TEU is not a number from 0 to 100,000.
    case teuOutOfRange(shipment: ShipmentID, routeIndex: Int, teu: Double)
    /// The route part's start day is outside the years 1900–2200.
    case startDayOutOfRange(shipment: ShipmentID, routeIndex: Int, daysSinceEpoch: Int)

    public var description: String {
        switch self {
        case .noSuchRoutePart(let id, let index, let count):
            "shipment \(id): routes[\(index)]: no such route part (the shipment has \(count))"
        case .noLegs(let id, let index):
            "shipment \(id): routes[\(index)].legs: empty; a through bill needs at least one leg"
        case .hourOutOfRange(let id, let index, let leg, let field, let hours):
            "shipment \(id): routes[\(index)].legs[\(leg)].\(field): \(hours) is not a number of hours from 0 to "
                + "\(Int(ThroughBill.maximumHour)) (ten years)"
        case .teuOutOfRange(let id, let index, let teu):
            "shipment \(id): routes[\(index)].teu: \(teu) is not a number from 0 to \(Int(ThroughBill.maximumTEU))"
        case .startDayOutOfRange(let id, let index, let days):
            "shipment \(id): routes[\(index)]: the start day (\(days) days after 1970-01-01) is outside the years 1900–2200"
        }
    }
}
