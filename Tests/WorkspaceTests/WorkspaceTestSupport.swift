import Foundation
import Hummingbird
import HummingbirdTesting
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
        adjust(&settings)
        server = try WorkspaceServer(settings: settings, network: builtInNetwork)
    }

    /// Runs `body` against the server's router (no socket), then removes the folder.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = Application(router: server.router())
        try await app.test(.router, body)
    }
}

/// The repository's root (for examples/ and networks/).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension TestResponse {
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

/// The query string of `pairs`, percent-encoded as a browser encodes a form.
func query(_ pairs: KeyValuePairs<String, String>) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return pairs.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
}
