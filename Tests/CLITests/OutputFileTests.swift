import Foundation
import Testing

/// `plan --save PATH` where PATH is a device node, a FIFO or a symbolic link (issue #14): the
/// temporary-file-and-rename used to replace the node or the link itself.
@Suite("Outputs that are not plain files")
struct OutputFileTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let plan = ["plan", "examples/shipments-2027.csv", "--format", "json"]

    /// A symbolic link stays a link; the plan goes into the file it points to.
    @Test func planSaveThroughASymlinkWritesItsTargetAndKeepsTheLink() throws {
        let folder = try Self.scratch()
        let target = folder.appendingPathComponent("real.json"), link = folder.appendingPathComponent("link.json")
        try Data("old".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.json")
        let run = try ToolRun(Self.plan + ["--save", link.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "real.json", "the link was replaced")
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: target)) as? [String: Any]
        #expect(saved?["schemaVersion"] != nil, "the link's target does not hold the plan")
    }

    /// A FIFO is refused at once (exit 2, naming it), not replaced and not waited on.
    @Test func planSaveToAFIFOIsRefusedAndTheFIFOStays() throws {
        let folder = try Self.scratch()
        let fifo = folder.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let run = try ToolRun(Self.plan + ["--save", fifo.path])
        #expect(run.status == 2 && run.stderr.contains(fifo.path) && run.stderr.contains("FIFO"), "\(run.status): \(run.stderr)")
        var status = stat()
        #expect(lstat(fifo.path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    }

    /// A character device is written through: `/dev/null` stays the device.
    @Test func planSaveToDevNullWritesThroughAndLeavesTheDevice() throws {
        let run = try ToolRun(Self.plan + ["--save", "/dev/null"])
        #expect(run.status == 0, "\(run.stderr)")
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "/dev/null is no longer a device")
    }

    /// A folder is refused with exit 2 naming it.
    @Test func planSaveToAFolderIsRefused() throws {
        let folder = try Self.scratch()
        let run = try ToolRun(Self.plan + ["--save", folder.path])
        #expect(run.status == 2 && run.stderr.contains(folder.path) && run.stderr.contains("folder"), "\(run.status): \(run.stderr)")
    }
}
