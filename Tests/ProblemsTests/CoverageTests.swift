import Testing
import TestSupport
import Problems
import Specs

@Suite struct ProblemCoverageTests {
    /// The problems whose gradient a finite-difference test checks: GradientTests, InstanceTests
    /// and ClassificationTests take their arguments from these lists.
    static var checkedSpecs: [String] {
        finiteDifferenceSpecs + InstanceTests.finiteDifferenceSpecs
            + ClassificationTests.finiteDifferenceModels.map { ClassificationTests.finiteDifferenceSpec(model: $0) }
    }

    /// Every registered problem has a central-difference gradient test: a problem added to
    /// `ProblemRegistry` without one fails here.
    @Test func everyRegisteredProblemHasAFiniteDifferenceGradientTest() throws {
        let checked = Set(try Self.checkedSpecs.map { try Spec(parsing: $0).name })
        let registered = ProblemRegistry.all.map { $0.catalog.name }
        for name in registered {
            #expect(checked.contains(name), "problem '\(name)' has no finite-difference gradient test")
        }
        #expect(checked.isSubset(of: Set(registered)), "gradient tests of unregistered problems: \(checked.subtracting(registered))")
    }
}
