// Placeholder until Tests/OptimizersTests/golden/sls_golden.py is run.
let slsGoldenCases: [SLSGoldenCase] = []
