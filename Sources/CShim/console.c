#define _GNU_SOURCE
#include "ctutor_console.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static const int relayed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH};
static volatile int wake = -1;
static struct termios saved;
static int saved_fd = -1;

int ctutor_console_openpty(int *primary, int *replica) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) {
        int err = errno;
        close(fd);
        return err;
    }
    char name[128];
    if (ptsname_r(fd, name, sizeof name) != 0) {
        int err = errno;
        close(fd);
        return err;
    }
    int other = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (other < 0) {
        int err = errno;
        close(fd);
        return err;
    }
    *primary = fd;
    *replica = other;
    return 0;
}

int ctutor_console_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
    return size.ws_col;
}

int ctutor_console_copy_winsize(int from, int to) {
    struct winsize size;
    if (ioctl(from, TIOCGWINSZ, &size) != 0) return errno;
    if (ioctl(to, TIOCSWINSZ, &size) != 0) return errno;
    return 0;
}

int ctutor_console_raw(int fd) {
    struct termios raw;
    if (tcgetattr(fd, &saved) != 0) return errno;
    saved_fd = fd;
    raw = saved;
    cfmakeraw(&raw);
    if (tcsetattr(fd, TCSANOW, &raw) != 0) return errno;
    return 0;
}

void ctutor_console_restore(void) {
    if (saved_fd >= 0) tcsetattr(saved_fd, TCSANOW, &saved);
    saved_fd = -1;
}

static void on_signal(int sig) {
    if (wake < 0) return;
    int saved_errno = errno;
    unsigned char byte = (unsigned char)sig;
    ssize_t ignored = write(wake, &byte, 1);
    (void)ignored;
    errno = saved_errno;
}

int ctutor_console_signals(int wake_fd) {
    wake = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof relayed / sizeof relayed[0]; i++)
        if (sigaction(relayed[i], &action, NULL) != 0) return errno;
    return 0;
}

void ctutor_console_signals_default(void) {
    for (size_t i = 0; i < sizeof relayed / sizeof relayed[0]; i++) signal(relayed[i], SIG_DFL);
    wake = -1;
}
