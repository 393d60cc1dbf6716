import Foundation

/// One lane of the demand table: a yearly volume between two places for one cargo class.
public struct DemandLane: Sendable, Hashable {
    public var origin: PlaceCode
    public var destination: PlaceCode
    public var cargo: CargoClass
    /// Yearly volume in TEU (air lanes: tonnes ÷ tonnes per TEU).
    public var teuPerYear: Double
    /// Mean shipment size in TEU.
    public var shipmentTEU: Double
    /// Tonnes per TEU of this lane's cargo.
    public var tonnesPerTEU: Double
    /// Monthly factors, averaging 1.
    public var seasonality: [Double]
    public var corridor: Corridor
    /// Transit (中转) cargo through Chongqing's hub.
    public var isTransit: Bool
    public var line: Int

    public init(origin: PlaceCode, destination: PlaceCode, cargo: CargoClass, teuPerYear: Double, shipmentTEU: Double,
                tonnesPerTEU: Double, seasonality: [Double], corridor: Corridor, isTransit: Bool, line: Int) {
        self.origin = origin
        self.destination = destination
        self.cargo = cargo
        self.teuPerYear = teuPerYear
        self.shipmentTEU = shipmentTEU
        self.tonnesPerTEU = tonnesPerTEU
        self.seasonality = seasonality
        self.corridor = corridor
        self.isTransit = isTransit
        self.line = line
    }
}

/// Reads demand tables (docs/demand-format.md).
public enum DemandTable {
    public static let columns = ["origin", "destination", "cargo", "teuPerYear", "tonnesPerYear", "shipmentSize",
                                 "seasonality", "corridor", "transit", "source"]

    /// The largest demand table read (bytes).
    public static let maximumBytes = 16 * 1024 * 1024
    /// The smallest mean shipment (TEU): 10 kg of air cargo at 10 t a TEU.
    public static let minimumShipmentTEU = 0.001
    /// The most shipments a lane may generate in a year (the simulator keeps every one).
    public static let maximumShipmentsPerYear = 2_000_000.0

