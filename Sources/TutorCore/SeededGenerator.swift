/// A small random number generator that gives the same numbers for the same seed
/// (SplitMix64), so `--seed N` orders a quiz the same way on every machine: Swift's
/// default generator cannot be seeded.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A generator for one named thing under `seed`: the same question shuffles its
    /// choices the same way whichever other questions share the quiz.
    public init(seed: UInt64, name: String) {
        // FNV-1a: a hash that, unlike `Hasher`, is the same in every process.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.init(seed: seed ^ hash)
    }
}
