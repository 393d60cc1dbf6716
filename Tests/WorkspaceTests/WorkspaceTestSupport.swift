import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import NetworkData
import Testing
import TestFixtures
@testable import Workspace

/// A server on the built-in network with a results database in a fresh temporary folder.
struct TestWorkspace {
    let folder: URL
    let server: WorkspaceServer

    init(_ adjust: (inout WorkspaceSettings) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-workspace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var settings = WorkspaceSettings()
        settings.databasePath = folder.appendingPathComponent("results.sqlite").path
        settings.host = "127.0.0.1"
        settings.port = 0
        adjust(&settings)
        server = try WorkspaceServer(settings: settings, network: builtInNetwork)
    }

    /// Serves on a free loopback port, runs `body` with a client of it (real HTTP/1.1 over a
    /// socket, as a browser or `curl` talks to `routeplanner serve`), then stops the server and
    /// removes the folder.
    func test(_ body: @escaping @Sendable (WorkspaceClient) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in
            listening.yield(port)
            listening.finish()
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            do {
                let port = try #require(await ports.first { _ in true }, "the server did not start")
                try await body(WorkspaceClient(port: port))
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// What the server answered to one request.
struct WorkspaceReply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    /// The body decoded as `T`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    /// The body as an API error; fails the test when it is not one.
    func apiError() throws -> APIErrorBody {
        #expect(headers[.contentType]?.hasPrefix("application/json") == true)
        return try decode(APIErrorBody.self)
    }

    var text: String { String(buffer: body) }
}

/// One header field (HTTPTypes' `HTTPField`, which Hummingbird does not re-export by name).
typealias Field = HTTPFields.Element

/// A client of the test server: one connection a request (closed by the client once the answer
/// has ended), NIO's HTTP/1.1 codec, the bytes the test gives (no header added but `Host` and
/// `Content-Length`).
struct WorkspaceClient: Sendable {
    let port: Int

    /// Sends one request and hands its whole answer (a stream read to its end) to `check`.
    @discardableResult
    func execute<Value: Sendable>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        _ check: @Sendable (WorkspaceReply) async throws -> Value
    ) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        let reply = try await channel.executeThenClose { inbound, outbound -> WorkspaceReply in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: uri)
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            for field in headers { head.headers.add(name: field.name.rawName, value: field.value) }
            head.headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0))
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(body))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)

            var status: HTTPResponse.Status?
            var fields = HTTPFields()
            var received = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let answer):
                    status = HTTPResponse.Status(code: Int(answer.status.code))
                    for (name, value) in answer.headers {
                        if let name = Field.Name(name) { fields.append(Field(name: name, value: value)) }
                    }
                case .body(var chunk):
                    received.writeBuffer(&chunk)
                case .end:
                    let status = try #require(status, "an answer without a status line")
                    return WorkspaceReply(status: status, headers: fields, body: received)
                }
            }
            throw WorkspaceClientError.closedEarly(uri)
        }
        return try await check(reply)
    }

    /// Sends one request and returns its whole answer.
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> WorkspaceReply {
        try await execute(uri: uri, method: method, headers: headers, body: body) { $0 }
    }
}

enum WorkspaceClientError: Error { case closedEarly(String) }

/// The repository's root (for examples/ and networks/).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The query string of `pairs`, percent-encoded as a browser encodes a form.
func query(_ pairs: KeyValuePairs<String, String>) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return pairs.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
}
