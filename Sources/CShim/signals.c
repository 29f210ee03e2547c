#define _GNU_SOURCE
#include "ctutor_signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal = 0;
static struct termios saved_termios;
static int saved_fd = -1;
static volatile int wake_fd = -1;

/* Every signal whose default action ends the process: the terminal is restored
   first, then the signal is raised again (SIGPIPE is ignored by the tutor). */
static const int quit_signals[] = {SIGINT,    SIGTERM, SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,   SIGVTALRM,
                                   SIGPROF,   SIGXCPU, SIGXFSZ, SIGIO,   SIGPWR,
#ifdef SIGSTKFLT
                                   SIGSTKFLT,
#endif
};
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS};

static void on_quit_signal(int sig) {
    pending_signal = sig;
    /* Wake the main loop's poll, whichever thread took the signal. */
    if (wake_fd >= 0) {
        int saved_errno = errno;
        char byte = 1;
        ssize_t ignored = write(wake_fd, &byte, 1);
        (void)ignored;
        errno = saved_errno;
    }
}

static void on_fatal_signal(int sig) {
    if (saved_fd >= 0) {
        static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
        tcsetattr(saved_fd, TCSANOW, &saved_termios);
        ssize_t ignored = write(saved_fd, reset, sizeof reset - 1);
        (void)ignored;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

int ctutor_signals_install(int tty_fd, int wake) {
    if (tcgetattr(tty_fd, &saved_termios) != 0) return -errno;
    saved_fd = tty_fd;
    wake_fd = wake;
    pending_signal = 0;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_quit_signal;
    for (size_t i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++) {
        if (sigaction(quit_signals[i], &action, NULL) != 0) return -errno;
    }
    /* A parent may have started us with these blocked (threads of test runners
       and some shells do); then Ctrl-C, kill and resizes would never arrive. */
    sigset_t wanted;
    sigemptyset(&wanted);
    for (size_t i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++) sigaddset(&wanted, quit_signals[i]);
    sigaddset(&wanted, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);

    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        if (sigaction(fatal_signals[i], &action, NULL) != 0) return -errno;
    }
    return 0;
}

int ctutor_signals_pending(void) { return pending_signal; }

void ctutor_signals_uninstall(void) {
    for (size_t i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++) signal(quit_signals[i], SIG_DFL);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) signal(fatal_signals[i], SIG_DFL);
    saved_fd = -1;
    wake_fd = -1;
}

void ctutor_signals_reraise(int sig) {
    signal(sig, SIG_DFL);
    raise(sig);
}
