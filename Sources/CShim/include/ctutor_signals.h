#ifndef CTUTOR_SIGNALS_H
#define CTUTOR_SIGNALS_H

/* Signal handling for the full-screen interface. Handlers only record the
   signal and write a byte to the loop's wake-up pipe; the main loop notices it,
   restores the terminal, then re-raises it.
   Fatal signals (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, ...) restore the saved
   termios directly, since that is async-signal-safe, before dying. */

/* Saves the termios of tty_fd and installs the handlers; a quit signal writes
   one byte to wake_fd (non-blocking), or nothing when it is -1. Returns 0 or -errno. */
int ctutor_signals_install(int tty_fd, int wake_fd);

/* The signal number received since install (SIGINT, SIGTERM, SIGHUP), or 0. */
int ctutor_signals_pending(void);

/* Puts every handler back to its default. */
void ctutor_signals_uninstall(void);

/* Dies by `sig` with the default action, so the parent sees the real cause. */
void ctutor_signals_reraise(int sig);

#endif
