import Run
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM: finish the runs under way, keep their results, and stop. Which
/// signal arrived decides the exit status (`exitStatus`: 128 + its number: 130 and 143).
public enum Interrupt {
    /// The number of the signal that arrived, 0 for none. A signal handler may store only to a
    /// `volatile sig_atomic_t` or a lock-free atomic (C11 7.14.1.1 and 7.17.5): a 32-bit `Atomic`
    /// is lock-free, stored in place (no allocation, no lock), and its loads are not hoisted out
    /// of the workers' loops as a plain variable's may be.
    static let flag = Atomic<Int32>(0)

    /// A stop was requested.
    public static var requested: Bool { flag.load(ordering: .relaxed) != 0 }

    /// The signal that asked to stop, nil when none did.
    public static var received: Int32? {
        let signal = flag.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// The shell's convention for a process ended by `signal`: 128 + its number.
    public static var exitStatus: Int32 { 128 + (received ?? SIGINT) }

    /// Installs the handlers, and unblocks both signals in the calling thread: a process inherits
    /// its parent's signal mask, and a parent that blocks them (the test runner does) would
    /// otherwise leave the sweep deaf to both until it ends.
    /// Idempotent.
    public static func install() {
        _ = requested  // initialises `flag` here, never first in a handler
        signal(SIGINT) { Interrupt.flag.store($0, ordering: .relaxed) }
        signal(SIGTERM) { Interrupt.flag.store($0, ordering: .relaxed) }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
