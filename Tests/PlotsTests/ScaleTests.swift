import Testing
import TestSupport
@testable import Plots

@Suite struct TickTests {
    @Test func linearUnitInterval() {
        let s = Scale.fit([0, 1])
        #expect(s.labels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(s.lower == 0 && s.upper == 1)
        #expect(s.ticks.allSatisfy { $0.isMajor })
    }

    @Test func linearWidensToEnclosingNiceTicks() {
        // Pinned: [0, 7.3] → 0, 2, 4, 6, 8 (steps of 1 would need 8 intervals > 6).
        let s = Scale.fit([0, 7.3])
        #expect(s.labels == ["0", "2", "4", "6", "8"])
        #expect(s.lower == 0 && s.upper == 8)
    }

    @Test func linearHalfSteps() {
        #expect(Scale.fit([0, 2.4]).labels == ["0", "0.5", "1", "1.5", "2", "2.5"])
        #expect(Scale.fit([-3.2, 4.1]).labels == ["-4", "-2", "0", "2", "4", "6"])
    }

    @Test func linearDecimalsAreExact() {
        // 0.1 + 0.2 != 0.3 in binary; labels come from exact decimals.
        let s = Scale.fit([0.1, 0.7])
        #expect(s.labels == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        for label in s.labels { #expect(label.count <= 4) }
    }

    @Test func linearLargeAndTinyUseScientific() {
        #expect(Scale.fit([0, 1e6]).labels == ["0", "2e5", "4e5", "6e5", "8e5", "1e6"])
        #expect(Scale.fit([0, 50_000]).labels == ["0", "10000", "20000", "30000", "40000", "50000"])
        #expect(Scale.fit([0, 0.001]).labels == ["0", "2e-4", "4e-4", "6e-4", "8e-4", "1e-3"])
    }

    @Test func linearFixedBoundsAreKept() {
        let s = Scale.fit([0.2, 0.9], lower: 0, upper: 1)
        #expect(s.lower == 0 && s.upper == 1)
        #expect(s.labels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let t = Scale.fit([0.3, 0.7], lower: 0.05, upper: 0.95)
        #expect(t.lower == 0.05 && t.upper == 0.95)
        #expect(t.labels == ["0.2", "0.4", "0.6", "0.8"])
    }

    @Test func logDecades() {
        let s = Scale.fit([1e-7, 3e-5, 100], kind: .log10)
        #expect(s.lower == -7 && s.upper == 2)
        #expect(s.labels == ["1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "0.01", "0.1", "1", "10", "100"])
        // Every decade in the domain is at least a minor tick.
        #expect(s.ticks.filter { $0.position == $0.position.rounded() }.count == 10)
    }

    @Test func logDecadesWithinLimitAreAllLabelled() {
        let s = Scale.fit([0.0012, 950], kind: .log10)
        #expect(s.labels == ["1e-3", "0.01", "0.1", "1", "10", "100", "1000"])
        // 2…9 minor ticks between decades.
        #expect(s.ticks.count == 7 + 6 * 8)
    }

    @Test func logManyDecadesUseAStride() {
        let s = Scale.fit([1e-12, 5], kind: .log10)
        #expect(s.lower == -12 && s.upper == 1)
        #expect(s.labels == ["1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "0.01", "1"])
    }

    @Test func logWithinOneDecadeGets125Labels() {
        let s = Scale.fit([0.03, 0.4], kind: .log10)
        #expect(s.labels == ["0.02", "0.05", "0.1", "0.2", "0.5"])
        #expect(abs(s.lower - (-2 + log10Exact(2))) < 1e-12)
        #expect(abs(s.upper - log10Exact(0.5)) < 1e-12)
        // Unlabelled minor ticks at 3, 4, 6, 7, 8, 9 × 10^k.
        #expect(s.ticks.contains { !$0.isMajor && abs($0.value - 0.03) < 1e-12 })
        #expect(Scale.fit([3e-5, 4e-4], kind: .log10).labels == ["2e-5", "5e-5", "1e-4", "2e-4", "5e-4"])
        #expect(Scale.fit([300, 4000], kind: .log10).labels == ["200", "500", "1000", "2000", "5000"])
    }

