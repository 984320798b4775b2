/// Amounts of money as people read them, the same in every output (the
/// `optimize` summary, the plan reports, the archive's tables) and independent
/// of the machine's locale.
///
/// It lives in the core because every module that shows money depends on the
/// core and on nothing else in common: the reports and the archive do not
/// depend on each other.
public enum Money {
    /// `12,345.67`: thousands grouped with commas, two decimals, the cents
    /// rounded half away from zero, and a minus sign only when the rounded
    /// amount is not zero.
    ///
    /// An amount of 1e15 or more in magnitude, far beyond any day (a day's
    /// numbers are at most 1e12) and beyond the cents a `Double` holds, is
    /// written as C's `%.6g` writes it (`1.23457e+15`); infinity and NaN as
    /// Swift writes them (`inf`, `nan`).
    public static func format(_ amount: Double) -> String {
        guard amount.isFinite else { return "\(amount)" }
        guard abs(amount) < 1e15 else { return scientific(amount) }
        let cents = (abs(amount) * 100).rounded()
        let whole = Int(cents / 100)
        let fraction = Int(cents.truncatingRemainder(dividingBy: 100))
        return (amount < 0 && cents > 0 ? "-" : "") + grouped(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// `1234567` as `1,234,567`: thousands grouped with commas.
    public static func grouped(_ whole: Int) -> String {
        var digits = String(whole)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits = String(digits.dropLast(3))
        }
        return digits + out
    }

    /// `%.6g` of a finite amount of at least 1e15 in magnitude, exactly as C's
    /// `printf` writes it: six significant digits rounded half to even from the
    /// exact binary value, trailing zeros dropped, a two-digit exponent at least.
    static func scientific(_ amount: Double) -> String {
        let magnitude = abs(amount)
        // magnitude = significand * 2^shift exactly, with an integer significand.
        let significand = (UInt64(1) << 52) | magnitude.significandBitPattern
        let shift = Int(magnitude.exponent) - 52
        var digits: [UInt8]
        var hasFraction = false
        if shift >= 0 {
            digits = decimalDigits(of: significand)
            for _ in 0..<shift { double(&digits) }
        } else {
            // At least 1e15 > 2^49, so at most three bits lie below the point.
            digits = decimalDigits(of: significand >> UInt64(-shift))
            hasFraction = significand & ((UInt64(1) << UInt64(-shift)) - 1) != 0
        }
        // `digits` is the integer part, most significant first, at least 16 of them.
        var head = digits.prefix(6).reduce(0) { $0 * 10 + Int($1) }
        var exponent = digits.count - 1
        let next = digits[6]
        let roundsUp: Bool
        if next != 5 {
            roundsUp = next > 5
        } else {
            let beyondHalf = hasFraction || digits.dropFirst(7).contains { $0 != 0 }
            roundsUp = beyondHalf || head % 2 == 1
        }
        if roundsUp {
            head += 1
            if head == 1_000_000 {
                head = 100_000
                exponent += 1
            }
        }
        var mantissa = String(head)
        while mantissa.count > 1 && mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.count > 1 { mantissa.insert(".", at: mantissa.index(after: mantissa.startIndex)) }
        return (amount < 0 ? "-" : "") + mantissa + "e+" + (exponent < 10 ? "0" : "") + String(exponent)
    }

    /// The decimal digits of `value`, most significant first.
    private static func decimalDigits(of value: UInt64) -> [UInt8] {
        String(value).utf8.map { $0 - UInt8(ascii: "0") }
    }

    /// Doubles a number given by its decimal digits, most significant first.
    private static func double(_ digits: inout [UInt8]) {
        var carry: UInt8 = 0
        for i in digits.indices.reversed() {
            let d = digits[i] * 2 + carry
            digits[i] = d % 10
            carry = d / 10
        }
        if carry > 0 { digits.insert(carry, at: 0) }
    }
}
