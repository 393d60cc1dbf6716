/// How a leg moves: the five modes of the network.
public enum TransportMode: String, CaseIterable, Sendable, Codable, Hashable {
    case rail, sea, inlandWater, road, air
}

/// The transport system a service belongs to.
public enum Corridor: String, CaseIterable, Sendable, Codable, Hashable {
    /// China-Europe Railway Express, including Central Asia and the southern (Caspian) corridor.
    case chinaEurope
    /// New Western Land-Sea Corridor: Beibu Gulf rail-sea, Laos, Vietnam, cross-border trucks.
    case landSea
    case yangtze
    case air
    case ocean
    /// Connecting links inside China (hub shuttles, trunk roads).
    case domestic
}

/// What a place is, for display and lookup.
public enum PlaceKind: String, CaseIterable, Sendable, Codable, Hashable {
    case city, inlandHub, railTerminal, riverPort, seaport, airport, borderCrossing, gaugeChange, lock
}

/// A cargo class a shipment declares and a service accepts.
public enum CargoClass: Hashable, Sendable, CustomStringConvertible, Codable {
    case general
    case reefer
    case vehicles
    /// Dangerous goods of an IMDG/RID class, 1–9.
    case dangerous(Int)

    /// Parses `general`, `reefer`, `vehicles` or `dangerous:N` (N in 1…9).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "general": self = .general
        case "reefer": self = .reefer
        case "vehicles": self = .vehicles
        default:
            let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "dangerous", let n = Int(parts[1]), (1...9).contains(n)
            else { return nil }
            self = .dangerous(n)
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CargoClass(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown cargo class '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        switch self {
        case .general: "general"
        case .reefer: "reefer"
        case .vehicles: "vehicles"
        case .dangerous(let n): "dangerous:\(n)"
        }
    }
}

/// The cargo classes a service accepts.
public struct CargoAcceptance: Hashable, Sendable {
    public var general = false
    public var reefer = false
    public var vehicles = false
    /// Accepted dangerous-goods classes (1…9).
    public var dangerousClasses: Set<Int> = []

    public init() {}

    /// Whether the service takes `cargo`.
    public func accepts(_ cargo: CargoClass) -> Bool {
        switch cargo {
        case .general: general
        case .reefer: reefer
        case .vehicles: vehicles
        case .dangerous(let n): dangerousClasses.contains(n)
        }
    }

    /// The entries as written in a network file (`dangerous` when every class is accepted).
    public var names: [String] {
        var out: [String] = []
        if general { out.append("general") }
        if reefer { out.append("reefer") }
        if vehicles { out.append("vehicles") }
        if dangerousClasses.count == 9 {
            out.append("dangerous")
        } else {
            out += dangerousClasses.sorted().map { "dangerous:\($0)" }
        }
        return out
    }
}
