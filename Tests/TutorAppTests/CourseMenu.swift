import Foundation
import TutorCore

/// Menu entries shaped like the planned course (titles only; the bodies are never
/// opened in the menu tests).
enum CourseMenu {
    private static func entry(_ folder: String, _ ko: String, _ en: String, minutes: Int) -> LessonEntry {
        let id = String(folder.dropFirst(3))
        let overviews: [Language: LessonOverview] = [
            .ko: LessonOverview(title: ko, summary: "\(ko): 요약.", objectives: ["첫째 목표", "둘째 목표"]),
            .en: LessonOverview(title: en, summary: "\(en): a summary.", objectives: ["A first objective", "A second objective"]),
        ]
        return LessonEntry(
            folder: folder, state: .ready(LessonInfo(id: id, overviews: overviews, demos: [], minutes: minutes, hasQuiz: true)))
    }

    static let entries: [LessonEntry] = [
        entry("01-operating-system", "운영체제: 프로그램과 커널 사이", "The operating system: between programs and the kernel", minutes: 12),
        entry("02-program-process-thread", "프로그램, 프로세스, 스레드", "Program, process and thread", minutes: 15),
        entry("03-pid-namespace", "PID 네임스페이스: 나만의 1번 프로세스", "PID namespaces: a PID 1 of its own", minutes: 10),
        entry("04-uts-namespace", "UTS 네임스페이스: 나만의 호스트 이름", "UTS namespaces: a hostname of its own", minutes: 10),
        entry("05-mount-network", "마운트와 네트워크 네임스페이스", "Mount and network namespaces", minutes: 20),
        entry("06-user-cgroup", "사용자 네임스페이스와 cgroup", "User namespaces and cgroups", minutes: 20),
        LessonEntry(
            folder: "07-time-namespace",
            state: .broken([Diagnostic(file: "07-time-namespace/lesson.en.md", line: 3, message: "missing 'title'")])),
        entry("08-all-namespaces", "네임스페이스를 모두 모으면: 컨테이너", "All the namespaces together: a container", minutes: 25),
    ]

    static let progress: TutorCore.Progress = {
        var progress = TutorCore.Progress()
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        progress[lesson: "operating-system"].finishedReading = true
        progress.recordQuiz(lesson: "operating-system", score: 4, total: 5, at: date)
        progress[lesson: "program-process-thread"].demoRuns = 1
        return progress
    }()
}