    /// Loads the table at `url`; every problem is reported with line and column. Places are
    /// resolved in `network` (through `directory` when given: a ``PlaceDirectory`` of the same
    /// network, built once for many tables).
    public static func load(_ url: URL, network: Network, displayName: String? = nil,
                            directory: PlaceDirectory? = nil) throws(InvalidInput) -> [DemandLane] {
        let file = displayName ?? url.path
        func fail(_ line: Int, _ column: String, _ message: String) -> InputIssue {
            InputIssue(location: .init(file: file, line: line), field: column.isEmpty ? "" : "column \(column)", message: message)
        }
        let data: Data
        do { data = try InputFile.read(url.path, limit: maximumBytes) } catch {
            throw InvalidInput(issues: [fail(1, "", error.message)])
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw InvalidInput(issues: [fail(1, "", "not UTF-8 text; expected a CSV file encoded as UTF-8")])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records: [(line: Int, fields: [String])]
        do { records = try CSVRecords.parse(text) } catch let error as CSVRecords.Malformed {
            throw InvalidInput(issues: [fail(error.line, "", error.message)])
        } catch { throw InvalidInput(issues: [fail(1, "", "\(error)")]) }
        guard let header = records.first else { throw InvalidInput(issues: [fail(1, "", "file is empty; expected a header line")]) }
        var issues: [InputIssue] = []
        var index: [String: Int] = [:]
        for (i, name) in header.fields.map({ $0.trimmingCharacters(in: .whitespaces) }).enumerated() {
            if columns.contains(name) { index[name] = i } else {
                issues.append(fail(header.line, name, "unknown column; expected some of \(columns.joined(separator: ", "))"))
            }
        }
        for required in ["origin", "destination", "cargo", "shipmentSize", "corridor", "source"] where index[required] == nil {
            issues.append(fail(header.line, required, "missing from the header"))
        }
        guard issues.isEmpty else { throw InvalidInput(issues: issues) }
        let directory = directory ?? PlaceDirectory(network: network)
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        var lanes: [DemandLane] = []
        var stoppedAtLine: Int?
        for record in records.dropFirst() {
            if issues.count >= InvalidInput.maximumKept {
                stoppedAtLine = record.line
                break
            }
            if record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard record.fields.count == header.fields.count else {
                issues.append(fail(record.line, "", "\(record.fields.count) fields; expected \(header.fields.count) as in the header"))
                continue
            }
            func value(_ column: String) -> String? {
                guard let i = index[column] else { return nil }
                let text = record.fields[i].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            let before = issues.count
            func bad(_ column: String, _ message: String) { issues.append(fail(record.line, column, message)) }
            var places: [PlaceCode] = []
            for column in ["origin", "destination"] {
                guard let text = value(column) else { bad(column, "empty; expected a place"); continue }
                if case .found(let place) = directory.match(text) { places.append(place.code) }
                else { bad(column, "'\(text)' is not a known place (or is ambiguous); expected a place code") }
            }
            let cargo = value("cargo").flatMap(CargoClass.init)
            if cargo == nil { bad("cargo", "'\(value("cargo") ?? "")'; expected general, reefer, vehicles or dangerous:N") }
            func positive(_ column: String) -> Double? {
                guard let text = value(column) else { return nil }
                guard let number = DecimalText.number(text), number > 0, number <= 1e9 else {
                    bad(column, "'\(text)'; expected a decimal number above 0 and at most 1e9"); return nil
                }
                return number
            }
            let teu = positive("teuPerYear"), tonnes = positive("tonnesPerYear"), size = positive("shipmentSize")
            if (teu == nil) == (tonnes == nil) && issues.count == before {
                bad("teuPerYear", "give exactly one of teuPerYear and tonnesPerYear")
            }
            if value("shipmentSize") == nil { bad("shipmentSize", "empty; expected the mean shipment size") }
            var seasonality = Array(repeating: 1.0, count: 12)
            if let text = value("seasonality") {
                let factors = text.split(separator: ";", omittingEmptySubsequences: false)
                    .map { DecimalText.number($0.trimmingCharacters(in: .whitespaces)) }
                if factors.count == 12, factors.allSatisfy({ ($0 ?? -1) >= 0 && ($0 ?? 0) <= 100 }), factors.reduce(0, { $0 + $1! }) > 0 {
                    let mean = factors.reduce(0) { $0 + $1! } / 12
                    seasonality = factors.map { $0! / mean }
                } else { bad("seasonality", "'\(text)'; expected 12 decimal factors from 0 to 100 separated by ;") }
            }
            let corridor = value("corridor").flatMap(Corridor.init(rawValue:))
            if corridor == nil { bad("corridor", "'\(value("corridor") ?? "")'; expected one of \(Corridor.allCases.map(\.rawValue).joined(separator: ", "))") }
            var transit = false
            if let text = value("transit") {
                if let flag = Bool(text.lowercased()) { transit = flag } else { bad("transit", "'\(text)'; expected true or false") }
            }
            if let source = value("source") {
                let lower = source.lowercased()
                if !(lower.contains("http") || lower.contains("estimate:")) { bad("source", "no URL and no 'estimate:'") }
            } else { bad("source", "empty; expected a URL or 'estimate: why'") }
            guard issues.count == before, places.count == 2, let cargo, let size, let corridor else { continue }
            let volumeTEU = teu ?? tonnes! / tonnesPerTEU
            let sizeTEU = teu != nil ? size : size / tonnesPerTEU
            guard sizeTEU >= minimumShipmentTEU else {
                bad("shipmentSize", "\(size) is \(sizeTEU) TEU; expected at least \(minimumShipmentTEU) TEU (\(minimumShipmentTEU * tonnesPerTEU) t)")
                continue
            }
            guard volumeTEU / sizeTEU <= maximumShipmentsPerYear else {
                bad("shipmentSize", "\(size) makes \(Int(volumeTEU / sizeTEU)) shipments a year; expected at most \(Int(maximumShipmentsPerYear)) a lane")
                continue
            }
            lanes.append(DemandLane(origin: places[0], destination: places[1], cargo: cargo, teuPerYear: volumeTEU,
                                    shipmentTEU: sizeTEU, tonnesPerTEU: tonnesPerTEU, seasonality: seasonality,
                                    corridor: corridor, isTransit: transit, line: record.line))
        }
        guard issues.isEmpty else { throw InvalidInput(issues: issues, stoppedAtLine: stoppedAtLine) }
        return lanes
    }
}
