import Foundation

/// Reads a shipment list from CSV (docs/shipments-format.md), checking every row and column
/// and reporting all problems at once with file, line and column.
///
/// The parser is a small RFC 4180 reader written here rather than taken from a CSV package,
/// because every message must name the physical line of a record, and quoted fields may
/// span lines; the CSV packages available report record indices only.
public enum ShipmentList {
    public static let columns = ["id", "origin", "destination", "teu", "tonnes", "cargo", "ready", "deadline",
                                 "valueUSD", "shipper", "consignee", "description", "hsCode"]

    /// The most rows a shipment list may have: counted before the rows are parsed, so a file of
    /// millions of empty rows is refused at once instead of parsed into gigabytes.
    public static let maximumRows = 2_000_000

    /// Loads `url`; places are resolved in `network` (through `directory` when given: a
    /// ``PlaceDirectory`` of the same network, built once for many lists).
    /// - Throws: ``InvalidInput`` with every problem found.
    public static func load(_ url: URL, network: Network, displayName: String? = nil,
                            directory: PlaceDirectory? = nil) throws(InvalidInput) -> [Shipment] {
        let name = displayName ?? url.path
        let data: Data
        do {
            data = try InputFile.read(url.path, limit: 64 * 1024 * 1024)
        } catch {
            throw InvalidInput(issues: [InputIssue(location: .init(file: name, line: 1), field: "", message: error.message)])
        }
        return try parse(data, file: name, network: network, directory: directory)
    }

