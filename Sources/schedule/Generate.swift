import ArgumentParser
import DayGenerator
import Foundation
import SchedulingCore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic reception day of any size, for trials and benchmarks.",
        discussion: "The same --visits, --seed and --tightness give the same day, byte for byte.")

    @Option(help: "How many visits (1 or more).")
    var visits: Int

    @Option(help: "Seed of the random day.")
    var seed: UInt64 = 1

    @Option(help: "1.0 gives comfortably enough resources; 1.5 makes them scarce.")
    var tightness: Double = 1.0

    @Option(name: [.short, .customLong("output")], help: "Write the day here (atomically) instead of to stdout.")
    var output: String?

    func validate() throws {
        guard visits >= 1 && visits <= 100_000 else { throw ValidationError("--visits must be between 1 and 100000, got \(visits)") }
        guard tightness > 0 && tightness <= 10 else { throw ValidationError("--tightness must be in (0, 10], got \(tightness)") }
    }

    func run() throws {
        let day = DayGenerator.generate(GeneratorOptions(visits: visits, seed: seed, tightness: tightness))
        let text = JSONWriter.pretty(day)
        if let output {
            try writeAtomically(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
