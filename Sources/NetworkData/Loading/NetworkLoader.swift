import Foundation
internal import Yams

/// Loads a network from its YAML manifest and part files, validating everything.
///
/// Every problem is collected (not just the first) and thrown together as ``InvalidInput``,
/// each naming file, line, field, the bad value and what is expected.
public enum NetworkLoader {
    /// Sanity limits for numbers in network files.
    public enum Limits {
        public static let distanceKm = 0.0...25_000
        public static let hours = 0.0...2_000
        public static let priceUSD = 0.0...1_000_000
        public static let priceUSDPerKg = 0.0...1_000
        /// At least one departure in about a year (0.02 a week): a rarer service never runs in
        /// the simulated year, and its headway (hours between departures) outgrows the clock.
        public static let departuresPerWeek = 0.02...2_000
        public static let capacity = 0.0...100_000
        public static let co2 = 0.0...5_000
    }

    /// Loads the network whose manifest is at `url`, plus places and services added by a
    /// scenario (read and checked exactly like an included file's).
    /// - Throws: ``InvalidInput`` listing every problem found.
    /// - Complexity: O(size of the files + p log p + s) for p places and s services.
    public static func load(manifest url: URL, additions: [NetworkAddition] = []) throws(InvalidInput) -> Network {
        var state = LoadState(root: url.deletingLastPathComponent())
        let manifestName = state.displayName(url)
        guard let node = state.read(url, displayName: manifestName, location: nil) else {
            throw InvalidInput(issues: state.sink.issues)
        }
        state.additions = additions
        let network = state.readManifest(node, file: manifestName)
        let issues = state.sink.issues
        guard issues.isEmpty, let network else { throw InvalidInput(issues: issues) }
        return network
    }

    /// Parses YAML text as a one-file network (for tests and tools); `file` names it in messages.
    public static func load(yaml: String, file: String = "network.yaml") throws(InvalidInput) -> Network {
        var state = LoadState(root: URL(fileURLWithPath: "."))
        guard let node = YAMLDocument.parse(Data(yaml.utf8), file: file, issues: &state.sink.issues) else {
            throw InvalidInput(issues: state.sink.issues)
        }
        let network = state.readManifest(node, file: file, allowIncludes: false)
        let issues = state.sink.issues
        guard issues.isEmpty, let network else { throw InvalidInput(issues: issues) }
        return network
    }
}

/// Places and services a scenario adds to a network: a YAML mapping with `places` and/or
/// `services` lists in the network format, read from another file (line numbers stay its own).
public struct NetworkAddition: @unchecked Sendable {
    /// The mapping node (Yams nodes are immutable values).
    var node: Node
    /// The file the node was read from, for messages.
    public var file: String
    /// The field path of the mapping in that file, e.g. `edits[2].addServices`.
    public var path: String

    init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }
}

private struct LoadState {
    let root: URL
    let sink = YAMLRecord.IssueSink()
    var places: [Place] = []
    var services: [Service] = []
    var files: [String] = []
    var additions: [NetworkAddition] = []
    var targets: [Target] = []
    var hub: Hub?

    init(root: URL) { self.root = root }

    func displayName(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    mutating func read(_ url: URL, displayName: String, location: SourceLocation?) -> Node? {
        let data: Data
        do {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                sink.issues.append(.init(location: location ?? .init(file: displayName, line: 1), field: location == nil ? "" : "include",
                                         message: "file '\(displayName)' does not exist; expected a network YAML file"))
                return nil
            }
            guard !isDirectory.boolValue else {
                sink.issues.append(.init(location: location ?? .init(file: displayName, line: 1), field: "",
                                         message: "'\(displayName)' is a directory; expected a network YAML file"))
                return nil
            }
            data = try Data(contentsOf: url)
        } catch {
            sink.issues.append(.init(location: location ?? .init(file: displayName, line: 1), field: "",
                                     message: "cannot read '\(displayName)': \(error.localizedDescription)"))
            return nil
        }
        files.append(displayName)
        return YAMLDocument.parse(data, file: displayName, issues: &sink.issues)
    }

