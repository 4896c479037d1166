#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small seedable random number generator (Steele, Lea & Flood's SplitMix64): the same
/// sequence on every machine and Swift version, unlike `SystemRandomNumberGenerator`, so that
/// synthetic benchmark rows and randomized test inputs are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state.
    public var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so that `log` of it is finite.
    public mutating func nextUnit() -> Double { (Double(next() >> 11) + 1) / 9_007_199_254_740_992 }

    /// Standard normal (Box–Muller).
    public mutating func nextGaussian() -> Double { (-2 * log(nextUnit())).squareRoot() * cos(2 * .pi * nextUnit()) }
}
