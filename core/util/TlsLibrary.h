#pragma once

namespace pollux {

// Called once, first thing in main(), before anything uses TLS.
//
// OpenSSL frees every thread's state at exit, from an atexit handler in the main thread. A
// worker thread that used TLS (a mailbox or office-server connection) frees its own state
// from a thread-exit destructor, and QThread::wait() returns before those destructors run:
// a process that ends right after its last pass (`pollux --headless --once`) could free
// the same block from both threads, a double free AddressSanitizer caught in CI. With
// OpenSSL's exit cleanup off, only the threads free their state; the rest goes with the
// process. Elsewhere (no OpenSSL, another TLS backend) it does nothing.
void keepTlsLibraryUntilExit();

} // namespace pollux
