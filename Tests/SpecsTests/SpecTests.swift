import Testing
@testable import Specs

@Suite struct SpecParsingTests {
    @Test func parsesNameAlone() throws {
        let s = try Spec(parsing: "sgd")
        #expect(s.name == "sgd")
        #expect(s.arguments.isEmpty)
        #expect(s.description == "sgd")
    }

    @Test func parsesNumbersListsAndNestedSpecs() throws {
        let s = try Spec(parsing: " sequential(schedules=linear(start_factor=0.1, total_iters=10);cosine(T_max=90), milestones=10) ")
        #expect(s.name == "sequential")
        let parts = try #require(s["schedules"]).items
        #expect(parts.count == 2)
        #expect(parts[0].asSpec?.name == "linear")
        #expect(parts[0].asSpec?["start_factor"] == .number(0.1, text: "0.1"))
        #expect(parts[1].asSpec?.description == "cosine(T_max=90)")
        #expect(s["milestones"] == .number(10, text: "10"))
    }

    @Test func roundTripsCanonicalText() throws {
        let text = "adam(betas=0.9;0.999, eps=1e-8, amsgrad=true)"
        #expect(try Spec(parsing: text).description == text)
        #expect(try Spec(parsing: "adam( betas = 0.9 ; 0.999 ,eps=1e-8,amsgrad=true )").description == text)
    }

    @Test func wordsMayBeExpressions() throws {
        let s = try Spec(parsing: "cosine(T_max=budget/2)")
        #expect(s["T_max"] == .word("budget/2"))
    }

    @Test(arguments: [
        ("adam(", 5, "expected a name"),
        ("adam(eps)", 8, "expected '=' after 'eps'"),
        ("adam(eps=)", 9, "expected a value, found ')'"),
        ("adam(eps=1 lr=2)", 11, "expected ',' or ')', found 'l'"),
        ("adam(eps=1", 10, "missing ')' to close 'adam('"),
        ("adam(eps=1, eps=2)", 12, "parameter 'eps' is given twice"),
        ("adam() x", 7, "unexpected 'x' after the spec"),
        ("(x)", 0, "expected a name, found '('"),
        ("1adam", 0, "a name starts with a letter"),
    ])
    func pointsAtTheFault(text: String, column: Int, message: String) {
        do {
            _ = try Spec(parsing: text)
            Issue.record("expected an error for \(text)")
        } catch let e as SpecError {
            #expect(e.column == column)
            #expect(e.message == message)
            #expect(e.description.hasPrefix("malformed spec '\(text)' at column \(column + 1): \(message)"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite struct ParameterReadingTests {
    @Test func readsDefaultsAndValues() throws {
        var p = Parameters(try Spec(parsing: "m(a=2, b=true, c=x, d=1;2;3)"))
        #expect(try p.double("a", default: 1) == 2)
        #expect(try p.double("z", default: 7) == 7)
        #expect(try p.bool("b", default: false))
        #expect(try p.choice("c", default: "y", ["x", "y"]) == "x")
        #expect(try p.ints("d") == [1, 2, 3])
        try p.finish()
    }

    @Test func rejectsUnknownParameterNamingAllowedOnes() throws {
        var p = Parameters(try Spec(parsing: "step(step_size=3, gama=0.1)"))
        _ = try p.int("step_size", .atLeast(1))
        _ = try p.double("gamma", default: 0.1)
        #expect(throws: SpecUsageError("step: unknown parameter 'gama'; allowed: gamma, step_size")) { try p.finish() }
    }

    @Test func rejectsOutOfRangeAndWrongType() throws {
        var p = Parameters(try Spec(parsing: "adam(eps=-1, lr=nan, n=2.5, beta=x)"))
        #expect(throws: SpecUsageError("adam: parameter 'eps' must be > 0, got -1.0")) { try p.double("eps", .positive) }
        #expect(throws: SpecUsageError("adam: parameter 'lr' must be >= 0, got nan")) { try p.double("lr", .nonNegative) }
        #expect(throws: SpecUsageError("adam: parameter 'n' must be a whole number in [-1000000000, 1000000000], got '2.5'")) { try p.int("n") }
        #expect(throws: SpecUsageError("adam: parameter 'beta' must be a number, got 'x'")) { try p.double("beta") }
    }

    @Test func requiresListLength() throws {
        var p = Parameters(try Spec(parsing: "adam(betas=0.9)"))
        #expect(throws: SpecUsageError("adam: parameter 'betas' must have 2 values separated by ';', got '0.9'")) {
            try p.doubles("betas", count: 2)
        }
    }
}
