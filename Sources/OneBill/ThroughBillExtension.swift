import Planning
import Routing
import NetworkData

// The `x-routeplanner` extension: what DCSA eBL 3.0 cannot say. DCSA models one sea-going
// main carriage with optional pre- and on-carriage; a China-Europe train, a truck to Hanoi or
// a flight has no vessel and crosses borders and gauges DCSA has no fields for.

extension ThroughBill {
    /// The `x-routeplanner` block: every leg with its transfer, the totals and, for rail across
    /// borders, CIM/SMGS.
    public struct Extension: Encodable, Sendable {
        /// Always `routeplanner`.
        public var generator: String
        public var shipmentId: String
        /// 1-based number of this route part and how many parts the shipment has.
        public var routePart: Int
        public var routeParts: Int
        /// Week of departure, 0 = the plan's first week.
        public var week: Int
        /// Name of the network the route was planned on.
        public var network: String
        /// `general`, `reefer`, `vehicles` or `dangerous:N`.
        public var cargoClass: String
        /// Modes in order: `road→rail→sea`.
        public var modeSummary: String
        /// Door-to-door ETD of the first leg and ETA of the last, ISO 8601.
        public var departure: String
        public var arrival: String
        public var mainCarriage: MainCarriage
        public var legs: [Leg]
        public var totals: Totals
        public var cimSmgs: CIMSMGS?
        /// Why the document is a draft (missing parties, HS code, UN number); absent when issued.
        public var draftReasons: [String]?
    }

    /// Which legs are the main carriage (the DCSA port of loading to port of discharge).
    public struct MainCarriage: Encodable, Sendable, Hashable {
        public var mode: TransportMode
        /// 1-based sequence numbers of its first and last legs.
        public var firstLeg: Int
        public var lastLeg: Int
    }

    /// A place in the extension: the network's code, names, country and kind.
    public struct LegPlace: Encodable, Sendable, Hashable {
        public var code: String
        public var name: String
        public var nameZh: String?
        /// ISO 3166-1 alpha-2; `ZZ` when the network does not know the place.
        public var countryCode: String
        public var kind: String?
        public var unLocationCode: String?

        enum CodingKeys: String, CodingKey {
            case code, name, nameZh, countryCode, kind, unLocationCode = "UNLocationCode"
        }
    }

    /// Whether a leg is before, in or after the main carriage.
    public enum LegRole: String, Encodable, Sendable, CaseIterable {
        case preCarriage, mainCarriage, onCarriage
    }

    /// One leg of the route: the ``RouteLeg`` itself, encoded by its own `Codable` conformance
    /// (the contract `route` and `plan` share), and beside it only what the bill adds: sequence,
    /// role, absolute times and the network's names of its places.
    public struct Leg: Encodable, Sendable, Hashable {
        /// 1-based position in the route.
        public var sequence: Int
        public var role: LegRole
        /// True for a first/last-mile road leg between a city and its terminal.
        public var isAccessLeg: Bool
        /// The places `leg.from` and `leg.to` as the network names them.
        public var fromPlace: LegPlace
        public var toPlace: LegPlace
        /// `leg.transfer.place` as the network names it, when the transfer is not at `leg.to`.
        public var transferPlace: LegPlace?
        /// ISO 8601 date-times (UTC): the route part's start day plus `leg.departureHour` / `leg.arrivalHour`.
        public var etd: String
        public var eta: String
        /// The route leg: mode, service, places, hours, price, CO2e and the transfer at its end.
        public var leg: RouteLeg
    }

    /// Route totals for this route part.
    public struct Totals: Encodable, Sendable, Hashable {
        public var priceUSD: Double
        public var days: Double
        public var transitHours: Double
        public var co2eKg: Double
        public var teu: Double
        public var tonnes: Double
        public var containers: Int
    }

    /// The rail consignment note data of a train crossing borders.
    public struct CIMSMGS: Encodable, Sendable, Hashable {
        /// `CIM/SMGS` when the rail path spans both law areas, else `SMGS` or `CIM`.
        public var consignmentNoteType: String
        public var railwaySections: [RailwaySection]
        public var borderStations: [BorderStation]
        public var gaugeChanges: [GaugeChangePoint]
    }

