import TutorCore

/// Report values shaped like the engine's, for the demo screen's layout tests
/// (the engine's real reports are tested in EngineTests).
enum DemoReports {
    static let twoSided = DemoReport(
        demo: "uts", title: Localized(ko: "UTS 네임스페이스: 나만의 호스트 이름", en: "UTS namespace: a hostname of its own"), mode: .real,
        steps: [
            Localized(ko: "clone(CLONE_NEWUTS|CLONE_NEWPID) → 호스트 PID 12149", en: "clone(CLONE_NEWUTS|CLONE_NEWPID) → host PID 12149"),
            Localized(
                ko: "자식: sethostname(\"ctutor-demo\") → gethostname = \"ctutor-demo\", getpid = 1",
                en: "child: sethostname(\"ctutor-demo\") → gethostname = \"ctutor-demo\", getpid = 1"),
            Localized(
                ko: "호스트: /proc/12149/ns/uts, /proc/12149/ns/pid 링크와 /proc/12149/status(NSpid)를 바깥에서 읽음",
                en: "host: read /proc/12149/ns/uts, /proc/12149/ns/pid and /proc/12149/status (NSpid) from outside"),
            Localized(ko: "동기화 소켓을 닫음: 자식이 _exit(0)할 차례", en: "close the sync socket: the child's cue to _exit(0)"),
            Localized(ko: "waitpid(12149) → 종료 상태 0", en: "waitpid(12149) → exited with status 0"),
            Localized(
                ko: "/proc/12149 디렉터리가 사라짐: 네임스페이스도 마지막 프로세스와 함께 사라짐",
                en: "/proc/12149 is gone: the namespaces died with their last process"),
        ],
        observations: [
            Observation(id: "hostname", label: Localized(ko: "호스트 이름", en: "Hostname"), host: "lab-01", inside: "ctutor-demo"),
            Observation(
                id: "uts-ns", label: Localized(ko: "UTS 네임스페이스", en: "UTS namespace"), host: "uts:[4026531838]", inside: "uts:[4026532201]"),
            Observation(
                id: "pid-ns", label: Localized(ko: "PID 네임스페이스", en: "PID namespace"), host: "pid:[4026531836]", inside: "pid:[4026532202]"),
            Observation(id: "pid", label: Localized(ko: "자식의 PID", en: "Child's PID"), host: "12149", inside: "1"),
            Observation(
                id: "kernel", label: Localized(ko: "커널 릴리스", en: "Kernel release"), expect: .match, host: "6.1.0-18-amd64",
                inside: "6.1.0-18-amd64"),
        ],
        cleanup: [CleanupItem(Localized(ko: "자식 프로세스 12149와 그 네임스페이스", en: "child process 12149 and its namespaces"), released: true)])

    private static func side(_ role: String, _ ko: String, _ en: String, _ value: String) -> ObservationSide {
        ObservationSide(role: role, label: Localized(ko: ko, en: en), value: value)
    }

