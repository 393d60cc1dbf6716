import Foundation

/// Validates JSON documents against the schemas in `schemas/` with Python's `jsonschema`
/// (Draft 2020-12, formats checked): a real validator, not ours. Every schema file is
/// registered under its `$id`, so references between files (`route-leg.schema.json`) resolve.
public enum JSONSchemaCheck {
    /// The repository's `schemas/` folder.
    public static let schemasFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas")

    /// The errors of each document against `schemas/<schema>` (e.g. `plan.schema.json`), one list
    /// per document, each error `path/in/document: message`; all documents in one Python process.
    ///
    /// - Throws: ``JSONSchemaCheckFailure`` when the validator cannot run or a schema is invalid.
    public static func errors(_ documents: [Data], schema: String) throws -> [[String]] {
        let script = """
            import glob, json, os, sys
            from jsonschema import Draft202012Validator
            folder, name = sys.argv[1], sys.argv[2]
            schemas = {}
            for path in sorted(glob.glob(os.path.join(folder, "*.schema.json"))):
                with open(path) as f: schemas[os.path.basename(path)] = json.load(f)
            for schema in schemas.values(): Draft202012Validator.check_schema(schema)
            try:  # jsonschema >= 4.18: a registry of the schemas by $id
                from referencing import Registry, Resource
                registry = Registry().with_resources(
                    [(s["$id"], Resource.from_contents(s)) for s in schemas.values() if "$id" in s])
                references = {"registry": registry}
            except ImportError:  # older jsonschema (Debian 12's 4.10): a resolver with the same store
                from jsonschema import RefResolver
                store = {s["$id"]: s for s in schemas.values() if "$id" in s}
                references = {"resolver": RefResolver.from_schema(schemas[name], store=store)}
            validator = Draft202012Validator(schemas[name], format_checker=Draft202012Validator.FORMAT_CHECKER,
                                             **references)
            with open(sys.argv[3]) as f: documents = json.load(f)
            json.dump([["/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(d)]
                       for d in documents], sys.stdout)
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString).json")
        try (Data("[".utf8) + documents.joined(separator: Data(",".utf8)) + Data("]".utf8)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemasFolder.path, schema, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw JSONSchemaCheckFailure(message: String(decoding: stderr, as: UTF8.self))
        }
        do { return try JSONDecoder().decode([[String]].self, from: result) } catch {
            throw JSONSchemaCheckFailure(message: "unreadable validator output: \(String(decoding: result.prefix(500), as: UTF8.self))")
        }
    }
}

/// The schema validator could not run, or a schema is not a valid JSON Schema.
public struct JSONSchemaCheckFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "jsonschema validator failed: \(message)" }
}
