import Specs

/// The memory a problem instance would need, estimated from its parameters and refused before
/// anything is allocated: a too-large `dim` or data set is one line, not an allocation failure.
public enum ProblemMemory {
    /// The most one problem instance (its data, plus one run's vectors) may need: 2 GiB.
    /// A sweep holds one instance per problem and seed.
    public static let limitBytes = 2.0 * 1024 * 1024 * 1024

    /// Throws one line naming the parameters unless `bytes` fits under `limitBytes`.
    public static func check(_ name: String, bytes: Double, _ what: String) throws {
        guard bytes > limitBytes else { return }
        throw SpecUsageError("\(name): \(what) needs about \(gibibytes(bytes)) GiB of memory; the limit is \(gibibytes(limitBytes)) GiB per problem instance")
    }

    /// A run's vectors (point, gradient, optimizer state, scratch): 16 vectors of doubles.
    public static func runVectors(_ dimension: Int) -> Double { 16 * 8 * Double(dimension) }

    /// 8 bytes per entry of a rows × columns matrix of doubles.
    public static func matrix(_ rows: Int, _ columns: Int) -> Double { 8 * Double(rows) * Double(columns) }

    static func gibibytes(_ bytes: Double) -> String {
        let g = bytes / (1024 * 1024 * 1024)
        let tenths = (g * 10).rounded()
        return g >= 10 || tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(min(g, 1e15).rounded())) : String(tenths / 10)
    }
}
