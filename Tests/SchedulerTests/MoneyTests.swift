import Foundation
import SchedulingCore
import Testing

/// The one money formatter that the `optimize` summary, the plan reports and
/// the archive's tables share.
@Suite("Money")
struct MoneyTests {
    @Test("amounts are grouped by thousands with two decimals, cents rounded half away from zero",
          arguments: [
              (0, "0.00"), (-0.0, "0.00"), (-0.004, "0.00"), (0.005, "0.01"), (-0.005, "-0.01"), (0.125, "0.13"),
              (7, "7.00"), (999.999, "1,000.00"), (1234.5, "1,234.50"), (-1_234_567.891, "-1,234,567.89"),
              (123_456_789_012.34, "123,456,789,012.34"), (1e15, "1e+15"),
          ] as [(Double, String)])
    func grouped(_ amount: Double, _ expected: String) {
        #expect(Money.format(amount) == expected)
    }

    @Test("beyond 1e15 it writes what C's %.6g writes, ties to even included")
    func scientific() {
        var values: [Double] = [1e15, -1e15, 1_234_565_000_000_000, 1_234_575_000_000_000, 1_234_565_000_000_000.5, 9_999_995e9,
                                -2.5e20, 1e100, Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude,
                                4_503_599_627_370_495.5, 1_000_005_000_000_000.25]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let exponent = Double.random(in: 15...300, using: &generator)
            values.append((Bool.random(using: &generator) ? -1 : 1) * pow(10, exponent))
            // Near ties at the sixth digit, where only exact arithmetic rounds right.
            let head = Double(Int.random(in: 100_000...999_999, using: &generator)) + 0.5
            values.append(head * pow(10, Double(Int.random(in: 10...20, using: &generator))))
        }
        for value in values {
            #expect(Money.format(value) == String(format: "%.6g", value), "\(value)")
        }
        #expect(Money.format(.infinity) == "inf" && Money.format(-.infinity) == "-inf" && Money.format(.nan) == "nan")
    }
}