    /// The part of the rail path in one country, on that country's railway.
    public struct RailwaySection: Encodable, Sendable, Hashable {
        public var sequence: Int
        public var countryCode: String
        /// Railway short name (`CR`, `KTZ`, `RZD`, `BCh`, `PKP`, `DB`, …) and full name.
        public var railway: String
        public var railwayName: String
        /// Legs that run (partly) in this country.
        public var legs: [Int]
        /// First and last network places in the country; absent for a country only passed through.
        public var firstPlace: LegPlace?
        public var lastPlace: LegPlace?
        /// True when the country is not at a leg's end but lies between two that do not border
        /// (Kazakhstan → Belarus passes Russia).
        public var isTransitInferred: Bool
    }

    /// A border station the train passes.
    public struct BorderStation: Encodable, Sendable, Hashable {
        public var afterLeg: Int
        public var place: LegPlace
        public var dwellHours: Double
    }

    /// A break of gauge: where and between which gauges.
    public struct GaugeChangePoint: Encodable, Sendable, Hashable {
        public var afterLeg: Int
        public var place: LegPlace
        public var gaugesMm: [Int]
    }
}

/// Railway names and CIM/SMGS law areas by country, for the consignment-note block.
enum Railways {
    /// Short and full name of a country's railway; the country code and a generic name when unknown.
    static func railway(ofCountry code: String) -> (short: String, name: String) {
        known[code] ?? (code, "Railways of \(code)")
    }

    static let known: [String: (short: String, name: String)] = [
        "CN": ("CR", "China State Railway Group"),
        "KZ": ("KTZ", "Kazakhstan Temir Zholy"),
        "RU": ("RZD", "Russian Railways"),
        "BY": ("BCh", "Belarusian Railway"),
        "PL": ("PKP", "Polish State Railways"),
        "DE": ("DB", "Deutsche Bahn"),
        "MN": ("UBTZ", "Ulaanbaatar Railway"),
        "UZ": ("UTY", "Uzbekistan Railways"),
        "KG": ("KTJ", "Kyrgyz Temir Jolu"),
        "GE": ("GR", "Georgian Railway"),
        "AZ": ("ADY", "Azerbaijan Railways"),
        "TR": ("TCDD", "Turkish State Railways"),
        "HU": ("MÁV", "Hungarian State Railways"),
        "AT": ("ÖBB", "Austrian Federal Railways"),
        "CZ": ("ČD", "Czech Railways"),
        "NL": ("ProRail", "ProRail (Dutch rail network)"),
        "BE": ("SNCB", "Belgian Railways (SNCB/NMBS)"),
        "FR": ("SNCF", "French National Railways"),
        "IT": ("FS", "Italian State Railways"),
        "ES": ("Adif", "Adif (Spanish rail network)"),
        "GR": ("OSE", "Hellenic Railways"),
        "RO": ("CFR", "Romanian Railways"),
        "VN": ("VNR", "Vietnam Railways"),
        "LA": ("LCR", "Laos–China Railway"),
        "TH": ("SRT", "State Railway of Thailand"),
        "BG": ("BDZ", "Bulgarian State Railways"),
        "SK": ("ZSSK", "Railways of the Slovak Republic"),
        "RS": ("SK", "Serbian Railways (Srbija Kargo)"),
        "MK": ("MŽ", "North Macedonian Railways"),
    ]

    /// Countries where the CIM (COTIF) side of the common note applies on China-Europe trains:
    /// the law changes at the Belarus–Poland border, so Poland counts as CIM.
    static let cimCountries: Set<String> = [
        "AT", "BE", "BG", "CH", "CZ", "DE", "DK", "ES", "FR", "GB", "GR", "HR", "HU", "IT", "LU", "NL",
        "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TR", "MK",
    ]

    /// Countries a train passes between two countries that do not border each other.
    static let transit: [String: [String]] = [
        "KZ>BY": ["RU"], "BY>KZ": ["RU"],
        "PL>NL": ["DE"], "NL>PL": ["DE"],
        "PL>AT": ["CZ"], "AT>PL": ["CZ"],
        "PL>HU": ["SK"], "HU>PL": ["SK"],
        "GR>HU": ["MK", "RS"], "HU>GR": ["RS", "MK"],
        "TR>HU": ["BG", "RS"], "HU>TR": ["RS", "BG"],
    ]
}
