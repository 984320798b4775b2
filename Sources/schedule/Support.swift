import ArgumentParser
import Catering
import Foundation
import Gifts
import Lodging
import GLPKOptimizer
import GreedyOptimizer
import SchedulingCore
import Staff
import Transport
import Venues

/// The plugins this build knows. Adding a resource kind is one line here.
func builtinRegistry(optimizer: GLPKOptimizer = GLPKOptimizer()) -> PluginRegistry {
    do {
        return try PluginRegistry(
            resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin(), GiftsPlugin(), LodgingPlugin()],
            optimizers: [optimizer, GreedyOptimizer()])
    } catch {
        // The built-in plugins claim disjoint keys; reaching this is a programming error.
        fatalError("built-in plugins conflict: \(error)")
    }
}

/// Exit codes of PROBLEM.md §7.
enum Exit {
    static let success = ExitCode(0)
    static let internalFailure = ExitCode(1)
    static let badInput = ExitCode(2)
    static let needsAttention = ExitCode(3)
}

/// Writes to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Reads a whole file, or fails with exit 2 and a message naming it.
func readInput(_ path: String, what: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        printError("error: cannot read \(what) \(path): \(exists ? (isDirectory.boolValue ? "it is a folder" : "permission denied") : "no such file")")
        throw Exit.badInput
    }
    return [UInt8](data)
}

/// Loads a day, printing warnings; on input errors prints them all and exits 2.
func loadProblem(_ path: String, registry: PluginRegistry, quiet: Bool = false) throws -> Problem {
    let bytes = try readInput(path, what: "day file")
    do {
        let problem = try Problem.load(json: bytes, registry: registry)
        if !quiet { for warning in problem.warnings { printError("\(path): \(warning)") } }
        return problem
    } catch {
        for issue in error.issues where issue.severity == .warning && !quiet { printError("\(path): \(issue)") }
        let errors = error.errors
        for issue in errors { printError("\(path): error: \(issue.path): \(issue.message)") }
        printError("\(errors.count) error\(errors.count == 1 ? "" : "s") in \(path); nothing was written.")
        throw Exit.badInput
    }
}

/// Writes `text` to `path` atomically: a temporary file in the same folder,
/// then a rename, so a failure never leaves a half-written file or loses the old one.
/// `failBeforeRename` (SCHEDULE_INJECT_FAULT=write-error, a testing aid) fails after
/// the temporary file is written, as a full disk or a lost rename would.
func writeAtomically(_ text: String, to path: String, failBeforeRename: Bool = false) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        if failBeforeRename { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "injected write fault (SCHEDULE_INJECT_FAULT=write-error)"]) }
        // rename(2) replaces the destination atomically within one file system.
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        printError("error: cannot write \(path): \(error.localizedDescription)")
        throw Exit.internalFailure
    }
}
