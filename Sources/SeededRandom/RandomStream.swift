#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded, splittable stream of random numbers: xoshiro256** (Blackman & Vigna 2018) seeded
/// through SplitMix64, with Gaussian draws by Marsaglia's polar method.
///
/// Every data set, initial point and minibatch order in lrbench is drawn from a stream derived
/// from a *name* (the problem spec, a purpose such as "minibatch") and a seed index, never from
/// a position in a sweep, so the same numbers come out on every run, thread and machine.
/// Only integer arithmetic, `sqrt` (exact in IEEE 754) and `log` are used.
public struct RandomStream: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    /// A spare Gaussian from the last polar-method pair.
    private var spare: Double?

    /// A stream for `seed`, optionally specialised by a label.
    public init(seed: UInt64, label: String = "") {
        var sm = SplitMix64(state: seed ^ RandomStream.fnv1a(label))
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        spare = nil
    }

    /// An independent stream for a sub-purpose, e.g. `stream.split("labels")`.
    /// Splitting does not advance `self`: the child depends only on this stream's seed state and the label.
    public func split(_ label: String) -> RandomStream {
        var sm = SplitMix64(state: s0 ^ (s1 &* 0x9E37_79B9_7F4A_7C15) ^ RandomStream.fnv1a(label))
        var child = self
        child.s0 = sm.next(); child.s1 = sm.next(); child.s2 = sm.next(); child.s3 = sm.next()
        child.spare = nil
        return child
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: a stable hash (Swift's `Hasher` is randomised per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    @inlinable
    public mutating func next() -> UInt64 { nextBits() }

    @usableFromInline
    mutating func nextBits() -> UInt64 {
        let result = RandomStream.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RandomStream.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(nextBits() >> 11) * 0x1.0p-53
    }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * uniform()
    }

    /// Uniform integer in 0..<n, without modulo bias (Lemire's method).
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = nextBits().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = nextBits().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A standard normal draw (Marsaglia's polar method).
    public mutating func gaussian() -> Double {
        if let z = spare {
            spare = nil
            return z
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * log(s) / s).squareRoot()
                spare = v * factor
                return u * factor
            }
        }
    }

    /// Normal with mean `mu` and standard deviation `sigma`.
    public mutating func gaussian(mean mu: Double, sd sigma: Double) -> Double {
        mu + sigma * gaussian()
    }

    /// Fills `buffer` with a uniformly random permutation of 0..<count (Fisher–Yates).
    public mutating func shuffle(_ buffer: UnsafeMutableBufferPointer<Int32>) {
        var i = buffer.count - 1
        while i > 0 {
            let j = index(below: i + 1)
            buffer.swapAt(i, j)
            i -= 1
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): turns one 64-bit seed into well-mixed state words.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