    /// Parses CSV bytes named `file` in messages; places are resolved as in ``load(_:network:displayName:directory:)``.
    public static func parse(_ data: Data, file: String, network: Network,
                             directory: PlaceDirectory? = nil) throws(InvalidInput) -> [Shipment] {
        func fail(_ line: Int, _ column: String, _ message: String) -> InputIssue {
            InputIssue(location: .init(file: file, line: line), field: column.isEmpty ? "" : "column \(column)", message: message)
        }
        guard data.count <= 64 * 1024 * 1024 else {
            throw InvalidInput(issues: [fail(1, "", "file is \(data.count) bytes; expected at most 64 MiB")])
        }
        let lines = data.reduce(into: 0) { count, byte in if byte == 0x0A { count += 1 } }
        guard lines <= maximumRows else {
            throw InvalidInput(issues: [fail(1, "", "\(lines) lines; expected at most \(maximumRows) rows (split the list)")])
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw InvalidInput(issues: [fail(1, "", "not UTF-8 text; expected a CSV file encoded as UTF-8")])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var issues: [InputIssue] = []
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSVRecords.parse(text)
        } catch let error as CSVRecords.Malformed {
            throw InvalidInput(issues: [fail(error.line, "", error.message)])
        } catch {
            throw InvalidInput(issues: [fail(1, "", "\(error)")])
        }
        guard let header = records.first else {
            throw InvalidInput(issues: [fail(1, "", "file is empty; expected a header line: \(columns.joined(separator: ","))")])
        }
        var index: [String: Int] = [:]
        for (i, rawName) in header.fields.enumerated() {
            let name = rawName.trimmingCharacters(in: .whitespaces)
            if !columns.contains(name) {
                let hint = columns.min { editDistance($0, name) < editDistance($1, name) }.flatMap {
                    editDistance($0, name) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
                issues.append(fail(header.line, name, "unknown column\(hint); expected some of \(columns.joined(separator: ", "))"))
            } else if index[name] != nil {
                issues.append(fail(header.line, name, "column given twice; expected it once"))
            } else {
                index[name] = i
            }
        }
        for required in ["id", "origin", "destination", "ready", "deadline"] where index[required] == nil {
            issues.append(fail(header.line, required, "missing from the header; expected a column named '\(required)'"))
        }
        if index["teu"] == nil && index["tonnes"] == nil {
            issues.append(fail(header.line, "teu", "neither teu nor tonnes in the header; expected at least one of them"))
        }
        guard issues.isEmpty else { throw InvalidInput(issues: issues) }

        let directory = directory ?? PlaceDirectory(network: network)
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        var shipments: [Shipment] = []
        var seen: [String: Int] = [:]
        var stoppedAtLine: Int?
        for record in records.dropFirst() {
            if issues.count >= InvalidInput.maximumKept {
                stoppedAtLine = record.line
                break
            }
            let line = record.line
            if record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard record.fields.count == header.fields.count else {
                issues.append(fail(line, "", "\(record.fields.count) fields; expected \(header.fields.count) as in the header"))
                continue
            }
            func value(_ column: String) -> String? {
                guard let i = index[column] else { return nil }
                let text = record.fields[i].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            var ok = true
            func bad(_ column: String, _ message: String) {
                issues.append(fail(line, column, message))
                ok = false
            }
            let id = value("id") ?? ""
            if id.isEmpty { bad("id", "empty; expected a shipment id") }
            else if !((1...35).contains(id.count) && id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })) {
                bad("id", "'\(clip(id))'; expected 1–35 of A–Z a–z 0–9 . _ -")
            } else if let first = seen[id] {
                bad("id", "'\(id)' is already used on line \(first); expected a unique id")
            } else {
                seen[id] = line
            }
            var places: [String: PlaceCode] = [:]
            for column in ["origin", "destination"] {
                guard let text = value(column) else { bad(column, "empty; expected a place code or name"); continue }
                switch directory.match(text) {
                case .found(let place): places[column] = place.code
                case .ambiguous(let candidates):
                    bad(column, "'\(clip(text))' is ambiguous: \(candidates.prefix(4).map { "\($0.code) (\($0.name))" }.joined(separator: ", ")); expected one place")
                case .unknown(let closest):
                    let hint = closest.isEmpty ? "" : " (closest: \(closest.prefix(3).map(\.code.rawValue).joined(separator: ", ")))"
                    bad(column, "'\(clip(text))' is not a known place\(hint); expected a place code, IATA code, name or alias")
                }
            }
            if let o = places["origin"], o == places["destination"] { bad("destination", "'\(o)' equals the origin; expected another place") }
            let teu = number(value("teu"), column: "teu", range: 0...10_000, bad: bad)
            let tonnes = number(value("tonnes"), column: "tonnes", range: 0...100_000, bad: bad)
            if value("teu") == nil && value("tonnes") == nil { bad("teu", "empty, and tonnes is empty too; expected a volume in teu or tonnes") }
            var cargo = CargoClass.general
            if let text = value("cargo") {
                if let parsed = CargoClass(text) { cargo = parsed }
                else { bad("cargo", "'\(clip(text))'; expected general, reefer, vehicles or dangerous:N with N from 1 to 9") }
            }
            var ready: CalendarDay?
            if let text = value("ready") {
                ready = CalendarDay(iso: text)
                if ready == nil { bad("ready", "'\(clip(text))'; expected a date YYYY-MM-DD") }
            } else { bad("ready", "empty; expected a date YYYY-MM-DD") }
            var deadline: CalendarDay?
            if let text = value("deadline") {
                if let day = CalendarDay(iso: text) {
                    deadline = day
                } else if text.hasSuffix("d"), let days = Int(text.dropLast()), (1...730).contains(days) {
                    deadline = ready?.adding(days: days)
                } else {
                    bad("deadline", "'\(clip(text))'; expected a date YYYY-MM-DD or a number of days after ready such as 30d (1–730)")
                }
                if let ready, let deadline, deadline < ready {
                    bad("deadline", "\(deadline) is before ready \(ready); expected a day on or after ready")
                }
            } else { bad("deadline", "empty; expected a date YYYY-MM-DD or days after ready such as 30d") }
            let valueUSD = number(value("valueUSD"), column: "valueUSD", range: 0...1e12, allowZero: true, bad: bad)
            var hsCode: String?
            if let text = value("hsCode") {
                if (6...10).contains(text.count) && text.allSatisfy({ $0.isASCII && $0.isNumber }) { hsCode = text }
                else { bad("hsCode", "'\(clip(text))'; expected 6 to 10 digits") }
            }
            var texts: [String: String] = [:]
            for column in ["shipper", "consignee", "description"] {
                guard let text = value(column) else { continue }
                if text.count > 200 { bad(column, "text of \(text.count) characters; expected at most 200") }
                else { texts[column] = text }
            }
            guard ok, let origin = places["origin"], let destination = places["destination"], let ready, let deadline else { continue }
            let volumeTEU = teu ?? (tonnes! / tonnesPerTEU)
            shipments.append(Shipment(
                id: ShipmentID(id), origin: origin, destination: destination, teu: volumeTEU,
                tonnes: tonnes ?? volumeTEU * tonnesPerTEU, cargo: cargo, ready: ready, deadline: deadline,
                valueUSD: valueUSD, shipper: texts["shipper"], consignee: texts["consignee"],
                descriptionOfGoods: texts["description"], hsCode: hsCode, line: line))
        }
        if shipments.isEmpty && issues.isEmpty {
            issues.append(fail(records.first?.line ?? 1, "", "no shipments; expected at least one row after the header"))
        }
        guard issues.isEmpty else { throw InvalidInput(issues: issues, stoppedAtLine: stoppedAtLine) }
        return shipments
    }

