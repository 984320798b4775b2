import Foundation
import SchedulingCore
import Testing

/// Hostile input (issue 6): every file of `Hostile/Corpus` and a few generated
/// monsters go through `schedule validate` and `schedule optimize` (the binary):
/// exit 2, every error line names a JSON path, no crash, no hang, nothing written.
@Suite("Hostile input corpus")
struct HostileInputTests {
    static let corpus = CLI.packageRoot.appendingPathComponent("Tests/SchedulerTests/Hostile/Corpus")

    static var corpusFiles: [String] {
        TimedCLI.listing(corpus).filter { $0.hasSuffix(".json") }
    }

    /// `file: error: <path>: message`, where the path is `(document)` or starts like
    /// `visits[0]...`, `["odd key"]...`.
    static func checkErrorLines(_ stderr: String, file: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let errors = stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(!errors.isEmpty, "no error line for \(file):\n\(stderr)", sourceLocation: sourceLocation)
        for line in errors {
            guard let range = line.range(of: ": error: ") else { continue }
            let rest = line[range.upperBound...]
            let path = rest.components(separatedBy: ": ").first ?? ""
            let named = path == "(document)" || path.first.map { $0.isLetter || $0.isNumber || $0 == "[" || $0 == "_" } == true
            #expect(named && rest.count > path.count + 2, "error line without a JSON path in \(file): \(line)", sourceLocation: sourceLocation)
        }
        #expect(stderr.contains("nothing was written"), "no closing line for \(file):\n\(stderr)", sourceLocation: sourceLocation)
    }

    /// Both commands on one file: exit 2 and nothing written, within `timeout`.
    static func expectRejected(_ path: String, name: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let validate = try TimedCLI.run(["validate", path], timeout: timeout)
        #expect(!validate.timedOut, "validate hung on \(name)", sourceLocation: sourceLocation)
        #expect(!validate.signalled && validate.status == 2, "validate \(name): exit \(validate.status)\n\(validate.stderr)", sourceLocation: sourceLocation)
        checkErrorLines(validate.stderr, file: name, sourceLocation: sourceLocation)

        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("plan.json")
        let optimize = try TimedCLI.run(["optimize", path, "-o", output.path], timeout: timeout)
        #expect(!optimize.timedOut, "optimize hung on \(name)", sourceLocation: sourceLocation)
        #expect(!optimize.signalled && optimize.status == 2, "optimize \(name): exit \(optimize.status)\n\(optimize.stderr)", sourceLocation: sourceLocation)
        checkErrorLines(optimize.stderr, file: name, sourceLocation: sourceLocation)
        #expect(TimedCLI.listing(folder).isEmpty, "optimize \(name) wrote \(TimedCLI.listing(folder))", sourceLocation: sourceLocation)
        // Without -o nothing may reach stdout either.
        let toStdout = try TimedCLI.run(["optimize", path], timeout: timeout)
        #expect(toStdout.status == 2 && toStdout.stdout.isEmpty, "optimize \(name) to stdout: exit \(toStdout.status), \(toStdout.stdout.count) bytes", sourceLocation: sourceLocation)
    }

    @Test("the corpus is there and every file in it is small")
    func corpusPresent() throws {
        let files = Self.corpusFiles
        #expect(files.count >= 80)
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: Self.corpus.appendingPathComponent(file).path)[.size] as? Int ?? 0
            #expect(size < 64 * 1024, "\(file) is \(size) bytes; generate large inputs in the test")
        }
    }

    @Test("every corpus file is rejected with exit 2, paths, no crash, no hang, nothing written", arguments: corpusFiles)
    func corpusFile(_ name: String) throws {
        try Self.expectRejected(Self.corpus.appendingPathComponent(name).path, name: name)
    }

    @Test("the library reports the same files as input errors, never a crash")
    func libraryLoad() throws {
        let registry = TrustSupport.registry()
        for name in Self.corpusFiles {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            do {
                _ = try Problem.load(json: bytes, registry: registry)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(!error.errors.isEmpty, "\(name): no errors")
            }
        }
    }

    @Test("a syntax error names where in the document it is")
    func syntaxErrorPath() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("syntax-nan-token.json")))
        do {
            _ = try Problem.load(json: bytes, registry: TrustSupport.registry())
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.path.description) == ["visits[0].guests"])
        }
    }

    @Test("generated monsters: 100 MB, 100,000 brackets, 100,000 nested objects, one 10 MB string")
    func generated() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ body: (FileHandle) throws -> Void) throws -> String {
            let url = folder.appendingPathComponent(name)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            try body(handle)
            try handle.close()
            return url.path
        }
        let huge = try write("huge.json") { h in
            h.write(Data(#"{"schemaVersion": 1, "date": "2026-12-01", "visits": ["#.utf8))
            let chunk = Data(String(repeating: #"{"id": "V", "tier": "low", "guests": 1, "segments": []},"#, count: 20_000).utf8)
            var written = 0
            while written < 100 * 1_048_576 { h.write(chunk); written += chunk.count }
            h.write(Data(#"{"id": "V"}]}"#.utf8))
        }
        try Self.expectRejected(huge, name: "huge.json (100 MB)", timeout: 60)
        let brackets = try write("brackets.json") { h in
            h.write(Data(repeating: UInt8(ascii: "["), count: 100_000))
            h.write(Data(repeating: UInt8(ascii: "]"), count: 100_000))
        }
        try Self.expectRejected(brackets, name: "brackets.json")
        let objects = try write("objects.json") { h in
            h.write(Data(String(repeating: #"{"a":"#, count: 100_000).utf8))
            h.write(Data("1".utf8))
            h.write(Data(repeating: UInt8(ascii: "}"), count: 100_000))
        }
        try Self.expectRejected(objects, name: "objects.json")
        let longString = try write("long-string.json") { h in
            h.write(Data(#"{"schemaVersion": 1, "date": ""#.utf8))
            h.write(Data(repeating: UInt8(ascii: "x"), count: 10 * 1_048_576))
            h.write(Data(#""}"#.utf8))
        }
        try Self.expectRejected(longString, name: "long-string.json")
    }
}
