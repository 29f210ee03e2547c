#ifndef CTUTOR_CONSOLE_H
#define CTUTOR_CONSOLE_H

/* The terminal side of `ctutor run`: a pseudo-terminal for the container, the
   learner's terminal in raw mode while it is attached (and restored after), and
   signals turned into bytes on a pipe so one poll loop sees them. */

/* Opens a new pty: *primary (close-on-exec, for us) and *replica (for the container).
   Returns 0 or an errno value. */
int ctutor_console_openpty(int *primary, int *replica);

/* The width in columns of the terminal on `fd`; 0 when it is not a terminal or
   does not say. */
int ctutor_console_columns(int fd);

/* Copies the window size of `from` (the learner's terminal) to `to` (the pty). */
int ctutor_console_copy_winsize(int from, int to);

/* Puts `fd` in raw mode, saving its settings; ctutor_console_restore puts them back.
   Returns 0 or an errno value. */
int ctutor_console_raw(int fd);
void ctutor_console_restore(void);

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH write their number as one byte to
   wake_fd (non-blocking) instead of acting; ctutor_console_signals_default undoes it. */
int ctutor_console_signals(int wake_fd);
void ctutor_console_signals_default(void);

#endif
