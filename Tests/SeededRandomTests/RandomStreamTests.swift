import Testing
@testable import SeededRandom

@Suite struct RandomStreamTests {
    @Test func splitMix64MatchesReferenceOutput() {
        // Reference values of Vigna's splitmix64.c seeded with 1234567.
        var sm = SplitMix64(state: 1_234_567)
        #expect(sm.next() == 6_457_827_717_110_365_317)
        #expect(sm.next() == 3_203_168_211_198_807_973)
        #expect(sm.next() == 9_817_491_932_198_370_423)
    }

    @Test func sameSeedAndLabelSameNumbers() {
        var a = RandomStream(seed: 42, label: "x"), b = RandomStream(seed: 42, label: "x")
        for _ in 0..<100 { #expect(a.next() == b.next()) }
        var c = RandomStream(seed: 42, label: "y"), d = RandomStream(seed: 43, label: "x")
        var a2 = RandomStream(seed: 42, label: "x")
        let first = a2.next()
        #expect(c.next() != first)
        #expect(d.next() != first)
    }

    @Test func splitIsIndependentOfParentUse() {
        let parent = RandomStream(seed: 7)
        var used = parent
        _ = used.next()
        var a = parent.split("data"), b = parent.split("data"), c = parent.split("order")
        let x = a.next()
        #expect(x == b.next())
        #expect(x != c.next())
    }

    @Test func uniformAndIndexRanges() {
        var s = RandomStream(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let u = s.uniform()
            #expect(u >= 0 && u < 1)
            counts[s.index(below: 10)] += 1
        }
        // Each bucket within 5 standard deviations of 10 000.
        for c in counts { #expect(abs(c - 10_000) < 500) }
    }

    @Test func gaussianMomentsAreStandard() {
        var s = RandomStream(seed: 3)
        let n = 200_000
        var sum = 0.0, sq = 0.0
        for _ in 0..<n { let z = s.gaussian(); sum += z; sq += z * z }
        let mean = sum / Double(n), variance = sq / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)        // sd of the mean ≈ 0.0022
        #expect(abs(variance - 1) < 0.02)
    }

    @Test func shuffleIsAPermutation() {
        var s = RandomStream(seed: 9)
        let p = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 50)
        defer { p.deallocate() }
        for i in 0..<50 { p[i] = Int32(i) }
        s.shuffle(p)
        #expect(Set(p) == Set(0..<50))
        #expect(Array(p) != Array(0..<50))
    }
}