    @Test func logNarrowRangeFallsBackToAllDigits() {
        let s = Scale.fit([0.31, 0.35], kind: .log10)
        #expect(s.labels == ["0.3", "0.4"])
        let t = Scale.fit([2.1, 7.9], kind: .log10)
        #expect(t.labels == ["2", "5", "10"]) // 1-2-5 still gives three labels
        #expect(Scale.fit([1.1, 1.9], kind: .log10).labels == ["1", "2"])
    }

    @Test func constantSeriesIsPadded() {
        let s = Scale.fit([5, 5, 5])
        #expect(s.lower < 5 && s.upper > 5)
        #expect(s.labels == ["4.4", "4.6", "4.8", "5", "5.2", "5.4", "5.6"])
        let z = Scale.fit([0, 0])
        #expect(z.labels == ["-1", "-0.5", "0", "0.5", "1"])
        let l = Scale.fit([1, 1], kind: .log10)
        #expect(l.labels == ["0.2", "0.5", "1", "2", "5"])
        #expect(!s.isEmpty && !l.isEmpty)
    }

    @Test func singlePoint() {
        let s = Scale.fit([42])
        #expect(s.lower < 42 && s.upper > 42)
        #expect(s.labels.contains("42"))
        let l = Scale.fit([1e-3], kind: .log10)
        #expect(l.lower < -3 && l.upper > -3)
        #expect(l.labels.contains("1e-3"))
    }

    @Test func emptyData() {
        let s = Scale.fit([Double]())
        #expect(s.isEmpty)
        #expect(s.lower == 0 && s.upper == 1)
        let l = Scale.fit([.nan, -1, 0], kind: .log10)
        #expect(l.isEmpty)
        #expect(l.droppedNonPositive == 2)
        #expect(l.domain.lowerBound == 1 && l.domain.upperBound == 10)
    }

    @Test func nonFiniteValuesAreIgnored() {
        let s = Scale.fit([0, .nan, 1, .infinity, -.infinity])
        #expect(s.labels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    @Test func logDropsNonPositive() {
        let s = Scale.fit([0, -3, 1e-2, 10], kind: .log10)
        #expect(s.droppedNonPositive == 2)
        #expect(s.lower == -2 && s.upper == 1)
        #expect(s.transform(0) == nil)
        #expect(s.transform(-1) == nil)
        #expect(s.fraction(0) == nil)
    }

    @Test func hugeLogRange() {
        let s = Scale.fit([1e-300, 1e300], kind: .log10)
        #expect(s.lower == -300 && s.upper == 300)
        #expect(s.labels == ["1e-300", "1e-200", "1e-100", "1", "1e100", "1e200", "1e300"])
        let sub = Scale.fit([Double.leastNonzeroMagnitude, 1.7e308], kind: .log10)
        #expect(sub.lower >= -324 && sub.upper <= 309)
        #expect(!sub.labels.isEmpty)
    }

