import Foundation

/// A place or services closed or restricted for a window of days.
public struct Disruption: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case place(PlaceCode)
        case service(ServiceID)
        case servicesMatching(String)
    }
    public var name: String
    public var target: Target
    public var fromDay: Double
    public var toDay: Double
    public var capacityFactor: Double
    public var dwellFactor: Double

    public init(name: String, target: Target, fromDay: Double, toDay: Double, capacityFactor: Double, dwellFactor: Double = 1) {
        self.name = name
        self.target = target
        self.fromDay = fromDay
        self.toDay = toDay
        self.capacityFactor = capacityFactor
        self.dwellFactor = dwellFactor
    }

    /// Whether the disruption is in force at `hour`.
    public func isActive(atHour hour: Double) -> Bool { hour >= fromDay * 24 && hour < toDay * 24 }

    /// Whether it hits `service`, directly or through a place it serves.
    public func hits(_ service: Service) -> Bool {
        switch target {
        case .place(let code): service.from == code || service.to == code
        case .service(let id): service.id == id
        case .servicesMatching(let text): service.id.rawValue.contains(text)
        }
    }

    /// Reads a disruption file (docs/disruptions.md).
    public static func load(_ url: URL, network: Network, displayName: String? = nil) throws(InvalidInput) -> [Disruption] {
        let file = displayName ?? url.path
        guard let data = try? Data(contentsOf: url) else {
            throw InvalidInput(issues: [InputIssue(location: .init(file: file, line: 1), field: "", message: "cannot read the file; expected a disruption YAML file")])
        }
        let (root, sink) = try YAMLInput.parse(data, file: file)
        var out: [Disruption] = []
        for (node, path) in root.list("disruptions", expected: "a list of disruptions") ?? [] {
            guard let record = YAMLRecord.make(node, file: file, path: path, sink: sink) else { continue }
            let name = record.string("name", expected: "a name")
            let place = record.string("place", required: false)
            let service = record.string("service", required: false)
            let matching = record.string("servicesMatching", required: false)
            var target: Target?
            switch (place, service, matching) {
            case (let p?, nil, nil):
                if network.place(PlaceCode(p)) == nil { record.fail("place", "unknown place '\(p)'; expected a place code of the network") }
                else { target = .place(PlaceCode(p)) }
            case (nil, let s?, nil):
                if network.service(ServiceID(s)) == nil { record.fail("service", "unknown service '\(s)'; expected a service id of the network") }
                else { target = .service(ServiceID(s)) }
            case (nil, nil, let m?):
                if !network.services.contains(where: { $0.id.rawValue.contains(m) }) {
                    record.fail("servicesMatching", "no service id contains '\(m)'; expected text found in some service ids")
                } else { target = .servicesMatching(m) }
            default:
                record.fail("place", "expected exactly one of place, service and servicesMatching")
            }
            let from = record.number("fromDay", in: 0...366)
            let to = record.number("toDay", in: 0...366)
            if let from, let to, to <= from { record.fail("toDay", "\(to) is not after fromDay \(from); expected toDay > fromDay") }
            let capacity = record.number("capacityFactor", in: 0...1)
            let dwell = record.number("dwellFactor", required: false, in: 1...100) ?? 1
            YAMLInput.checkSource(record)
            record.rejectUnknownKeys()
            if let name, let target, let from, let to, to > from, let capacity {
                out.append(Disruption(name: name, target: target, fromDay: from, toDay: to, capacityFactor: capacity, dwellFactor: dwell))
            }
        }
        root.rejectUnknownKeys()
        guard sink.issues.isEmpty else { throw InvalidInput(issues: sink.issues) }
        return out
    }
}