    mutating func readManifest(_ node: Node, file: String, allowIncludes: Bool = true) -> Network? {
        guard let manifest = YAMLRecord.make(node, file: file, path: "", sink: sink) else { return nil }
        let name = manifest.string("network", expected: "the network's name")
        let description = manifest.string("description", required: false) ?? ""
        let tonnesPerTEU = manifest.number("tonnesPerTEU", in: 0...40, positive: true, unit: "t") ?? 10
        var defaults = NetworkDefaults(handling: Handling(hours: 6, costUSDPerTEU: 50), connectionHours: 2, tonnesPerTEU: tonnesPerTEU)
        if let record = manifest.record("defaults", expected: "a mapping with handling and connectionHours") {
            if let handling = readHandling(record, key: "handling", required: true) { defaults.handling = handling }
            if let hours = record.number("connectionHours", in: NetworkLoader.Limits.hours) { defaults.connectionHours = hours }
            if let co2 = record.number("accessCO2eGramsPerTonneKm", required: false, in: NetworkLoader.Limits.co2) {
                defaults.accessCO2eGramsPerTonneKm = co2
            }
            record.rejectUnknownKeys()
        }
        checkSource(manifest)
        readPlanParts(manifest)
        readParts(manifest)
        let includes = manifest.list("include", required: false, expected: "a list of file names") ?? []
        if !includes.isEmpty && !allowIncludes {
            manifest.fail("include", "includes are not allowed here; expected a self-contained network")
        } else {
            for (node, path) in includes {
                let line = node.mark?.line ?? manifest.line
                guard let relative = node.scalar?.string, !relative.isEmpty, !relative.contains("\0") else {
                    sink.issues.append(.init(location: .init(file: file, line: line), field: path,
                                             message: "\(YAMLRecord.describe(node)); expected a file name"))
                    continue
                }
                let url = URL(fileURLWithPath: relative, relativeTo: root).standardizedFileURL
                let shown = displayName(url)
                guard !files.contains(shown) else {
                    sink.issues.append(.init(location: .init(file: file, line: line), field: path,
                                             message: "'\(relative)' is included twice; expected each file once"))
                    continue
                }
                guard let partNode = read(url, displayName: shown, location: .init(file: file, line: line)),
                      let part = YAMLRecord.make(partNode, file: shown, path: "", sink: sink)
                else { continue }
                _ = part.string("description", required: false)
                _ = part.string("source", required: false)
                readPlanParts(part)
                readParts(part)
                part.rejectUnknownKeys()
            }
        }
        for addition in additions {
            guard let part = YAMLRecord.make(addition.node, file: addition.file, path: addition.path, sink: sink) else { continue }
            readParts(part)
            part.rejectUnknownKeys()
        }
        manifest.rejectUnknownKeys()
        guard let name else { return nil }
        let network = Network(name: name, description: description, defaults: defaults, places: places,
                              services: services, targets: targets, hub: hub, files: files)
        NetworkChecks(network: network, sink: sink).run()
        return network
    }

    mutating func readParts(_ record: YAMLRecord) {
        for (node, path) in record.list("places", required: false, expected: "a list of places") ?? [] {
            guard let place = YAMLRecord.make(node, file: record.file, path: path, sink: sink) else { continue }
            if let value = readPlace(place) { places.append(value) }
        }
        for (node, path) in record.list("services", required: false, expected: "a list of services") ?? [] {
            guard let service = YAMLRecord.make(node, file: record.file, path: path, sink: sink) else { continue }
            services += readService(service)
        }
    }

    /// Reads what the simulator measures and checks: `targets` and the `hub` (manifest or part
    /// file; a scenario's additions hold neither).
    mutating func readPlanParts(_ record: YAMLRecord) {
        for (node, path) in record.list("targets", required: false, expected: "a list of targets") ?? [] {
            if let target = readTarget(node, file: record.file, path: path) { targets.append(target) }
        }
        guard record.has("hub") else { return }
        if let first = hub {
            record.fail("hub", "a second hub (the first is at \(first.location)); expected one hub per network")
            _ = record.record("hub", required: false, expected: "a hub")
            return
        }
        hub = readHub(record)
    }

    func checkSource(_ record: YAMLRecord) { YAMLInput.checkSource(record) }

