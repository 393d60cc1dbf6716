import Foundation
import Hummingbird
import NetworkData
import Planning
import OneBill
import Reports
import Simulation
import Studies

/// The endpoints of openapi.yaml, each a thin layer over the library call the command line
/// makes: decode and check the request, call, encode the contract.
struct Handlers: Sendable {
    let settings: WorkspaceSettings
    let state: NetworkState
    let store: ResultsStore
    let plans: PlanArchive
    let jobs: JobBoard
    /// The shipped scenarios a request may name (`networks/scenarios/`, file name → YAML text).
    let shippedScenarios: [String: String]

    // MARK: Network

    /// `GET /api/places?query=`: a typed place resolved as `--from` is, with suggestions.
    func places(_ request: Request) throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: ["query"])
        guard let text = query["query"], !text.isEmpty else {
            throw APIError(.badRequest, "query: \(query["query"] == nil ? "missing" : "empty"); expected the text of a place (a code, IATA code or name)")
        }
        guard text.count <= 200 else { throw APIError(.badRequest, "query: \(text.count) characters; expected at most 200") }
        return try JSONResponse.make(PlaceLookup(query: text, directory: state.places))
    }

    /// `GET /api/network.geojson`: places and services as RFC 7946 GeoJSON.
    func networkGeoJSON(_ request: Request) throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        return JSONResponse.raw(state.geoJSON, contentType: "application/geo+json")
    }

    // MARK: Route

    /// `Server-Timing` (W3C): the time the answer took inside the server.
    static let serverTiming = HTTPFields.Element.Name("Server-Timing")!

    static let routeParameters: Set<String> = ["from", "to", "teu", "tonnes", "cargo", "deadline", "objective", "alternatives",
                                               "per", "month", "valueOfTime", "carbonPrice"]

    /// `GET /api/route`: the answer of `routeplanner route --format json`.
    func route(_ request: Request) throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: Self.routeParameters)
        guard let from = query["from"] else { throw APIError(.badRequest, "from: missing; expected the origin place") }
        guard let to = query["to"] else { throw APIError(.badRequest, "to: missing; expected the destination place") }
        var route = RouteRequest(from: from, to: to)
        route.teu = try query.number("teu").map { RouteRequest.Number(value: $0.value, text: $0.text) }
        route.tonnes = try query.number("tonnes").map { RouteRequest.Number(value: $0.value, text: $0.text) }
        if let cargo = query["cargo"] { route.cargo = cargo }
        route.deadline = query["deadline"]
        if let objective = try query.choice("objective", as: Objective.self) { route.objective = objective }
        if let alternatives = try query.integer("alternatives") { route.alternatives = alternatives }
        if let period = try query.choice("per", as: CapacityPeriod.self) { route.period = period }
        route.month = try query.integer("month")
        if let value = try query.number("valueOfTime") { route.valueOfTime = RouteRequest.Number(value: value.value, text: value.text) }
        if let value = try query.number("carbonPrice") { route.carbonPrice = RouteRequest.Number(value: value.value, text: value.text) }
        // The router of the month is built after the month is checked (13 at most).
        if let problem = route.problem(optionPrefix: "") { throw APIError(.badRequest, problem) }
        let clock = ContinuousClock()
        let started = clock.now
        let result: RouteResult
        do {
            result = try route.solve(router: state.router(month: route.month), places: state.places, optionPrefix: "")
        } catch {
            switch error {
            case .invalidInput(let message): throw APIError(.badRequest, message)
            case .internalError(let message): throw APIError(.internalServerError, message)
            }
        }
        var response = try JSONResponse.make(result.answer)
        // The query's own time (what the command line spends after loading), for the browser's
        // developer tools and bench/run-api: the rest of a request's latency is the server's.
        let elapsed = clock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[Self.serverTiming] = String(format: "route;dur=%.3f", milliseconds)
        return response
    }

    // MARK: Plans

    /// What `POST /api/plans` answers: the plan's id (for its bills) and the plan as
    /// `routeplanner plan --format json` prints it.
    struct PlanCreated: Codable, Sendable {
        var id: String
        var plan: PlanReport
    }

    /// `POST /api/plans`: a shipments CSV planned as `routeplanner plan` plans it.
    func createPlan(_ request: Request) async throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: ["name", "objective", "carbonPrice", "valueOfTime", "integer",
                                                                       "mipSeconds", "mipGap"])
        let name = try Self.uploadName(query["name"], fallback: "upload.csv")
        var options = PlanOptions()
        if let objective = try query.choice("objective", as: Objective.self) { options.objective = objective }
        options.carbonPriceUSDPerTonne = try query.number("carbonPrice")?.value
        options.valueOfTimeUSDPerTEUHour = try query.number("valueOfTime")?.value
        options.integer = try query.boolean("integer") ?? false
        if let seconds = try query.number("mipSeconds")?.value { options.mipSeconds = seconds }
        if let gap = try query.number("mipGap")?.value { options.mipGap = gap }
        if let problem = PlanRequest.problem(options, optionPrefix: "") { throw APIError(.badRequest, problem) }
        if options.integer, options.mipSeconds > settings.jobSeconds {
            throw APIError(.badRequest, "mipSeconds \(options.mipSeconds): expected at most the server's time limit of \(Int(settings.jobSeconds)) s")
        }
        let data = try await body(of: request)
        let network = state.network
        let shipments: [Shipment]
        do { shipments = try ShipmentList.parse(data, file: name, network: network) } catch {
            throw APIError.invalidFile(error, what: "the shipment list \(name)")
        }
        guard !shipments.isEmpty else {
            throw APIError(.unprocessableContent, "the shipment list \(name) has no shipments", issues: ["\(name):1: expected a header line and at least one shipment"])
        }
        let chosen = options
        try await plans.reserve()
        defer { Task { await plans.release() } }
        let made = try await onOwnThread { () throws -> (PlanReport, SavedPlan) in
            let report: PlanReport
            do throws(PlanRequestError) {
                report = try PlanRequest.plan(shipments, network: network, options: chosen) { id, index in
                    ThroughBill.reference(for: id, routeIndex: index)
                }.report
            } catch {
                switch error {
                case .invalidInput(let message): throw APIError(.badRequest, message)
                case .internalError(let message): throw APIError(.internalServerError, message)
                }
            }
            // The bills come from the plan as saved, as `plan --bills` and `bill --plan` make them.
            let data = try ContractJSON.data(report)
            do { return (report, try SavedPlan(data: data, network: network)) } catch {
                throw APIError(.internalServerError, "the plan fails its own check (a bug): \(error)")
            }
        }
        let id = await plans.keep(PlanArchive.Entry(report: made.0, saved: made.1))
        var response = try JSONResponse.make(PlanCreated(id: id, plan: made.0), status: .created)
        response.headers[.location] = "/api/plans/\(id)"
        return response
    }

    /// `GET /api/plans/{plan}`: a plan made by `POST /api/plans`, as it answered.
    func plan(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let entry = try await planEntry(context)
        return try JSONResponse.make(entry.report)
    }

    /// `GET /api/plans/{plan}/bills/{shipment}?part=&format=`: the one-bill document of a
    /// shipment's route part, as JSON (the DCSA-based contract) or printable HTML.
    func bill(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: ["part", "format"])
        let entry = try await planEntry(context)
        let id = context.parameters.get("shipment") ?? ""
        guard let shipment = entry.saved.shipment(id) else {
            throw APIError(.notFound, "shipment '\(id.prefix(80))' is not in this plan")
        }
        guard !shipment.routes.isEmpty else {
            throw APIError(.notFound, "shipment '\(id.prefix(80))' is \(shipment.status.rawValue) with no route (\(shipment.reason ?? "")); no document to issue")
        }
        let part = try query.integer("part") ?? 0
        guard shipment.routes.indices.contains(part) else {
            throw APIError(.notFound, "part \(part): shipment '\(id.prefix(80))' has route parts 0 to \(shipment.routes.count - 1)")
        }
        let format = query["format"] ?? "json"
        guard format == "json" || format == "html" else { throw APIError(.badRequest, "format '\(format.prefix(40))': expected json or html") }
        let issueDate = CalendarDay(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
        let bill: ThroughBill
        do { bill = try ThroughBill.make(shipment: shipment, routeIndex: part, network: state.network, issueDate: issueDate) } catch {
            throw APIError(.unprocessableContent, "cannot make the through bill: \(error)")
        }
        if format == "html" {
            return JSONResponse.raw(Data(BillHTML.render(bill).utf8), contentType: "text/html; charset=utf-8")
        }
        return try JSONResponse.make(bill)
    }

    private func planEntry(_ context: some RequestContext) async throws -> PlanArchive.Entry {
        let id = context.parameters.get("plan") ?? ""
        guard let entry = await plans.entry(id) else {
            throw APIError(.notFound, "no plan '\(id.prefix(80))' on this server (the last \(settings.keptPlans) plans are kept)")
        }
        return entry
    }

    /// The request's body, or 413 when it is longer than the server's limit.
    func body(of request: Request) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: settings.maximumBodyBytes).readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the request body is longer than \(settings.maximumBodyBytes) bytes, the server's limit (docs/limits.md)")
        }
    }

    /// A file name as shown in messages: the last path component of what the client sent,
    /// printable, at most 100 characters.
    static func uploadName(_ text: String?, fallback: String) throws(APIError) -> String {
        guard let text else { return fallback }
        let name = String(text.split(separator: "/").last ?? "")
        guard !name.isEmpty, name.count <= 100, name != "..", name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw APIError(.badRequest, "name '\(text.prefix(40))': expected a file name of 1 to 100 printable characters")
        }
        return name
    }

    // MARK: Jobs

    /// The parameters of a simulation started without a scenario file (`SimulateParameters`).
    struct SimulateParameters: Codable, Sendable {
        var scenario: String?
        var year: Int?
        var days: Int?
        var seed: Int?
        var replications: Int?

        enum CodingKeys: String, CodingKey { case scenario, year, days, seed, replications }

        /// Each field absent or of its type; `null` is refused (leave the field out for its default).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for key in container.allKeys where try container.decodeNil(forKey: key) {
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: [key], debugDescription: "null; leave the field out for its default"))
            }
            scenario = try container.decodeIfPresent(String.self, forKey: .scenario)
            year = try container.decodeIfPresent(Int.self, forKey: .year)
            days = try container.decodeIfPresent(Int.self, forKey: .days)
            seed = try container.decodeIfPresent(Int.self, forKey: .seed)
            replications = try container.decodeIfPresent(Int.self, forKey: .replications)
        }
    }

    /// `POST /api/jobs/simulate`: a scenario (YAML, or parameters as JSON) run in the background
    /// into the results database, as `routeplanner study run` runs it.
    func simulate(_ request: Request) async throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: ["name", "replications"])
        let data = try await body(of: request)
        var replications = try query.integer("replications")
        let name: String
        let yaml: Data
        if request.headers[.contentType].map({ $0.lowercased().hasPrefix("application/json") }) ?? false {
            let parameters: SimulateParameters
            do { parameters = try JSONDecoder().decode(SimulateParameters.self, from: data) } catch {
                throw APIError(.badRequest, "the body is not the JSON of SimulateParameters: \(Self.describe(error))")
            }
            if let count = parameters.replications {
                guard replications == nil else { throw APIError(.badRequest, "replications: given in the query and the body; expected one") }
                replications = count
            }
            name = "parameters.yaml"
            yaml = try Self.scenarioYAML(parameters)
        } else {
            name = try Self.uploadName(query["name"], fallback: "scenario.yaml")
            yaml = data
        }
        if let replications, !(1...WorkspaceSettings.maximumSeedsPerJob).contains(replications) {
            throw APIError(.badRequest, "replications \(replications): expected 1 to \(WorkspaceSettings.maximumSeedsPerJob) seeds for one job")
        }
        let scenario = try loadScenario(yaml, shownAs: name)
        let axes = (replications ?? 1) > 1 ? [GridAxis(key: .seed, values: (1...(replications ?? 1)).map(Double.init))] : []
        let status: JobStatus
        do {
            let runs: [StudyRun]
            do { runs = try StudyRun.plan([scenario], grid: axes) } catch { throw APIError(.unprocessableContent, "\(error)") }
            status = try await jobs.start(scenario: scenario.name, runs: runs, uploadedFiles: [scenario.url])
        } catch {
            try? FileManager.default.removeItem(at: scenario.url)
            throw error
        }
        var response = try JSONResponse.make(status, status: .accepted)
        response.headers[.location] = "/api/jobs/\(status.id)"
        return response
    }

    /// A scenario of the built-in network and demand from the parameters.
    static func scenarioYAML(_ p: SimulateParameters) throws(APIError) -> Data {
        let name = p.scenario ?? "workspace"
        guard name.range(of: "^[A-Za-z0-9_.-]{1,80}$", options: .regularExpression) != nil else {
            throw APIError(.badRequest, "scenario '\(name.prefix(40))': expected 1 to 80 letters, digits, - _ or .")
        }
        let year = p.year ?? 2027
        guard [2025, 2027].contains(year) else { throw APIError(.badRequest, "year \(year): expected 2025 or 2027") }
        let days = p.days ?? 365
        guard (1...366).contains(days) else { throw APIError(.badRequest, "days \(days): expected 1 to 366") }
        let seed = p.seed ?? 1
        guard (0...Int(Int32.max)).contains(seed) else { throw APIError(.badRequest, "seed \(seed): expected 0 to 2147483647") }
        let text = """
            scenario: \(name)
            description: Started from the workspace with parameters.
            network: built-in
            demand: \(year)
            engines: [simulate]
            days: \(days)
            seed: \(seed)

            """
        return Data(text.utf8)
    }

    /// Reads an uploaded scenario: saved into the workspace's upload folder (the only place a
    /// request writes), loaded with file:line messages naming the upload, and refused when it
    /// names files (a request must not make the server read a path of its choosing).
    func loadScenario(_ yaml: Data, shownAs name: String) throws -> Scenario {
        let folder = settings.uploadFolder
        let file = folder.appendingPathComponent(UUID().uuidString.lowercased() + ".yaml")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try yaml.write(to: file, options: .atomic)
        } catch {
            throw APIError(.serviceUnavailable, "the workspace cannot save the scenario in \(folder.lastPathComponent): \(error.localizedDescription)")
        }
        let networks = NetworkCache()
        // Only the built-in network is loaded for the checks: a manifest path is refused below.
        let loader = ScenarioLoader { source in source == .builtIn ? try? networks.network(source) : nil }
        let scenario: Scenario
        do { scenario = try loader.load(file, shownAs: name) } catch {
            try? FileManager.default.removeItem(at: file)
            throw APIError.invalidFile(error, what: "the scenario \(name)")
        }
        var named: [String] = []
        if case .manifest = scenario.network { named.append("network (use built-in)") }
        if case .table = scenario.demand { named.append("demand (use 2025 or 2027)") }
        if scenario.planning != nil { named.append("plan.shipments (post the list to /api/plans)") }
        if !named.isEmpty {
            try? FileManager.default.removeItem(at: file)
            throw APIError(.unprocessableContent, "the scenario \(name) names files; a scenario sent to the server may not",
                           issues: named.map { "\(name): \($0)" })
        }
        return scenario
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    /// The body of `POST /api/jobs/headroom` (`HeadroomParameters`): a shipped scenario by name
    /// or a scenario's YAML, and the options of `study headroom`.
    struct HeadroomParameters: Codable, Sendable {
        var scenario: String?
        var scenarioYAML: String?
        var name: String?
        var grow: [String]?
        var criteria: [String]?
        var seeds: Int?
        var steps: Int?
        var reliefs: Int?

        enum CodingKeys: String, CodingKey { case scenario, scenarioYAML, name, grow, criteria, seeds, steps, reliefs }

        /// Each field absent or of its type; `null` and unknown fields are refused.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            try Handlers.refuseUnknownAndNull(decoder, known: ["scenario", "scenarioYAML", "name", "grow", "criteria", "seeds", "steps", "reliefs"])
            scenario = try container.decodeIfPresent(String.self, forKey: .scenario)
            scenarioYAML = try container.decodeIfPresent(String.self, forKey: .scenarioYAML)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            grow = try container.decodeIfPresent([String].self, forKey: .grow)
            criteria = try container.decodeIfPresent([String].self, forKey: .criteria)
            seeds = try container.decodeIfPresent(Int.self, forKey: .seeds)
            steps = try container.decodeIfPresent(Int.self, forKey: .steps)
            reliefs = try container.decodeIfPresent(Int.self, forKey: .reliefs)
        }
    }

    /// The object's fields: a `null` or a field not in `known` is a decoding error naming it.
    static func refuseUnknownAndNull(_ decoder: any Decoder, known: [String]) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys {
            guard known.contains(key.stringValue) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [key],
                                                        debugDescription: "unknown field; expected \(known.joined(separator: ", "))"))
            }
            if try all.decodeNil(forKey: key) {
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath + [key], debugDescription: "null; leave the field out for its default"))
            }
        }
    }

    /// Any JSON key (to name an unknown field).
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `POST /api/jobs/headroom`: `routeplanner study headroom` in the background, its steps and
    /// summary recorded in the results database, its answer in the job's status.
    func headroom(_ request: Request) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let data = try await body(of: request)
        let parameters: HeadroomParameters
        do { parameters = try JSONDecoder().decode(HeadroomParameters.self, from: data) } catch {
            throw APIError(.badRequest, "the body is not the JSON of HeadroomParameters: \(Self.describe(error))")
        }
        var options = HeadroomRequest()
        options.grow = parameters.grow ?? []
        options.criteria = parameters.criteria ?? []
        if let seeds = parameters.seeds { options.seeds = seeds }
        if let steps = parameters.steps { options.steps = steps }
        if let reliefs = parameters.reliefs { options.reliefs = reliefs }
        guard options.grow.count <= 20, options.criteria.count <= 3 else {
            throw APIError(.badRequest, options.grow.count > 20 ? "grow: \(options.grow.count) sets; expected at most 20" : "criteria: \(options.criteria.count) given; expected at most 3 (one of each key)")
        }
        if let problem = options.problem(optionPrefix: "") { throw APIError(.badRequest, problem) }
        let yaml: Data, name: String
        switch (parameters.scenario, parameters.scenarioYAML) {
        case (let picked?, nil):
            guard parameters.name == nil else { throw APIError(.badRequest, "name: only with scenarioYAML (a shipped scenario has its own)") }
            let file = picked.hasSuffix(".yaml") ? picked : picked + ".yaml"
            guard let text = shippedScenarios[file] else {
                let known = shippedScenarios.keys.sorted().map { String($0.dropLast(5)) }.joined(separator: ", ")
                throw APIError(.badRequest, "scenario '\(picked.prefix(60))': not a shipped scenario; expected one of \(known), or send scenarioYAML")
            }
            (yaml, name) = (Data(text.utf8), file)
        case (nil, let text?):
            (yaml, name) = (Data(text.utf8), try Self.uploadName(parameters.name, fallback: "scenario.yaml"))
        case (nil, nil):
            throw APIError(.badRequest, "scenario: missing; expected a shipped scenario's name or scenarioYAML")
        case (_?, _?):
            throw APIError(.badRequest, "scenario and scenarioYAML: both given; expected one")
        }
        let scenario = try loadScenario(yaml, shownAs: name)
        do {
            guard scenario.engines.contains(.simulate) else {
                throw APIError(.unprocessableContent, "\(name): engines has no simulate; the headroom search simulates")
            }
            let inputs: ScenarioInputs
            do { inputs = try scenario.inputs(grid: GridAssignment(), networks: NetworkCache()) } catch {
                throw APIError.invalidFile(error, what: "the scenario \(name)")
            }
            let growth: [DemandGrowth], criteria: [HeadroomCriterion]
            do {
                growth = try options.growth(network: inputs.network, lanes: inputs.lanes, optionPrefix: "")
                criteria = try options.criteriaParsed(optionPrefix: "")
            } catch {
                throw APIError(.badRequest, error.message)
            }
            let hash: String
            do { hash = try StudyRun.plan([scenario], grid: [])[0].inputsHash } catch { throw APIError(.unprocessableContent, "\(error)") }
            var search = HeadroomSearch(network: inputs.network, lanes: inputs.lanes, disruptions: inputs.disruptions,
                                        options: inputs.simulation, growth: growth, criteria: criteria, seeds: options.seeds,
                                        steps: options.steps, jobs: settings.threadsPerJob)
            search.reliefCount = options.reliefs
            let year = if case .year(let y) = scenario.demand { y } else { 0 }
            let status = try await jobs.startHeadroom(.init(search: search, scenario: scenario, inputsHash: hash, year: year),
                                                      uploadedFile: scenario.url)
            var response = try JSONResponse.make(status, status: .accepted)
            response.headers[.location] = "/api/jobs/\(status.id)"
            return response
        } catch {
            try? FileManager.default.removeItem(at: scenario.url)
            throw error
        }
    }

    /// `GET /api/jobs/{job}`.
    func job(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = context.parameters.get("job") ?? ""
        guard let status = await jobs.status(id) else { throw Self.unknownJob(id) }
        return try JSONResponse.make(status)
    }

    /// `DELETE /api/jobs/{job}`: cancel (the simulations in flight stop at their next simulated day).
    func cancelJob(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = context.parameters.get("job") ?? ""
        guard let status = await jobs.cancel(id) else { throw Self.unknownJob(id) }
        return try JSONResponse.make(status, status: .accepted)
    }

    /// `GET /api/jobs/{job}/events`: the job's status as server-sent events (`event: status`),
    /// its statuses so far and one on every change, ending with the finished job (`event: end`).
    func jobEvents(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = context.parameters.get("job") ?? ""
        guard let stream = await jobs.events(id) else { throw Self.unknownJob(id) }
        let body = ResponseBody { writer in
            for await status in stream {
                let json = String(decoding: try ContractJSON.data(status, compact: true), as: UTF8.self)
                let event = status.isFinished ? "end" : "status"
                try await writer.write(ByteBuffer(string: "event: \(event)\ndata: \(json)\n\n"))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    static func unknownJob(_ id: String) -> APIError {
        APIError(.notFound, "no job '\(id.prefix(80))' on this server (finished jobs are kept until the server restarts, the last 100)")
    }

    // MARK: Studies

    /// The body of `POST /api/studies` (`StudyParameters`): several scenario files run as one job.
    struct StudyParameters: Codable, Sendable {
        /// One scenario file as sent: its name (for messages) and its YAML.
        struct File: Codable, Sendable {
            var name: String
            var yaml: String

            enum CodingKeys: String, CodingKey { case name, yaml }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                try Handlers.refuseUnknownAndNull(decoder, known: ["name", "yaml"])
                name = try container.decode(String.self, forKey: .name)
                yaml = try container.decode(String.self, forKey: .yaml)
            }
        }
        var scenarios: [File]
        var replications: Int?

        enum CodingKeys: String, CodingKey { case scenarios, replications }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            try Handlers.refuseUnknownAndNull(decoder, known: ["scenarios", "replications"])
            scenarios = try container.decode([File].self, forKey: .scenarios)
            replications = try container.decodeIfPresent(Int.self, forKey: .replications)
        }
    }

    /// Scenario files one study request may send.
    static let maximumScenariosPerStudy = 20

    /// `POST /api/studies`: several scenario files, each checked with its own name in the
    /// messages, run as one job into the results database (`routeplanner study run A.yaml B.yaml`).
    func createStudy(_ request: Request) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let data = try await body(of: request)
        let parameters: StudyParameters
        do { parameters = try JSONDecoder().decode(StudyParameters.self, from: data) } catch {
            throw APIError(.badRequest, "the body is not the JSON of StudyParameters: \(Self.describe(error))")
        }
        let files = parameters.scenarios
        guard (1...Self.maximumScenariosPerStudy).contains(files.count) else {
            throw APIError(.badRequest, "scenarios: \(files.count) files; expected 1 to \(Self.maximumScenariosPerStudy)")
        }
        let replications = parameters.replications ?? 1
        guard (1...WorkspaceSettings.maximumSeedsPerJob).contains(replications) else {
            throw APIError(.badRequest, "replications \(replications): expected 1 to \(WorkspaceSettings.maximumSeedsPerJob) seeds for one job")
        }
        guard files.count * replications <= WorkspaceSettings.maximumSeedsPerJob else {
            throw APIError(.badRequest, "scenarios × replications: \(files.count) × \(replications) = \(files.count * replications) runs; expected at most \(WorkspaceSettings.maximumSeedsPerJob) runs for one job")
        }
        var names: [String] = []
        for (index, file) in files.enumerated() {
            let name: String
            do { name = try Self.uploadName(file.name, fallback: "") } catch {
                throw APIError(.badRequest, "scenarios[\(index)].\(error.body.error)")
            }
            if let first = names.firstIndex(of: name) {
                throw APIError(.badRequest, "scenarios[\(index)].name '\(name)': also the name of scenarios[\(first)]; expected each file once")
            }
            names.append(name)
        }
        // Every file is read, so that one answer lists the problems of them all, each with its file.
        var loaded: [Scenario] = [], issues: [String] = [], invalid: [String] = []
        for (file, name) in zip(files, names) {
            do { loaded.append(try loadScenario(Data(file.yaml.utf8), shownAs: name)) } catch let error as APIError where error.status == .unprocessableContent {
                invalid.append(name)
                issues += error.body.issues ?? ["\(name): \(error.body.error)"]
            } catch {
                for scenario in loaded { try? FileManager.default.removeItem(at: scenario.url) }
                throw error
            }
        }
        guard invalid.isEmpty else {
            for scenario in loaded { try? FileManager.default.removeItem(at: scenario.url) }
            throw APIError(.unprocessableContent, "\(invalid.count) of \(files.count) scenario files \(invalid.count == 1 ? "is" : "are") invalid: \(invalid.joined(separator: ", "))",
                           issues: Array(issues.prefix(InvalidInput.maximumShown)))
        }
        let axes = replications > 1 ? [GridAxis(key: .seed, values: (1...replications).map(Double.init))] : []
        let status: JobStatus
        do {
            let runs: [StudyRun]
            do { runs = try StudyRun.plan(loaded, grid: axes) } catch { throw APIError(.unprocessableContent, "\(error)") }
            status = try await jobs.start(scenario: loaded.map(\.name).sorted().joined(separator: ", "), runs: runs,
                                          uploadedFiles: loaded.map(\.url))
        } catch {
            for scenario in loaded { try? FileManager.default.removeItem(at: scenario.url) }
            throw error
        }
        var response = try JSONResponse.make(status, status: .accepted)
        response.headers[.location] = "/api/jobs/\(status.id)"
        return response
    }

    /// The runs of the results database (`GET /api/studies`).
    struct RunList: Codable, Sendable {
        var database: String
        var runs: [RunRecord]
    }

    /// `GET /api/studies`: every run in the results database, as `study run` recorded it.
    func studies(_ request: Request) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let store = self.store
        let runs: [RunRecord]
        do { runs = try store.runs().map(\.run) } catch {
            throw APIError(.serviceUnavailable, "the results database cannot be read: \(error.message)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(RunList(database: URL(fileURLWithPath: store.path).lastPathComponent, runs: runs))
        return JSONResponse.raw(data, contentType: "application/json; charset=utf-8")
    }

    /// `GET /api/studies/report?baseline=`: `routeplanner study report --format json`.
    func studyReport(_ request: Request) async throws -> Response {
        let query = try QueryParameters(request.uri.query, allowed: ["baseline"])
        let baseline = query["baseline"]
        let comparison: StudyComparison
        do { comparison = try StudyComparison(store: store, baseline: baseline) } catch {
            if baseline != nil, error.message.hasPrefix("--baseline") {
                throw APIError(.badRequest, error.message.replacingOccurrences(of: "--baseline", with: "baseline"))
            }
            throw APIError(.serviceUnavailable, "the results database cannot be read: \(error.message)")
        }
        return try JSONResponse.make(comparison.report(database: URL(fileURLWithPath: store.path).lastPathComponent))
    }
}