    /// Two processes in one new IPC namespace and one in another, beside the host;
    /// one observation fails its expectation.
    static let fourSided = DemoReport(
        demo: "ipc", title: Localized(ko: "IPC 네임스페이스: 메시지 큐는 누가 보나", en: "IPC namespace: who sees a message queue"),
        mode: .rootless,
        steps: [
            Localized(
                ko: "clone(CLONE_NEWUSER|CLONE_NEWIPC) → 호스트 PID 4301 (A)", en: "clone(CLONE_NEWUSER|CLONE_NEWIPC) → host PID 4301 (A)"),
            Localized(ko: "setns(/proc/4301/ns/ipc) → 호스트 PID 4302 (B)", en: "setns(/proc/4301/ns/ipc) → host PID 4302 (B)"),
            Localized(ko: "A: msgget(0x2a, IPC_CREAT) = 0", en: "A: msgget(0x2a, IPC_CREAT) = 0"),
        ],
        observations: [
            Observation(
                id: "ipc-ns", label: Localized(ko: "IPC 네임스페이스", en: "IPC namespace"),
                sides: [
                    side("host", "호스트", "Host", "ipc:[4026531839]"), side("a", "A", "A", "ipc:[4026532290]"),
                    side("b", "B", "B", "ipc:[4026532290]"), side("c", "C", "C", "ipc:[4026532291]"),
                ]),
            Observation(
                id: "queue", label: Localized(ko: "키 0x2a 큐", en: "Queue with key 0x2a"),
                sides: [
                    side("host", "호스트", "Host", "none"), side("a", "A", "A", "msqid 0"), side("b", "B", "B", "msqid 0"),
                    side("c", "C", "C", "none"),
                ]),
            Observation(
                id: "user-ns", label: Localized(ko: "사용자 네임스페이스", en: "User namespace"), expect: .match,
                sides: [
                    side("host", "호스트", "Host", "user:[4026531837]"), side("a", "A", "A", "user:[4026532289]"),
                    side("b", "B", "B", "user:[4026532289]"), side("c", "C", "C", "user:[4026532289]"),
                ]),
        ],
        cleanup: [
            CleanupItem(Localized(ko: "프로세스 4301, 4302, 4303", en: "processes 4301, 4302, 4303"), released: true),
            CleanupItem(Localized(ko: "메시지 큐 0", en: "message queue 0"), released: false),
        ])

    /// What the machine is, and the libraries a program maps: values over several lines.
    static let shown = DemoReport(
        demo: "os", title: Localized(ko: "운영체제: 프로그램과 커널 사이", en: "The operating system: between a program and the kernel"),
        mode: .real,
        steps: [Localized(ko: "posix_spawn: /usr/bin/sleep 30 → PID 5120", en: "posix_spawn: /usr/bin/sleep 30 → PID 5120")],
        observations: [
            Observation(
                id: "cpu", label: Localized(ko: "CPU", en: "CPU"), expect: .show,
                sides: [side("machine", "이 컴퓨터", "This machine", "Intel(R) Xeon(R) CPU @ 2.20GHz, 2 cores")]),
            Observation(
                id: "kernel", label: Localized(ko: "커널", en: "Kernel"), expect: .show,
                sides: [side("machine", "이 컴퓨터", "This machine", "Linux 6.1.0-18-amd64")]),
            Observation(
                id: "libraries",
                label: Localized(ko: "실행 파일과 공유 라이브러리 (/proc/5120/maps)", en: "Program and shared libraries (/proc/5120/maps)"),
                expect: .show,
                sides: [
                    side(
                        "process", "sleep (PID 5120)", "sleep (PID 5120)",
                        "/usr/bin/sleep\n/usr/lib/x86_64-linux-gnu/libc.so.6\n/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
                ]),
        ],
        cleanup: [CleanupItem(Localized(ko: "프로세스 5120", en: "process 5120"), released: true)])

    static let unavailable = DemoReport(
        demo: "uts", title: Localized(ko: "UTS 네임스페이스: 나만의 호스트 이름", en: "UTS namespace: a hostname of its own"), mode: .unavailable,
        reason: Localized(
            ko:
                "clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWPID)이 실패했습니다: Operation not permitted (EPERM). kernel.apparmor_restrict_unprivileged_userns=1이 권한 없는 사용자 네임스페이스를 막고 있습니다.",
            en:
                "clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWPID) failed: Operation not permitted (EPERM). Unprivileged user namespaces are disabled by kernel.apparmor_restrict_unprivileged_userns=1."
        ),
        remedy: Localized(
            ko: "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0으로 허용하거나, sudo ctutor demo uts로 root로 실행하세요.",
            en: "Allow them with sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or run as root: sudo ctutor demo uts."))

    static let all: [(name: String, report: DemoReport)] = [
        ("two-sided", twoSided), ("four-sided", fourSided), ("show", shown), ("unavailable", unavailable),
    ]
}