    func readHandling(_ parent: YAMLRecord, key: String, required: Bool) -> Handling? {
        guard let record = parent.record(key, required: required, expected: "a mapping {hours, costUSDPerTEU}") else { return nil }
        let hours = record.number("hours", in: NetworkLoader.Limits.hours, unit: "h")
        let cost = record.number("costUSDPerTEU", in: NetworkLoader.Limits.priceUSD, unit: "USD")
        record.rejectUnknownKeys()
        guard let hours, let cost else { return nil }
        return Handling(hours: hours, costUSDPerTEU: cost)
    }

    func readTarget(_ node: Node, file: String, path: String) -> Target? {
        guard let record = YAMLRecord.make(node, file: file, path: path, sink: sink) else { return nil }
        let id = record.string("id", expected: "the target's id")
        if let id, !Target.isWellFormed(id: id) {
            record.fail("id", "value '\(YAMLRecord.truncate(id))'; expected 1–60 of A–Z a–z 0–9 . _ -, starting with a letter")
        }
        let description = record.string("description", expected: "what the target measures")
        let kpi = record.choice("kpi", as: SimulationKPI.self)
        let comparison = record.choice("comparison", as: TargetComparison.self)
        let year = record.integer("year", in: 2000...2100)
        let value = record.number("value", in: -1e12...1e12)
        let unit = record.string("unit", expected: "the unit, e.g. trains/year")
        var baseline: TargetBaseline?
        if let sub = record.record("baseline", required: false, expected: "a mapping {year, value, unit, source}") {
            let baseYear = sub.integer("year", in: 2000...2100)
            let baseValue = sub.number("value", in: 0...1e12, positive: true)
            let baseUnit = sub.string("unit", expected: "the unit of the KPI, e.g. TEU")
            checkSource(sub)
            let baseSource = sub.string("source", required: false) ?? ""
            sub.rejectUnknownKeys()
            if let baseYear, let year, baseYear >= year {
                sub.fail("year", "value \(baseYear) is not before the target's year \(year); expected an earlier year")
            } else if let baseYear, let baseValue, let baseUnit {
                baseline = TargetBaseline(year: baseYear, value: baseValue, unit: baseUnit, source: baseSource)
            }
        }
        if let value, !record.has("baseline"), value < 0 {
            record.fail("value", "value \(YAMLRecord.format(value)) is negative; expected a threshold of 0 or more (a negative growth needs a baseline)")
        }
        var cumulative: TargetCumulation?
        if let sub = record.record("cumulative", required: false, expected: "a mapping {fromYear, actuals}") {
            let fromYear = sub.integer("fromYear", in: 2000...2100)
            var actuals: [TargetBaseline] = []
            for (node, itemPath) in sub.list("actuals", required: false, expected: "a list of {year, value, unit, source}") ?? [] {
                guard let item = YAMLRecord.make(node, file: file, path: itemPath, sink: sink) else { continue }
                let actualYear = item.integer("year", in: 2000...2100)
                let actualValue = item.number("value", in: 0...1e12)
                let actualUnit = item.string("unit", expected: "the unit of the KPI, e.g. documents")
                checkSource(item)
                let actualSource = item.string("source", required: false) ?? ""
                item.rejectUnknownKeys()
                if let actualYear, let fromYear, let year, !(fromYear...max(fromYear, year)).contains(actualYear) {
                    item.fail("year", "value \(actualYear) is outside the summed years \(fromYear)–\(year); expected a year in that range")
                } else if let actualYear, actuals.contains(where: { $0.year == actualYear }) {
                    item.fail("year", "value \(actualYear) is given twice; expected one actual per year")
                } else if let actualYear, let actualValue, let actualUnit {
                    actuals.append(TargetBaseline(year: actualYear, value: actualValue, unit: actualUnit, source: actualSource))
                }
            }
            sub.rejectUnknownKeys()
            if let fromYear, let year, fromYear > year {
                sub.fail("fromYear", "value \(fromYear) is after the target's year \(year); expected the first year summed, at most \(year)")
            } else if let fromYear {
                cumulative = TargetCumulation(fromYear: fromYear, actuals: actuals.sorted { $0.year < $1.year })
            }
            if record.has("baseline") {
                record.fail("cumulative", "given with a baseline; expected one of baseline (growth) or cumulative (a sum over years)")
            }
        }
        let note = record.string("note", required: false)
        let unmeasuredNote = record.string("unmeasuredNote", required: false)
        checkSource(record)
        let source = record.string("source", required: false) ?? ""
        record.rejectUnknownKeys()
        guard let id, Target.isWellFormed(id: id), let description, let kpi, let comparison, let year, let value, let unit,
              baseline != nil || (!record.has("baseline") && value >= 0)
        else { return nil }
        return Target(id: id, description: description, year: year, value: value, unit: unit, source: source, kpi: kpi,
                      comparison: comparison, baseline: baseline, cumulative: cumulative, note: note, unmeasuredNote: unmeasuredNote,
                      location: record.recordLocation, fieldLines: ["kpi": record.location(of: "kpi").line])
    }

