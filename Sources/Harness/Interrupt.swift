import Foundation

/// Ctrl-C (SIGINT) and SIGTERM: finish the runs under way, keep their results, and stop. Which
/// signal arrived decides the exit status (`exitStatus`: 128 + its number: 130 and 143).
public enum Interrupt {
    /// The number of the signal that arrived, 0 for none. A signal handler may only store to a
    /// `volatile sig_atomic_t` (C11 7.14.1.1): that is all this variable is used for.
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    /// A stop was requested.
    public static var requested: Bool { flag != 0 }

    /// The signal that asked to stop, nil when none did.
    public static var received: Int32? { flag == 0 ? nil : Int32(flag) }

    /// The shell's convention for a process ended by `signal`: 128 + its number.
    public static var exitStatus: Int32 { 128 + (received ?? SIGINT) }

    /// Installs the handlers, and unblocks both signals in the calling thread: a process inherits
    /// its parent's signal mask, and a parent that blocks them (the test runner does) would
    /// otherwise leave the sweep deaf to both until it ends.
    /// Idempotent.
    public static func install() {
        signal(SIGINT) { Interrupt.flag = sig_atomic_t($0) }
        signal(SIGTERM) { Interrupt.flag = sig_atomic_t($0) }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
