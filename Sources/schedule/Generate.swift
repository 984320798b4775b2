import ArgumentParser
import DayGenerator
import Foundation
import SchedulingCore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic reception day of any size, for trials and benchmarks.",
        discussion: "The same --visits, --seed, --tightness and --days give the same day, byte for byte. With --days 2 or more it writes a version-2 programme: the visits start on any of its days, a third of them stay 1-4 nights at hotels, and hotels are scaled like the other resources.")

    @Option(help: "How many visits (1 or more), over the whole programme.")
    var visits: Int

    @Option(help: "Days of the programme (1 writes a one-day, version-1 file).")
    var days: Int = 1

    @Option(help: "Seed of the random day.")
    var seed: UInt64 = 1

    @Option(help: "1.0 gives comfortably enough resources; 1.5 makes them scarce.")
    var tightness: Double = 1.0

    @Option(name: [.short, .customLong("output")], help: "Write the day here (atomically) instead of to stdout.")
    var output: String?

    func validate() throws {
        guard visits >= 1 && visits <= 100_000 else { throw ValidationError("--visits must be between 1 and 100000, got \(visits)") }
        guard tightness > 0 && tightness <= 10 else { throw ValidationError("--tightness must be in (0, 10], got \(tightness)") }
        guard days >= 1 && days <= 366 else { throw ValidationError("--days must be between 1 and 366, got \(days)") }
    }

    func run() throws {
        let day = DayGenerator.generate(GeneratorOptions(visits: visits, seed: seed, tightness: tightness, days: days))
        let text = JSONWriter.pretty(day)
        if let output {
            try writeAtomically(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