    private static func number(_ text: String?, column: String, range: ClosedRange<Double>, allowZero: Bool = false,
                               bad: (String, String) -> Void) -> Double? {
        guard let text else { return nil }
        guard let value = DecimalText.number(text) else {
            bad(column, "'\(clip(text))'; expected a decimal number")
            return nil
        }
        guard range.contains(value), allowZero || value > 0 else {
            bad(column, "\(text) is out of range; expected \(allowZero ? "" : "above ")\(Int(range.lowerBound)) to \(Int(range.upperBound))")
            return nil
        }
        return value
    }

    private static func clip(_ text: String) -> String { text.count > 40 ? String(text.prefix(37)) + "..." : text }
}

/// RFC 4180 records with the line each starts on.
enum CSVRecords {
    struct Malformed: Error {
        var line: Int
        var message: String
    }

    static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var afterQuote = false
        var iterator = Array(text.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            if scalar == "\u{0}" {
                throw Malformed(line: line, message: "a NUL character; expected text (is this a binary file?)")
            }
            if inQuotes {
                if scalar == "\"" {
                    if iterator.first == "\"" { iterator.removeFirst(); field.unicodeScalars.append("\"") }
                    else { inQuotes = false; afterQuote = true }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty && !afterQuote else {
                    throw Malformed(line: line, message: "a quote inside an unquoted field; expected \"…\" around the whole field, with \"\" for a quote")
                }
                inQuotes = true
                quoteLine = line
            case ",":
                fields.append(field); field = ""; afterQuote = false
            case "\r":
                if iterator.first != "\n" { field.unicodeScalars.append(scalar) }
            case "\n":
                fields.append(field); field = ""; afterQuote = false
                records.append((recordLine, fields)); fields = []
                line += 1
                recordLine = line
            default:
                if afterQuote {
                    throw Malformed(line: line, message: "text after a closing quote; expected a comma or the end of the line")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw Malformed(line: quoteLine, message: "a quoted field is never closed; expected a closing \"") }
        if !field.isEmpty || !fields.isEmpty || afterQuote {
            fields.append(field)
            records.append((recordLine, fields))
        }
        // Blank lines before the header are ignored, as blank lines elsewhere are.
        let firstUsed = records.firstIndex { !($0.fields.count == 1 && $0.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) }
        return Array(records[(firstUsed ?? records.endIndex)...])
    }
}
