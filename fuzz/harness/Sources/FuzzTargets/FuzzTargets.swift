import Foundation
import MinCostFlow
import NetworkData
import OneBill
import Reports
import Studies

/// The readers under fuzzing, each fed the bytes exactly as the CLI would read them.
///
/// An invalid-input error (exit 2 in the CLI) is the expected answer to most inputs. A crash, a
/// hang, or a failure the CLI would report as exit 1 ("internal error") is a finding: the
/// harness traps on the last, so libFuzzer saves the input.
enum Reader: String, CaseIterable {
    case networkManifest = "network-manifest"
    case networkPart = "network-part"
    case shipments
    case demand
    case disruption
    case scenario
    case dimacs
    case savedPlan = "saved-plan"
    case resultsDB = "results-db"
}

/// A failure the CLI would report as exit 1: trap so that libFuzzer records the input.
func internalError(_ message: String) -> Never {
    fatalError("internal error (the CLI would exit 1): \(message)")
}

/// An invalid-input error must say what is wrong and where (a file and a line ≥ 1).
func checkInvalid(_ error: InvalidInput, file: String) {
    guard !error.issues.isEmpty else { internalError("InvalidInput with no issues") }
    for issue in error.issues {
        guard !issue.location.file.isEmpty, issue.location.line >= 1, !issue.message.isEmpty else {
            internalError("issue without file, line or message: \(issue)")
        }
    }
    _ = error.description
}

/// Everything the targets share, set up once per process.
final class Harness: @unchecked Sendable {
    let reader: Reader
    let repository: URL
    /// This process's scratch folder, under TMPDIR (fuzz/run removes it): inputs go here when a
    /// reader needs a path.
    let scratch: URL
    /// The built-in network: places and services that CSVs, disruptions and plans refer to.
    let network: Network
    /// Its place index, built once as the CLI builds it once per run (the CSV readers would
    /// otherwise rebuild it for every input: most of their time).
    let places: PlaceDirectory

