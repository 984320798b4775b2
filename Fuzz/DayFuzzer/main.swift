// libFuzzer target for the day decoder and validator (issue 6): feeds arbitrary
// bytes to Problem.load with the built-in resource plugins. Any crash, trap,
// overflow or sanitizer report is a bug; input errors are the expected outcome.
//
// Built for fuzzing with (see .ci/run):
//   swift build -c debug --product DayFuzzer --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
// SwiftPM links an executable's entry point as `main`, so libFuzzer's own `main` is
// not used: with FUZZING, this file's top-level code starts libFuzzer's driver.
// Without it (a plain `swift build`), the executable does nothing.
#if FUZZING
#if canImport(Glibc)
import Glibc
#endif
#endif
import Catering
import Gifts
import Lodging
import SchedulingCore
import Staff
import Transport
import Venues

enum DayFuzzer {
    /// The same resource kinds as the CLI's registry; no optimizer is needed to load a day.
    static let registry: PluginRegistry = {
        try! PluginRegistry(resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin(), GiftsPlugin(), LodgingPlugin()],
                            optimizers: [])
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDay(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let problem = try Problem.load(json: bytes, registry: DayFuzzer.registry)
        // A valid day: its needs must be well formed.
        for need in problem.needs { precondition(need.id.visit < problem.day.visits.count) }
    } catch {
        precondition(!error.errors.isEmpty, "an InputError without errors")
        for issue in error.errors { precondition(!issue.message.isEmpty) }
    }
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var arguments = CommandLine.argc
var vector = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&arguments, &vector, fuzzDay)
exit(status)
#endif
