import Foundation

/// Runs `executable` with `arguments` (in `directory`, if given) to the end; returns its exit
/// status, standard output and standard error.
public func runProcess(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// The `lrbench` executable built beside this test bundle, if any. The test targets that run it
/// depend on the `lrbench` target, so `swift build --build-tests` always builds it: a test that
/// finds it missing must fail (`try #require(lrbenchBinary)`), never skip.
public let lrbenchBinary: URL? = {
    var dir = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("lrbench")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}()

/// librsvg's renderer `rsvg-convert`, when installed (`apt-get install -y librsvg2-bin`; `make test` installs it).
public let rsvgConvert: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
        let candidate = "\(dir)/rsvg-convert"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}()

/// Writes `svg` to `input` and renders it to the PNG `output` with `rsvg-convert`; returns the
/// renderer's status, its standard error, and the PNG's bytes (empty if none).
public func renderSVG(_ svg: String, to input: URL, png output: URL) throws -> (status: Int32, message: String, png: Data) {
    guard let rsvgConvert else { throw CocoaError(.executableNotLoadable) }
    try Data(svg.utf8).write(to: input)
    let r = try runProcess(URL(fileURLWithPath: rsvgConvert), ["-o", output.path, input.path])
    return (r.status, r.err, (try? Data(contentsOf: output)) ?? Data())
}
