import Cartography
import Foundation
import Hummingbird
import NetworkData
import Pages
import Reports
import Studies

/// The web workspace's HTTP server: the JSON API of openapi.yaml over the library modules.
/// Handlers only decode the request, call the library (the same calls the command line makes)
/// and encode the contract; every failure is a JSON ``APIErrorBody`` with a 4xx status.
public struct WorkspaceServer: Sendable {
    public let settings: WorkspaceSettings
    let state: NetworkState
    let store: ResultsStore
    let plans: PlanArchive
    let jobs: JobBoard
    let handlers: Handlers
    let pages: WorkspacePages

    /// Prepares the server: indexes `network` and opens (creating if needed) the results database.
    ///
    /// - Throws: ``WorkspaceSetupError`` when the database cannot be opened or created, or the
    ///   network cannot be exported.
    /// - Complexity: O(p + s) for p places and s services of `network`.
    public init(settings: WorkspaceSettings, network: Network) throws(WorkspaceSetupError) {
        self.settings = settings
        do { state = try NetworkState(network: network) } catch {
            throw WorkspaceSetupError(message: "the network cannot be exported as GeoJSON: \(error)")
        }
        do { store = try ResultsStore(path: settings.databasePath) } catch {
            throw WorkspaceSetupError(message: "--db \(settings.databasePath): \(error.message)")
        }
        plans = PlanArchive(capacity: settings.keptPlans, concurrentPlans: settings.concurrentPlans)
        jobs = JobBoard(settings: settings, store: store)
        let shipped = Self.shippedScenarios()
        handlers = Handlers(settings: settings, state: state, store: store, plans: plans, jobs: jobs,
                            shippedScenarios: Dictionary(shipped, uniquingKeysWith: { first, _ in first }))
        do { pages = WorkspacePages(network: network, land: try LandOutline.builtIn(), scenarios: shipped) } catch {
            throw WorkspaceSetupError(message: "the map's land outline cannot be read: \(error.description)")
        }
    }

