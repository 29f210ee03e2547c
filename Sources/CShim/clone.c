#define _GNU_SOURCE
#include "ctutor_clone.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

_Static_assert(CTUTOR_CLONE_NEWUTS == CLONE_NEWUTS, "CTUTOR_CLONE_NEWUTS");
_Static_assert(CTUTOR_CLONE_NEWUSER == CLONE_NEWUSER, "CTUTOR_CLONE_NEWUSER");
_Static_assert(CTUTOR_CLONE_NEWPID == CLONE_NEWPID, "CTUTOR_CLONE_NEWPID");

#define SUPPORTED_FLAGS (CLONE_NEWUTS | CLONE_NEWUSER | CLONE_NEWPID)

/* The child runs a few shallow frames of this file and nothing else. */
#define CHILD_STACK_SIZE (64 * 1024)

/*
 * Everything the child needs. It lives on the parent's stack: without CLONE_VM
 * the child gets its own copy of the parent's memory at clone time.
 */
struct child_args {
    const char *hostname;
    size_t hostname_len;
    pid_t expected_ppid;
    int go_fd;
    int report_fd;
};

/*
 * From here to ctutor_ns_child_spawn, code runs in the child: a copy of a
 * multithreaded process whose other threads may have held locks (malloc, stdio).
 * So it uses only async-signal-safe calls, no allocation and no Swift, and builds
 * its report by hand instead of with snprintf.
 */

struct line {
    char text[CTUTOR_NS_CHILD_REPORT_MAX];
    size_t len;
};

/* Appends, truncating so that the final newline always fits. */
static void line_append(struct line *line, const char *bytes, size_t count) {
    size_t room = sizeof line->text - 1 - line->len;
    if (count > room) count = room;
    memcpy(line->text + line->len, bytes, count);
    line->len += count;
}

static void line_string(struct line *line, const char *string) {
    line_append(line, string, strlen(string));
}

static void line_number(struct line *line, unsigned long value) {
    char digits[24];
    size_t start = sizeof digits;
    do {
        digits[--start] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    line_append(line, digits + start, sizeof digits - start);
}

static void line_send(struct line *line, int fd) {
    line->text[line->len++] = '\n';
    size_t sent = 0;
    while (sent < line->len) {
        ssize_t n = write(fd, line->text + sent, line->len - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        sent += (size_t)n;
    }
}

static void __attribute__((noreturn)) child_fail(const struct child_args *args, const char *call, int err) {
    struct line line = {.len = 0};
    line_string(&line, "ERR ");
    line_string(&line, call);
    line_string(&line, " ");
    line_number(&line, (unsigned long)err);
    line_send(&line, args->report_fd);
    _exit(1);
}

/* Reads one byte from the sync pipe: 1 if one came, 0 at end of file. */
static int child_read_go(const struct child_args *args) {
    char byte;
    for (;;) {
        ssize_t n = read(args->go_fd, &byte, 1);
        if (n >= 0) return (int)n;
        if (errno != EINTR) child_fail(args, "read", errno);
    }
}

static void close_range_quietly(int first, int last) {
    if (first <= last) syscall(SYS_close_range, (unsigned)first, (unsigned)last, 0);
}

/*
 * The child inherited every descriptor of the parent, including pipe ends other
 * threads are waiting on; holding them would delay those readers' end of file.
 * Failure (a kernel without close_range) only costs that hygiene.
 */
static void close_inherited_fds(const struct child_args *args) {
    int low = args->go_fd < args->report_fd ? args->go_fd : args->report_fd;
    int high = args->go_fd < args->report_fd ? args->report_fd : args->go_fd;
    close_range_quietly(3, low - 1);
    close_range_quietly(low + 1, high - 1);
    close_range_quietly(high + 1, INT_MAX);
}

/* Handlers installed by the parent (Swift code among them) must not run here. */
static void reset_signals(void) {
    struct sigaction deflt;
    memset(&deflt, 0, sizeof deflt);
    deflt.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &deflt, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static int child_main(void *arg) {
    const struct child_args *args = arg;

    reset_signals();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) child_fail(args, "prctl", errno);
    /* A name of its own: `ps` shows it during --hold, and `ctutor doctor --cleanup`
       recognises a leftover by it. */
    prctl(PR_SET_NAME, CTUTOR_NS_CHILD_NAME, 0, 0, 0);
    /*
     * If the parent died before prctl, we were reparented and will never get the
     * signal. In a new PID namespace getppid() is 0 either way; there, the end of
     * file on the sync pipe below catches a dead parent instead.
     */
    if (getppid() != args->expected_ppid) _exit(1);
    close_inherited_fds(args);

    if (child_read_go(args) == 0) _exit(0); /* the parent gave up before "go" */

    if (sethostname(args->hostname, args->hostname_len) != 0) child_fail(args, "sethostname", errno);
    struct utsname uts;
    if (uname(&uts) != 0) child_fail(args, "uname", errno);
    char ns[64];
    ssize_t ns_len = readlink("/proc/self/ns/uts", ns, sizeof ns);
    if (ns_len < 0) child_fail(args, "readlink", errno);

    struct line line = {.len = 0};
    line_string(&line, "OK pid=");
    line_number(&line, (unsigned long)getpid());
    line_string(&line, " uid=");
    line_number(&line, (unsigned long)getuid());
    line_string(&line, " uts=");
    line_append(&line, ns, (size_t)ns_len);
    line_string(&line, " hostname=");
    line_string(&line, uts.nodename);
    line_send(&line, args->report_fd);

    /* Stay alive, blocked, while the parent looks at us from outside. */
    while (child_read_go(args) != 0) {
    }
    _exit(0);
}

int ctutor_ns_child_spawn(int namespace_flags, const char *hostname, struct ctutor_ns_child *child) {
    int go[2], report[2];

    child->failed_call = "clone";
    if ((namespace_flags & ~SUPPORTED_FLAGS) != 0) {
        errno = EINVAL;
        return -1;
    }
    /*
     * A socket pair, not a pipe: the parent sends with MSG_NOSIGNAL, so a child
     * that died early costs an EPIPE rather than a SIGPIPE to the whole tutor.
     */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0) {
        child->failed_call = "socketpair";
        return -1;
    }
    if (pipe2(report, O_CLOEXEC) != 0) {
        int err = errno;
        close(go[0]);
        close(go[1]);
        child->failed_call = "pipe2";
        errno = err;
        return -1;
    }
    char *stack = malloc(CHILD_STACK_SIZE);
    if (stack == NULL) {
        close(go[0]);
        close(go[1]);
        close(report[0]);
        close(report[1]);
        child->failed_call = "malloc";
        errno = ENOMEM;
        return -1;
    }

    struct child_args args = {
        .hostname = hostname,
        .hostname_len = strlen(hostname),
        .expected_ppid = (namespace_flags & CLONE_NEWPID) ? 0 : getpid(),
        .go_fd = go[0],
        .report_fd = report[1],
    };

    /* Block every signal so none is handled in the child before reset_signals. */
    sigset_t all, saved_mask;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved_mask);
    pid_t pid = clone(child_main, stack + CHILD_STACK_SIZE, namespace_flags | SIGCHLD, &args);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);

    /* The child runs on its own copy of the stack, so ours can go now. */
    free(stack);
    close(go[0]);
    close(report[1]);
    if (pid < 0) {
        close(go[1]);
        close(report[0]);
        errno = err;
        return -1;
    }
    child->pid = pid;
    child->go_fd = go[1];
    child->report_fd = report[0];
    child->failed_call = NULL;
    return 0;
}

#endif