    @Test func hugeLinearRange() {
        let s = Scale.fit([-1.7e308, 1.7e308])
        #expect(s.lower.isFinite && s.upper.isFinite)
        #expect(!s.labels.isEmpty)
        for t in s.ticks { #expect(t.value.isFinite) }
        let tiny = Scale.fit([0, Double.leastNonzeroMagnitude])
        #expect(tiny.lower.isFinite && tiny.upper.isFinite && tiny.upper > tiny.lower)
        let near = Scale.fit([1e15, 1e15 + 2])
        #expect(near.upper > near.lower)
    }

    @Test func fixedBoundsOnLogAxis() {
        let s = Scale.fit([0.5], kind: .log10, lower: 1e-3, upper: 1)
        #expect(s.lower == -3 && s.upper == 0)
        #expect(s.labels == ["1e-3", "0.01", "0.1", "1"])
    }
}

@Suite struct MappingTests {
    @Test func linearMapsToPixels() throws {
        let s = Scale.fit([0, 10]) // 0 … 10 in steps of 2
        #expect(s.lower == 0 && s.upper == 10)
        #expect(try #require(s.pixel(0, from: 100, to: 600)) == 100)
        #expect(try #require(s.pixel(2.5, from: 100, to: 600)) == 225)
        #expect(try #require(s.pixel(10, from: 100, to: 600)) == 600)
        // y axes run upwards: lower at the bottom pixel.
        #expect(try #require(s.pixel(7.5, from: 400, to: 0)) == 100)
        #expect(s.pixel(.nan, from: 0, to: 1) == nil)
        #expect(s.pixel(.infinity, from: 0, to: 1) == nil)
    }

    @Test func logMapsToPixels() throws {
        let s = Scale.fit([1e-4, 1], kind: .log10) // four decades
        #expect(s.lower == -4 && s.upper == 0)
        #expect(try #require(s.pixel(1e-4, from: 0, to: 400)) == 0)
        let p2 = try #require(s.pixel(1e-2, from: 0, to: 400)); #expect(abs(p2 - 200) < 1e-9)
        let p3 = try #require(s.pixel(1e-3, from: 400, to: 0)); #expect(abs(p3 - 300) < 1e-9)
        #expect(s.pixel(0, from: 0, to: 400) == nil)
        #expect(s.pixel(-1e-3, from: 0, to: 400) == nil)
    }
}

@Suite struct FormatTests {
    @Test func decimals() {
        #expect(Decimal10(1, e: -3).compact() == "1e-3")
        #expect(Decimal10(1, e: -2).compact() == "0.01")
        #expect(Decimal10(100, e: 0).compact() == "100")
        #expect(Decimal10(1, e: 4).compact() == "1e4")
        #expect(Decimal10(25, e: -1).compact() == "2.5")
        #expect(Decimal10(-25, e: 3).scientific == "-2.5e4")
        #expect(Decimal10(5, e: -3).plain == "0.005")
        #expect(Decimal10(1200, e: -2).plain == "12")
        #expect(Decimal10(0, e: 5).plain == "0")
    }

    @Test func coordinates() {
        #expect(fmt(0) == "0")
        #expect(fmt(-0.0) == "0")
        #expect(fmt(-0.001) == "0")
        #expect(fmt(1.005) == "1")
        #expect(fmt(12.3456) == "12.35")
        #expect(fmt(-7.1) == "-7.1")
        #expect(fmt(100) == "100")
        #expect(fmt(.nan) == "0")
        #expect(fmt(.infinity) == "0")
        #expect(fmt(1e300) == "1000000")
    }

    @Test func significantDigits() {
        #expect(Decimal10.rounding(1.23456, significantDigits: 3)?.plain == "1.23")
        #expect(Decimal10.rounding(0.000123456, significantDigits: 2)?.compact() == "1.2e-4")
        #expect(Decimal10.rounding(9.996, significantDigits: 3)?.plain == "10")
        #expect(Decimal10.rounding(.nan, significantDigits: 3) == nil)
    }

    @Test func escaping() {
        #expect(xmlEscape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;")
        #expect(xmlEscape("x\u{1}y") == "xy")
    }

    @Test func palette() {
        #expect(Palette.okabeIto.count == 8)
        #expect(Set(Palette.okabeIto).count == 8)
        #expect(Palette.color(0) == Palette.color(8))
        #expect(Palette.dash(0) == .solid && Palette.dash(8) == .dashed && Palette.dash(16) == .dotted && Palette.dash(24) == .solid)
        // No two of the first 24 series share both colour and dash.
        let styles = (0..<24).map { "\(Palette.color($0).hex)\(Palette.dash($0))" }
        #expect(Set(styles).count == 24)
    }
}

private func log10Exact(_ x: Double) -> Double { x.log10Value }