    func readHub(_ parent: YAMLRecord) -> Hub? {
        guard let record = parent.record("hub", required: false, expected: "a mapping {name, cities, airport, timedJourney, airRoutes, oneBill, source}")
        else { return nil }
        let name = record.string("name", expected: "the hub's name")
        let cities = record.strings("cities", expected: "a list of city place codes")
        if let cities, cities.isEmpty { record.fail("cities", "empty list; expected at least one city place code") }
        let airport = record.string("airport", required: false, expected: "an airport place code").map { PlaceCode(rawValue: $0) }
        var journey: TimedJourney?
        if let sub = record.record("timedJourney", required: false, expected: "a mapping {toCountry, throughCountry}") {
            var countries: [String] = []
            for key in ["toCountry", "throughCountry"] {
                guard let country = sub.string(key, expected: "an ISO 3166-1 alpha-2 country code") else { continue }
                if country.count == 2 && country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                    countries.append(country)
                } else {
                    sub.fail(key, "value '\(YAMLRecord.truncate(country))'; expected an ISO 3166-1 alpha-2 code such as TH")
                }
            }
            sub.rejectUnknownKeys()
            if countries.count == 2 { journey = TimedJourney(toCountry: countries[0], throughCountry: countries[1]) }
        }
        var airRoutes: AirRouteRule?
        if let sub = record.record("airRoutes", required: false,
                                   expected: "a mapping {minimumLoadFactor, minimumShareOfWeeks, passengerServiceSuffix, source}") {
            let loadFactor = sub.number("minimumLoadFactor", in: 0...1)
            let share = sub.number("minimumShareOfWeeks", in: 0...1)
            let suffix = sub.string("passengerServiceSuffix", required: false, expected: "the end of passenger services' ids, e.g. -PAX")
            if let suffix, suffix.isEmpty { sub.fail("passengerServiceSuffix", "empty text; expected the end of passenger services' ids, e.g. -PAX") }
            checkSource(sub)
            let ruleSource = sub.string("source", required: false) ?? ""
            sub.rejectUnknownKeys()
            if airport == nil { record.fail("airRoutes", "given, but the hub names no airport; expected airport: with the airport's place code") }
            if let loadFactor, let share {
                airRoutes = AirRouteRule(minimumLoadFactor: loadFactor, minimumShareOfWeeks: share,
                                         passengerServiceSuffix: suffix?.isEmpty == true ? nil : suffix, source: ruleSource)
            }
        }
        var oneBill: OneBillRule?
        if let sub = record.record("oneBill", required: false, expected: "a mapping {adoptionShare, source}") {
            let share = sub.number("adoptionShare", in: 0...1)
            checkSource(sub)
            let ruleSource = sub.string("source", required: false) ?? ""
            sub.rejectUnknownKeys()
            if let share { oneBill = OneBillRule(adoptionShare: share, source: ruleSource) }
        }
        checkSource(record)
        let source = record.string("source", required: false) ?? ""
        record.rejectUnknownKeys()
        guard let name, let cities, !cities.isEmpty else { return nil }
        return Hub(name: name, cities: cities.map { PlaceCode(rawValue: $0) }, airport: airport, timedJourney: journey,
                   airRoutes: airRoutes, oneBill: oneBill, source: source, location: record.recordLocation,
                   fieldLines: ["cities": record.location(of: "cities").line, "airport": record.location(of: "airport").line])
    }

    func readPlace(_ record: YAMLRecord) -> Place? {
        let codeText = record.string("code", expected: "a place code such as CNCQD, CNYIC-TGL or LA-VTE-SOUTH")
        if let codeText, !PlaceCode.isWellFormed(codeText) {
            record.fail("code", "value '\(YAMLRecord.truncate(codeText))' is not a place code; expected a UN/LOCODE (CNCQD), a LOCODE with a suffix (CNYIC-TGL) or a country code with a name (LA-VTE-SOUTH), upper case")
        }
        let name = record.string("name", expected: "the place's English name")
        let nameZh = record.string("nameZh", required: false)
        let country = record.string("country", expected: "an ISO 3166-1 alpha-2 country code")
        if let country, !(country.count == 2 && country.allSatisfy { $0.isASCII && $0.isUppercase }) {
            record.fail("country", "value '\(YAMLRecord.truncate(country))'; expected an ISO 3166-1 alpha-2 code such as CN")
        }
        var longitude: Double?, latitude: Double?
        if let lonLat = record.numbers("lonLat", in: -180...180, count: 2...2) {
            longitude = lonLat[0]
            if abs(lonLat[1]) > 90 {
                record.fail("lonLat", "latitude \(lonLat[1]) is out of range; expected [longitude, latitude] with latitude from -90 to 90")
            } else {
                latitude = lonLat[1]
            }
        }
        let kind = record.choice("kind", as: PlaceKind.self)
        let city = record.string("city", required: false).map { PlaceCode(rawValue: $0) }
        var cityAccess: CityAccess?
        if let access = record.record("cityAccess", required: city != nil, expected: "a mapping {distanceKm, hours, costUSDPerTEU} for the road leg to the city") {
            let distance = access.number("distanceKm", in: NetworkLoader.Limits.distanceKm, unit: "km")
            let hours = access.number("hours", in: NetworkLoader.Limits.hours, unit: "h")
            let cost = access.number("costUSDPerTEU", in: NetworkLoader.Limits.priceUSD, unit: "USD")
            access.rejectUnknownKeys()
            if let distance, let hours, let cost { cityAccess = CityAccess(distanceKm: distance, hours: hours, costUSDPerTEU: cost) }
        }
        let iata = record.string("iata", required: false)
        if let iata, !(iata.count == 3 && iata.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            record.fail("iata", "value '\(YAMLRecord.truncate(iata))'; expected a three-letter IATA code such as CKG")
        }
        let aliases = record.strings("aliases", required: false, expected: "a list of names") ?? []
        let handling = readHandling(record, key: "handling", required: false)
        var dwell: Dwell?
        if let sub = record.record("dwell", required: false, expected: "a mapping {meanHours, p90Hours}") {
            let mean = sub.number("meanHours", in: NetworkLoader.Limits.hours, unit: "h")
            let p90 = sub.number("p90Hours", in: NetworkLoader.Limits.hours, unit: "h")
            sub.rejectUnknownKeys()
            if let mean, let p90 {
                if p90 < mean {
                    sub.fail("p90Hours", "value \(YAMLRecord.format(p90)) is below meanHours \(YAMLRecord.format(mean)); expected p90Hours ≥ meanHours")
                } else {
                    dwell = Dwell(meanHours: mean, p90Hours: p90)
                }
            }
        }
        var gaugeChange: GaugeChange?
        if let sub = record.record("gaugeChange", required: false, expected: "a mapping {gaugesMm, hours, costUSDPerTEU}") {
            let gauges = sub.numbers("gaugesMm", in: 600...1700, count: 2...2)
            let hours = sub.number("hours", in: NetworkLoader.Limits.hours, unit: "h")
            let cost = sub.number("costUSDPerTEU", in: NetworkLoader.Limits.priceUSD, unit: "USD")
            sub.rejectUnknownKeys()
            if let gauges, gauges[0] == gauges[1] {
                sub.fail("gaugesMm", "both gauges are \(YAMLRecord.format(gauges[0])) mm; expected two different track gauges")
            } else if let gauges, let hours, let cost {
                gaugeChange = GaugeChange(gaugesMm: gauges.map { Int($0) }, hours: hours, costUSDPerTEU: cost)
            }
        }
        var throughput: Throughput?
        if let sub = record.record("throughput", required: false, expected: "a mapping {unitsPerDay, peakUnitsPerDay, unit, teuPerUnit, observedUnitsPerDay}") {
            let perDay = sub.number("unitsPerDay", in: 0...100_000, positive: true)
            let peak = sub.number("peakUnitsPerDay", required: false, in: 0...100_000, positive: true)
            let unit = sub.string("unit", expected: "trains, lockages, vessels, trucks or flights")
            if let unit, !["trains", "lockages", "vessels", "trucks", "flights"].contains(unit) {
                sub.fail("unit", "value '\(YAMLRecord.truncate(unit))' is unknown; expected trains, lockages, vessels, trucks or flights")
            }
            let teu = sub.number("teuPerUnit", required: false, in: NetworkLoader.Limits.capacity, positive: true)
            let observed = sub.number("observedUnitsPerDay", required: false, in: 0...100_000, positive: true)
            sub.rejectUnknownKeys()
            if let perDay, let peak, peak < perDay {
                sub.fail("peakUnitsPerDay", "value \(YAMLRecord.format(peak)) is below unitsPerDay \(YAMLRecord.format(perDay)); expected peak ≥ normal")
            } else if let perDay, let observed, observed > perDay {
                sub.fail("observedUnitsPerDay", "value \(YAMLRecord.format(observed)) is above unitsPerDay \(YAMLRecord.format(perDay)); expected what the place handled, at most its throughput")
            } else if let perDay, let unit {
                throughput = Throughput(unitsPerDay: perDay, peakUnitsPerDay: peak, unit: unit, teuPerUnit: teu,
                                        observedUnitsPerDay: observed)
            }
        }
        let backgroundTraffic = readBackgroundTraffic(record, throughput: throughput)
        let reformsTrains = record.bool("reformsTrains")
        if reformsTrains == false, kind == .gaugeChange || gaugeChange != nil {
            record.fail("reformsTrains", "false at a change of gauge; expected true or no reformsTrains (every container changes wagons here, so every train is re-formed)")
        }
        checkSource(record)
        let source = record.string("source", required: false) ?? ""
        record.rejectUnknownKeys()
        guard let codeText, PlaceCode.isWellFormed(codeText), let name, let country, let longitude, let latitude, let kind
        else { return nil }
        return Place(code: PlaceCode(codeText), name: name, nameZh: nameZh, country: country, longitude: longitude,
                     latitude: latitude, kind: kind, city: city, cityAccess: cityAccess, iata: iata, aliases: aliases,
                     handling: handling, dwell: dwell, gaugeChange: gaugeChange, throughput: throughput,
                     backgroundTraffic: backgroundTraffic, declaredReformsTrains: reformsTrains, source: source,
                     location: record.recordLocation, fieldLines: ["city": record.location(of: "city").line])
    }

    /// `backgroundTraffic: {vehiclesPerDay, byMonth, source}` of a place with a `throughput`: the
    /// mean must stay below the throughput, or the shared queue would grow without end.
    func readBackgroundTraffic(_ record: YAMLRecord, throughput: Throughput?) -> BackgroundTraffic? {
        guard let sub = record.record("backgroundTraffic", required: false,
                                      expected: "a mapping {vehiclesPerDay, byMonth, source}") else { return nil }
        let perDay = sub.number("vehiclesPerDay", in: 0...100_000, positive: true)
        let byMonth = sub.numbers("byMonth", required: false, in: 0...5, count: 12...12)
        YAMLInput.checkSource(sub)
        let source = sub.string("source", required: false) ?? ""
        sub.rejectUnknownKeys()
        if let byMonth {
            let mean = byMonth.reduce(0, +) / 12
            if abs(mean - 1) > 0.02 {
                sub.fail("byMonth", "factors average \(YAMLRecord.format((mean * 1000).rounded() / 1000)); expected twelve factors averaging 1 (vehiclesPerDay is the yearly mean)")
                return nil
            }
        }
        guard let throughput else {
            record.fail("backgroundTraffic", "the place has no throughput; expected backgroundTraffic only beside throughput {unitsPerDay, unit}, whose capacity it shares")
            return nil
        }
        guard let perDay else { return nil }
        if perDay >= throughput.unitsPerDay {
            sub.fail("vehiclesPerDay", "value \(YAMLRecord.format(perDay)) is not below throughput.unitsPerDay \(YAMLRecord.format(throughput.unitsPerDay)); expected background below the place's capacity, or the queue never clears")
            return nil
        }
        return BackgroundTraffic(vehiclesPerDay: perDay, byMonth: byMonth ?? Array(repeating: 1, count: 12), source: source)
    }

    func readTransit(_ record: YAMLRecord, required: Bool) -> TransitTime? {
        guard let sub = record.record("transitHours", required: required, expected: "a mapping {mean, p90} in hours") else { return nil }
        let mean = sub.number("mean", in: NetworkLoader.Limits.hours, positive: true, unit: "h")
        let p90 = sub.number("p90", in: NetworkLoader.Limits.hours, positive: true, unit: "h")
        sub.rejectUnknownKeys()
        guard let mean, let p90 else { return nil }
        guard p90 >= mean else {
            sub.fail("p90", "value \(YAMLRecord.format(p90)) is below mean \(YAMLRecord.format(mean)); expected p90 ≥ mean")
            return nil
        }
        return TransitTime(meanHours: mean, p90Hours: p90)
    }

    func readService(_ record: YAMLRecord) -> [Service] {
        typealias L = NetworkLoader.Limits
        let idText = record.string("id", expected: "a unique service id")
        if let idText, !ServiceID.isWellFormed(idText) || idText.hasSuffix(".back") {
            record.fail("id", "value '\(YAMLRecord.truncate(idText))'; expected 1–40 of A–Z a–z 0–9 . _ - (not ending in .back)")
        }
        let name = record.string("name", expected: "the line's name")
        let operatorName = record.string("operator", required: false)
        let mode = record.choice("mode", as: TransportMode.self)
        let corridor = record.choice("corridor", as: Corridor.self)
        let from = record.string("from", expected: "a place code").map { PlaceCode(rawValue: $0) }
        let to = record.string("to", expected: "a place code").map { PlaceCode(rawValue: $0) }
        if let from, from == to { record.fail("to", "value '\(from)' equals from; expected a different place") }
        let distance = record.number("distanceKm", in: L.distanceKm, positive: true, unit: "km")
        let transit = readTransit(record, required: true)
        let departures = record.number("departuresPerWeek", in: L.departuresPerWeek, positive: true)
        let isAir = mode == .air
        let capacityTEU = record.number("capacityTEUPerDeparture", required: !isAir && mode != nil, in: L.capacity, positive: true, unit: "TEU")
        let capacityTonnes = record.number("capacityTonnesPerDeparture", required: isAir, in: L.capacity, positive: true, unit: "t")
        let priceTEU = record.number("priceUSDPerTEU", required: !isAir && mode != nil, in: L.priceUSD, unit: "USD")
        let priceKg = record.number("priceUSDPerKg", required: isAir, in: L.priceUSDPerKg, unit: "USD/kg")
        let co2 = record.number("co2eGramsPerTonneKm", in: L.co2, unit: "g/t-km")
        var cargo = CargoAcceptance()
        if let entries = record.strings("cargo", expected: "a list of general, reefer, vehicles, dangerous, dangerous:N") {
            if entries.isEmpty { record.fail("cargo", "empty list; expected at least one cargo class") }
            for entry in entries {
                if entry.lowercased() == "dangerous" {
                    cargo.dangerousClasses = Set(1...9)
                } else if let cls = CargoClass(entry) {
                    switch cls {
                    case .general: cargo.general = true
                    case .reefer: cargo.reefer = true
                    case .vehicles: cargo.vehicles = true
                    case .dangerous(let n): cargo.dangerousClasses.insert(n)
                    }
                } else {
                    record.fail("cargo", "value '\(YAMLRecord.truncate(entry))' is unknown; expected general, reefer, vehicles, dangerous or dangerous:N with N from 1 to 9")
                }
            }
        }
        let plugs = record.number("reeferPlugsPerDeparture", required: false, in: L.capacity)
        let minimumLoad = record.number("minimumLoadTEU", required: false, in: L.capacity)
        if let minimumLoad, let capacityTEU, minimumLoad > capacityTEU {
            record.fail("minimumLoadTEU", "value \(YAMLRecord.format(minimumLoad)) exceeds capacityTEUPerDeparture \(YAMLRecord.format(capacityTEU)); expected at most the capacity")
        }
        var seasonal: [SeasonalAdjustment] = []
        for (node, path) in record.list("seasonal", required: false, expected: "a list of {months, capacityFactor, transitFactor, note}") ?? [] {
            guard let sub = YAMLRecord.make(node, file: record.file, path: path, sink: sink) else { continue }
            let months = sub.numbers("months", in: 1...12, count: 1...12)
            let capacityFactor = sub.number("capacityFactor", required: false, in: 0...10, positive: true) ?? 1
            let transitFactor = sub.number("transitFactor", required: false, in: 0...10, positive: true) ?? 1
            let note = sub.string("note", required: false)
            sub.rejectUnknownKeys()
            if let months {
                guard months.allSatisfy({ $0.rounded() == $0 }) else {
                    sub.fail("months", "months must be whole numbers; expected a list of 1–12")
                    continue
                }
                seasonal.append(SeasonalAdjustment(months: months.map { Int($0) }, capacityFactor: capacityFactor, transitFactor: transitFactor, note: note))
            }
        }
        let bothWays = record.bool("bothWays") ?? false
        var back: YAMLRecord?
        if bothWays || record.has("back") {
            back = record.record("back", required: false, expected: "a mapping of numbers that differ on the way back")
            if back != nil && !bothWays { record.fail("back", "given without 'bothWays: true'; expected bothWays: true or no back") }
        }
        var backTransit: TransitTime?
        var backDepartures: Double?, backCapTEU: Double?, backCapT: Double?, backPriceTEU: Double?, backPriceKg: Double?
        if let back {
            backTransit = readTransit(back, required: false)
            backDepartures = back.number("departuresPerWeek", required: false, in: L.departuresPerWeek, positive: true)
            backCapTEU = back.number("capacityTEUPerDeparture", required: false, in: L.capacity, positive: true, unit: "TEU")
            backCapT = back.number("capacityTonnesPerDeparture", required: false, in: L.capacity, positive: true, unit: "t")
            backPriceTEU = back.number("priceUSDPerTEU", required: false, in: L.priceUSD, unit: "USD")
            backPriceKg = back.number("priceUSDPerKg", required: false, in: L.priceUSDPerKg, unit: "USD/kg")
            back.rejectUnknownKeys()
        }
        checkSource(record)
        let source = record.string("source", required: false) ?? ""
        record.rejectUnknownKeys()
        guard let idText, ServiceID.isWellFormed(idText), !idText.hasSuffix(".back"), let name, let mode, let corridor,
              let from, let to, from != to, let distance, let transit, let departures, let co2
        else { return [] }
        if isAir { guard capacityTonnes != nil, priceKg != nil else { return [] } }
        else { guard capacityTEU != nil, priceTEU != nil else { return [] } }
        let forward = Service(
            id: ServiceID(idText), name: name, operator: operatorName, mode: mode, corridor: corridor, from: from, to: to,
            distanceKm: distance, transit: transit, departuresPerWeek: departures, capacityTEUPerDeparture: capacityTEU,
            capacityTonnesPerDeparture: capacityTonnes, priceUSDPerTEU: priceTEU, priceUSDPerKg: priceKg,
            co2eGramsPerTonneKm: co2, cargo: cargo, reeferPlugsPerDeparture: plugs, minimumLoadTEU: minimumLoad,
            seasonal: seasonal, source: source, location: record.recordLocation,
            fieldLines: ["from": record.location(of: "from").line, "to": record.location(of: "to").line], isReverse: false)
        guard bothWays else { return [forward] }
        var reverse = forward
        reverse.id = ServiceID(idText + ".back")
        reverse.from = to
        reverse.to = from
        reverse.isReverse = true
        if let backTransit { reverse.transit = backTransit }
        if let backDepartures { reverse.departuresPerWeek = backDepartures }
        if let backCapTEU { reverse.capacityTEUPerDeparture = backCapTEU }
        if let backCapT { reverse.capacityTonnesPerDeparture = backCapT }
        if let backPriceTEU { reverse.priceUSDPerTEU = backPriceTEU }
        if let backPriceKg { reverse.priceUSDPerKg = backPriceKg }
        if let minimumLoad = reverse.minimumLoadTEU, let capacity = reverse.capacityTEUPerDeparture, minimumLoad > capacity {
            reverse.minimumLoadTEU = capacity
        }
        return [forward, reverse]
    }
}
