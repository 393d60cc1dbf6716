import Foundation
import Hummingbird
import Testing
@testable import Workspace

@Suite("workspace: token and limits")
struct SecurityTests {
    static let token = "s3cret-token-0123456789"

    @Test func everyRequestNeedsTheBearerToken() async throws {
        let workspace = try TestWorkspace { $0.token = Self.token }
        try await workspace.test { client in
            let refused: [(HTTPFields, String)] = [
                ([:], "this server needs a bearer token"),
                ([.authorization: "Bearer wrong-token-0123456789"], "the bearer token is wrong"),
                ([.authorization: "Bearer \(Self.token)x"], "the bearer token is wrong"),
                ([.authorization: "Basic \(Self.token)"], "is not 'Bearer TOKEN'"),
            ]
            for (headers, message) in refused {
                for uri in ["/api/places?query=CKG", "/api/jobs/unknown", "/api/nothing"] {
                    try await client.execute(uri: uri, method: .get, headers: headers) { response throws in
                        #expect(response.status == .unauthorized)
                        #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"routeplanner\"")
                        #expect(try response.apiError().error.contains(message))
                    }
                }
            }
            try await client.execute(uri: "/api/places?query=CKG", method: .get, headers: [.authorization: "Bearer \(Self.token)"]) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(arguments: [
        ("abc", "abc", true), ("abc", "abd", false), ("abc", "ab", false), ("", "", true), ("a", "", false),
        (String(repeating: "x", count: 256), String(repeating: "x", count: 512), false),
    ])
    func tokensCompareByEveryByte(a: String, b: String, equal: Bool) {
        #expect(BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array(a.utf8), Array(b.utf8)) == equal)
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let workspace = try TestWorkspace { $0.maximumBodyBytes = 1024 }
        let big = ByteBuffer(string: String(repeating: "a,b,c\n", count: 400))
        try await workspace.test { client in
            for uri in ["/api/plans", "/api/jobs/simulate"] {
                try await client.execute(uri: uri, method: .post, body: big) { response throws in
                    #expect(response.status == .contentTooLarge)
                    #expect(try response.apiError().error.contains("1024"))
                }
            }
        }
    }

    @Test func tokenFilesAreChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good")
        try Data("  \(Self.token)\n".utf8).write(to: good)
        #expect(try TokenFile.read(good.path) == Self.token)
        let short = folder.appendingPathComponent("short")
        try Data("abc\n".utf8).write(to: short)
        #expect(throws: TokenFileError.self) { try TokenFile.read(short.path) }
        let spaced = folder.appendingPathComponent("spaced")
        try Data("this token has spaces in it".utf8).write(to: spaced)
        #expect(throws: TokenFileError.self) { try TokenFile.read(spaced.path) }
        #expect(throws: TokenFileError.self) { try TokenFile.read(folder.path) }
        #expect(throws: TokenFileError.self) { try TokenFile.read(folder.appendingPathComponent("missing").path) }
    }

    @Test(arguments: [("127.0.0.1", true), ("127.3.4.5", true), ("::1", true), ("localhost", true), ("0.0.0.0", false),
                      ("192.168.1.10", false), ("example.org", false),
                      ("127.example.org", false), ("127.0.0.1.example.org", false), ("127.0.0.256", false)])
    func loopbackHosts(host: String, loopback: Bool) {
        #expect(WorkspaceSettings.isLoopback(host) == loopback)
    }
}