    /// One endpoint of openapi.yaml: its method, path template and handler.
    struct Endpoint: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var handle: @Sendable (Request, BasicRequestContext) async throws -> Response
    }

    /// Every endpoint, in openapi.yaml's order.
    var endpoints: [Endpoint] {
        let h = handlers
        return [
            Endpoint(method: .get, path: "/api/places") { request, _ in try h.places(request) },
            Endpoint(method: .get, path: "/api/network.geojson") { request, _ in try h.networkGeoJSON(request) },
            Endpoint(method: .get, path: "/api/route") { request, _ in try h.route(request) },
            Endpoint(method: .post, path: "/api/plans") { request, _ in try await h.createPlan(request) },
            Endpoint(method: .get, path: "/api/plans/{plan}") { request, context in try await h.plan(request, context) },
            Endpoint(method: .get, path: "/api/plans/{plan}/bills/{shipment}") { request, context in try await h.bill(request, context) },
            Endpoint(method: .post, path: "/api/jobs/simulate") { request, _ in try await h.simulate(request) },
            Endpoint(method: .post, path: "/api/jobs/headroom") { request, _ in try await h.headroom(request) },
            Endpoint(method: .get, path: "/api/jobs/{job}") { request, context in try await h.job(request, context) },
            Endpoint(method: .delete, path: "/api/jobs/{job}") { request, context in try await h.cancelJob(request, context) },
            Endpoint(method: .get, path: "/api/jobs/{job}/events") { request, context in try await h.jobEvents(request, context) },
            Endpoint(method: .get, path: "/api/studies") { request, _ in try await h.studies(request) },
            Endpoint(method: .post, path: "/api/studies") { request, _ in try await h.createStudy(request) },
            Endpoint(method: .get, path: "/api/studies/report") { request, _ in try await h.studyReport(request) },
            Endpoint(method: .get, path: "/api/studies/database") { [store] request, _ in try Self.database(request, store: store) },
        ]
    }

    /// The router with every endpoint and middleware, for an application or a test.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let endpoints = self.endpoints
        router.add(middleware: ErrorMiddleware())
        if let token = settings.token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        router.add(middleware: MethodCheckMiddleware(endpoints: endpoints.map { ($0.method, $0.path) }))
        router.add(middleware: BodyLimitMiddleware(maximumBytes: settings.maximumBodyBytes))
        for endpoint in endpoints {
            router.on(RouterPath(endpoint.path), method: endpoint.method, use: endpoint.handle)
        }
        addPages(to: router)
        return router
    }

    /// The application listening on `settings.host:settings.port`.
    ///
    /// - Parameter onListening: called with the port once the server listens (the one picked
    ///   when `settings.port` is 0).
    public func application(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: "routeplanner"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) })
    }

    /// Serves until SIGINT or SIGTERM, then stops gracefully (requests in flight finish).
    /// Prints `listening on http://HOST:PORT` on standard output once the port is open.
    public func run() async throws {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        let app = application { port in
            FileHandle.standardOutput.write(Data("routeplanner serve: listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

extension WorkspaceServer {
    /// The shipped scenario files (`networks/scenarios/`) a client may send as they are: simulations
    /// of the built-in network and demand, naming no file.
    /// - Complexity: one scenario load per file.
    static func shippedScenarios() -> [(name: String, yaml: String)] {
        guard let folder = BuiltInNetwork.repositoryFile("networks/scenarios"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let networks = NetworkCache()
        let loader = ScenarioLoader { source in source == .builtIn ? try? networks.network(source) : nil }
        var found: [(name: String, yaml: String)] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            let url = folder.appendingPathComponent(name)
            guard let scenario = try? loader.load(url, shownAs: name), scenario.planning == nil, scenario.network == .builtIn,
                  let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            if case .table = scenario.demand { continue }
            if scenario.edits.contains(where: { if case .disruptionFile = $0 { true } else { false } }) { continue }
            found.append((name, text))
        }
        return found
    }
}

/// The server cannot start: the database or the network is unusable.
public struct WorkspaceSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Answers 405 with `Allow` for a method a known path does not take (the router alone would
/// say 404, as if the path did not exist).
struct MethodCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path templates split at `/` (`{name}` matches any one segment) and their methods.
    let templates: [(segments: [Substring], methods: [HTTPRequest.Method])]

    init(endpoints: [(HTTPRequest.Method, String)]) {
        var templates: [(segments: [Substring], methods: [HTTPRequest.Method])] = []
        for (method, path) in endpoints {
            let segments = path.split(separator: "/")
            if let i = templates.firstIndex(where: { $0.segments == segments }) {
                templates[i].methods.append(method)
            } else {
                templates.append((segments, [method]))
            }
        }
        self.templates = templates
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        var matching = templates.filter { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        // As the router does, a literal segment wins over a parameter (`/api/jobs/simulate` is
        // not the job `simulate`).
        let parameters = { (segments: [Substring]) in segments.filter { $0.hasPrefix("{") }.count }
        if let fewest = matching.map({ parameters($0.segments) }).min() {
            matching = matching.filter { parameters($0.segments) == fewest }
        }
        let allowed = matching.flatMap(\.methods)
        if !matching.isEmpty, !allowed.contains(request.method) {
            let names = allowed.map(\.rawValue)
            var error = APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); expected \(names.joined(separator: " or "))")
            error.headers[.allow] = names.joined(separator: ", ")
            throw error
        }
        return try await next(request, context)
    }
}

/// Refuses a request whose declared body is over the limit at once (413), before reading it;
/// a body without a length is cut at the limit when a handler collects it.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let text = request.headers[.contentLength], let length = Int(text), length > maximumBytes {
            throw APIError(.contentTooLarge, "the request body has \(length) bytes; the server takes at most \(maximumBytes) (serve's limit, docs/limits.md)")
        }
        return try await next(request, context)
    }
}

/// Runs `work` on a thread of its own (a plan's LP may take seconds; the server's few
/// cooperative threads must stay free for other requests).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