    init() {
        guard let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"], let reader = Reader(rawValue: name) else {
            let names = Reader.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(64)
        }
        self.reader = reader
        // fuzz/harness/Sources/FuzzTargets/this file
        repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let parts = repository.appendingPathComponent("networks/chongqing")
        do {
            network = try NetworkLoader.load(manifest: parts.appendingPathComponent("network.yaml"))
        } catch {
            fatalError("the built-in network does not load: \(error)")
        }
        places = PlaceDirectory(network: network)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            // The network targets read the real parts next to the fuzzed file, so includes resolve.
            for part in try FileManager.default.contentsOfDirectory(atPath: parts.path) where part != "network.yaml" {
                try FileManager.default.copyItem(at: parts.appendingPathComponent(part), to: scratch.appendingPathComponent(part))
            }
            // The part target's manifest: a small valid network (the places the seed parts refer
            // to) including the fuzzed part, so the part is what each input costs.
            try FileManager.default.copyItem(at: repository.appendingPathComponent("fuzz/part-manifest.yaml"),
                                             to: scratch.appendingPathComponent("part-manifest.yaml"))
        } catch {
            fatalError("cannot prepare \(scratch.path): \(error)")
        }
    }

    /// Writes `bytes` to `name` in the scratch folder.
    ///
    /// With plain `write(2)`: `Data.write(to:)` calls `fsync`, which cost a few milliseconds per
    /// input on a disk (more than most readers take). The reader sees the same bytes either way.
    func file(_ name: String, _ bytes: Data) -> URL {
        let url = scratch.appendingPathComponent(name)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { fatalError("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { fatalError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
        return url
    }

    func run(_ bytes: Data) {
        switch reader {
        case .networkManifest:
            loadNetwork(file("fuzzed-manifest.yaml", bytes), shown: "fuzzed-manifest.yaml")
        case .networkPart:
            _ = file("fuzzed-part.yaml", bytes)
            loadNetwork(scratch.appendingPathComponent("part-manifest.yaml"), shown: "fuzzed-part.yaml")
        case .shipments:
            // `plan`: ShipmentList.load reads the file (InputFile) and hands its bytes to parse.
            do { _ = try ShipmentList.parse(bytes, file: "shipments.csv", network: network, directory: places) } catch {
                checkInvalid(error, file: "shipments.csv")
            }
        case .demand:
            do { _ = try DemandTable.load(file("demand.csv", bytes), network: network, displayName: "demand.csv",
                                           directory: places) } catch {
                checkInvalid(error, file: "demand.csv")
            }
        case .disruption:
            do { _ = try Disruption.load(file("disruption.yaml", bytes), network: network, displayName: "disruption.yaml") } catch {
                checkInvalid(error, file: "disruption.yaml")
            }
        case .scenario:
            // `study run`: the base network is looked up only when it is the built-in one
            // (a fuzzed manifest path is not followed: that is the network targets' job).
            let base = network
            let loader = ScenarioLoader { source in source == .builtIn ? base : nil }
            do { _ = try loader.load(file("scenario.yaml", bytes), shownAs: "scenario.yaml") } catch {
                checkInvalid(error, file: "scenario.yaml")
            }
        case .dimacs:
            do {
                let flow = try DIMACSFormat.parse(bytes, file: "problem.min")
                // `mcf` validates before solving; its errors are invalid input too.
                do { try flow.validate() } catch {
                    if case .solverFailed = error { internalError("validate: \(error)") }
                }
            } catch {
                checkInvalid(error, file: "problem.min")
            }
        case .savedPlan:
            readSavedPlan(bytes)
        case .resultsDB:
            readResults(file("results.sqlite", bytes))
        }
    }

    /// `--network FILE` (every command): the manifest and its included parts.
    func loadNetwork(_ url: URL, shown: String) {
        do { _ = try NetworkLoader.load(manifest: url) } catch {
            checkInvalid(error, file: shown)
        }
    }

    /// `bill --plan FILE`: the saved plan, then every route's document, as JSON and HTML.
    func readSavedPlan(_ bytes: Data) {
        let saved: SavedPlan
        do { saved = try SavedPlan(data: bytes, network: network) } catch {
            guard !error.problems.isEmpty else { internalError("SavedPlanError with no problems") }
            _ = error.description
            return
        }
        for entry in saved.shipments.prefix(20) {
            for index in entry.routes.indices.prefix(5) {
                let bill: ThroughBill
                do {
                    bill = try ThroughBill.make(shipment: entry, routeIndex: index, network: network,
                                                issueDate: CalendarDay(daysSinceEpoch: 20_454))
                } catch { continue }  // the CLI reports it as invalid input (exit 2)
                do { _ = try ContractJSON.data(bill) } catch { internalError("cannot encode the document: \(error)") }
                _ = BillHTML.render(bill)
            }
        }
    }

    /// `study report --db FILE`: the store's read path, then the table, CSV, HTML and JSON.
    func readResults(_ url: URL) {
        let comparison: StudyComparison
        do {
            comparison = try StudyComparison(store: try ResultsStore(path: url.path, readOnly: true), baseline: nil)
        } catch {
            guard !error.message.isEmpty else { internalError("StoreError with no message") }
            return
        }
        // The table's numbers, as the CLI formats them (whole numbers go through Int64).
        func decimal(_ value: Double, _ digits: Int) -> String {
            digits == 0 ? String(Int64(value.rounded())) : String(format: "%.\(digits)f", value)
        }
        for entry in comparison.entries {
            for headline in comparison.headlines {
                guard let value = entry.values[headline.kpi] else { continue }
                _ = decimal(value, headline.digits)
                if let delta = comparison.delta(headline.kpi, of: entry) { _ = decimal(abs(delta), headline.digits) }
            }
            _ = comparison.targetsMet(entry)
        }
        for group in comparison.replicatedGroups {
            for headline in comparison.headlines {
                if let k = group.kpis[headline.kpi] {
                    _ = decimal(k.mean, headline.digits) + decimal(k.halfWidth, headline.digits)
                }
                if let d = group.deltas[headline.kpi] {
                    _ = decimal(abs(d.mean), headline.digits) + decimal(d.halfWidth, headline.digits)
                }
            }
        }
        _ = comparison.csv()
        _ = comparison.html(title: "results.sqlite")
        do { _ = try ContractJSON.data(comparison.report(database: "results.sqlite")) } catch {
            internalError("cannot encode the study report: \(error)")
        }
    }
}

let harness = Harness()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    harness.run(bytes)
    return 0
}

// SwiftPM links an executable with `main` set to `<module>_main`, so libFuzzer's own `main` is
// never pulled in: this one hands the arguments to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzTargets_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { fuzzTestOneInput($0, $1) }
}
