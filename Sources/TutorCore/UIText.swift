/// Every fixed string the interface shows, in both languages. The switch makes
/// parity a compile-time fact: a new key without both texts does not build.
public enum UIText: CaseIterable, Sendable {
    case appTitle, languageName
    case menuHeading, menuEmpty, menuBroken, menuMinutes, menuQuizScore, menuObjectives, menuProblems
    case keysMenu, keysReader, keysDemo, keysDemoRunning, keysHelp
    case readerEnd, demoBoxTitle, demoBoxHint, readerNoQuiz
    case demoRunning, demoRunningHint, demoStillCleaning, demoModeReal, demoModeRootless, demoModeUnavailable
    case demoColumnWhat, demoColumnVerdict, demoSteps, demoReason, demoRemedy
    case demoDiffers, demoShared, demoSameButShouldDiffer, demoDiffersButShouldMatch, demoShouldDiffer, demoShouldMatch
    case demoCleanup, demoCleanupReleased, demoCleanupLeft, demoCleanupNothing, demoCleanupHint
    case quizQuestion, quizCorrect, quizWrong, quizPickSeveral, quizTrue, quizFalse, quizDone
    case helpTitle, helpBody
    case tooSmall, brokenLessonTitle
    case exitWaitingForDemo, exitDemoUnfinished
    case reportTitle, reportColumns, reportStatuses, menuCourse, menuColumns
    case readerQuizBroken
    case labTag, labTagDone, labStepDone, labStepNext, labNotYet, labHint, labNoMoreHints, labFinished, labCommands
    case labOpening, labClosed, labCheckedOutside, labNone, labBroken, labReset, labBackToTutor

    public func text(_ language: Language) -> String {
        let pair: (ko: String, en: String)
        switch self {
        case .appTitle: pair = ("ctutor — 컨테이너는 어떻게 만들어지나", "ctutor — how containers are built")
        case .languageName: pair = ("한국어", "English")
        case .menuHeading: pair = ("레슨", "Lessons")
        case .menuEmpty: pair = ("레슨이 없습니다. Lessons/ 폴더를 확인하세요.", "No lessons found. Check the Lessons/ folder.")
        case .menuBroken: pair = ("고장난 레슨", "broken lesson")
        case .menuMinutes: pair = ("%d분", "%d min")
        case .menuQuizScore: pair = ("퀴즈 %d/%d", "quiz %d/%d")
        case .menuObjectives: pair = ("이 레슨에서 배우는 것", "In this lesson")
        case .menuProblems: pair = ("이 레슨을 열 수 없는 이유", "Why this lesson cannot open")
        case .keysMenu: pair = ("↑↓ 이동  Enter 열기  Q 퀴즈  l English  ? 도움말  q 종료", "↑↓ move  Enter open  Q quiz  l 한국어  ? help  q quit")
        case .keysReader: pair = ("↑↓ 스크롤  d 데모  t 퀴즈  L 실습  l English  ? 도움말  Esc 뒤로", "↑↓ scroll  d demo  t quiz  L lab  l 한국어  ? help  Esc back")
        case .keysDemo: pair = ("↑↓ 스크롤  r 다시 실행  l English  Esc 뒤로", "↑↓ scroll  r run again  l 한국어  Esc back")
        case .keysDemoRunning: pair = ("Esc 뒤로 (데모는 스스로 정리)  l English", "Esc back (the demo cleans up on its own)  l 한국어")
        case .keysHelp: pair = ("아무 키나 누르면 닫힙니다", "Press any key to close")
        case .readerEnd: pair = ("— 레슨 끝 —  t를 눌러 퀴즈를 풀어 보세요", "— end of lesson —  press t for the quiz")
        case .demoBoxTitle: pair = ("실제 데모: %@", "Real demo: %@")
        case .demoBoxHint: pair = ("d를 누르면 이 컴퓨터의 커널에서 실제로 실행합니다", "Press d to run it for real on this machine's kernel")
        case .readerNoQuiz: pair = ("이 레슨에는 퀴즈가 없습니다", "This lesson has no quiz")
        case .demoRunning: pair = ("실행 중… %@초", "Running… %@ s")
        case .demoRunningHint:
            pair = (
                "Esc, q, ←로 레슨으로 돌아갈 수 있습니다. 데모는 그래도 끝까지 실행되고, 만든 것을 스스로 정리합니다.",
                "Esc, q or ← goes back to the lesson. The demo still runs to its end and cleans up what it made."
            )
        case .demoStillCleaning:
            pair = ("앞서 나온 %@ 데모가 아직 정리 중입니다. 잠시 뒤에 다시 d를 누르세요.", "The %@ demo you left is still cleaning up; press d again in a moment.")
        case .demoModeReal: pair = ("real, root 권한으로", "real, as root")
        case .demoModeRootless: pair = ("rootless, root 권한 없이", "rootless, without root")
        case .demoModeUnavailable: pair = ("실행할 수 없음", "unavailable")
        case .demoColumnWhat: pair = ("관찰 항목", "Observed")
        case .demoColumnVerdict: pair = ("판정", "Verdict")
        case .demoSteps: pair = ("엔진이 한 일", "What the engine did")
        case .demoReason: pair = ("이유", "Why")
        case .demoRemedy: pair = ("해결 방법", "What to do")
        case .demoDiffers: pair = ("다름 ✓", "differs ✓")
        case .demoShared: pair = ("공유 =", "shared =")
        case .demoSameButShouldDiffer: pair = ("같음 ✗", "same ✗")
        case .demoDiffersButShouldMatch: pair = ("다름 ✗", "differs ✗")
        case .demoShouldDiffer: pair = ("✗ %@: 달라야 하는데 모든 쪽에서 같게 보였습니다", "✗ %@: should differ, but every side saw the same")
        case .demoShouldMatch: pair = ("✗ %@: 같아야 하는데 서로 다르게 보였습니다", "✗ %@: should be the same everywhere, but the sides differ")
        case .demoCleanup: pair = ("정리", "Cleanup")
        case .demoCleanupReleased: pair = ("해제함: %@", "released %@")
        case .demoCleanupLeft: pair = ("남아 있음: %@", "still there: %@")
        case .demoCleanupNothing: pair = ("만든 것이 없음", "nothing was made")
        case .demoCleanupHint: pair = ("ctutor doctor --cleanup으로 정리하세요", "run ctutor doctor --cleanup")
        case .quizQuestion: pair = ("문제 %d / %d", "Question %d of %d")
        case .quizCorrect: pair = ("정답입니다!", "Correct!")
        case .quizWrong: pair = ("틀렸습니다.", "Not quite.")
        case .quizPickSeveral: pair = ("(여러 개 고르기: Space로 표시, Enter로 제출)", "(pick all that apply: Space marks, Enter submits)")
        case .quizTrue: pair = ("참 (O)", "True")
        case .quizFalse: pair = ("거짓 (X)", "False")
        case .quizDone: pair = ("퀴즈 끝", "Quiz finished")
        case .helpTitle: pair = ("도움말", "Help")
        case .helpBody:
            pair = (
                "↑ ↓ / j k   한 줄 이동\nPgUp PgDn   한 쪽 이동\nHome End    처음 / 끝\nEnter       열기 / 제출\nd           레슨의 실제 데모 실행\nt           퀴즈\nQ           과정 전체 퀴즈 (메뉴에서)\nl           한국어 ↔ English\nEsc q       뒤로 / 종료\nCtrl-C      언제든 종료\n\n[ ] [~] [x] 새 레슨, 진행 중, 완료\n[!]         고장난 레슨: 목록 아래에 이유가 나옵니다",
                "↑ ↓ / j k   move one line\nPgUp PgDn   move one page\nHome End    top / bottom\nEnter       open / submit\nd           run the lesson's real demo\nt           quiz\nQ           quiz over the whole course (menu)\nl           English ↔ 한국어\nEsc q       back / quit\nCtrl-C      quit at any time\n\n[ ] [~] [x] new, started, done\n[!]         broken: why shows below the list"
            )
        case .tooSmall: pair = ("창이 너무 작습니다: %d×%d 이상 필요 (지금 %d×%d)", "Window too small: need %d×%d, have %d×%d")
        case .brokenLessonTitle: pair = ("이 레슨 파일에 문제가 있습니다", "This lesson's files have problems")
        case .exitWaitingForDemo: pair = ("%@ 데모가 정리를 마치기를 기다립니다…", "waiting for the %@ demo to finish cleaning up…")
        case .exitDemoUnfinished:
            pair = (
                "%@ 데모가 제때 끝나지 않았습니다. 남은 것이 있으면 ctutor doctor --cleanup으로 정리하세요.",
                "the %@ demo did not finish in time; if it left anything behind, run ctutor doctor --cleanup."
            )
        case .reportTitle: pair = ("진도 보고서: %@ (uid %@), %@, %@", "Progress report: %@ (uid %@), %@, %@")
        case .reportColumns: pair = ("레슨|상태|읽음|데모|퀴즈|실습|시간", "lesson|status|read|demo|quiz|lab|time")
        case .reportStatuses: pair = ("새 레슨|진행 중|완료|고장", "new|started|done|broken")
        case .menuCourse: pair = ("완료 %d/%d", "done %d/%d")
        case .menuColumns: pair = ("읽기|데모|퀴즈|기준|실습|분량", "read|demo|quiz|pass|lab|length")
        case .readerQuizBroken:
            pair = ("이 레슨의 퀴즈 파일에 문제가 있어 풀 수 없습니다: %@", "This lesson's quiz cannot be taken; its file has a problem: %@")
        case .labTag: pair = ("[실습 %d/%d] ", "[lab %d/%d] ")
        case .labTagDone: pair = ("[실습 ✓] ", "[lab ✓] ")
        case .labStepDone: pair = ("✓ %d단계 완료 — %@", "✓ step %d done — %@")
        case .labStepNext: pair = ("→ %d/%d단계: %@", "→ step %d of %d: %@")
        case .labNotYet: pair = ("✗ %d단계는 아직입니다:", "✗ step %d is not done yet:")
        case .labHint: pair = ("힌트 %d/%d: %@", "hint %d of %d: %@")
        case .labNoMoreHints: pair = ("이 단계의 힌트는 %d개가 전부입니다. 위의 힌트를 다시 보세요.", "That was every hint for this step (%d); look at the ones above again.")
        case .labFinished: pair = ("🎉 실습 '%@'의 모든 단계를 마쳤습니다. exit로 나가세요.", "🎉 Every step of the lab '%@' is done. Type exit to leave.")
        case .labCommands:
            pair = (
                "명령: lab check (지금 확인) · hint (힌트 하나 더) · lab step (지금 단계) · exit (나가기)",
                "commands: lab check (check now) · hint (one more hint) · lab step (current step) · exit (leave)"
            )
        case .labOpening:
            pair = (
                "샌드박스 셸을 엽니다: 새 user·uts·pid·mnt·ipc·net 네임스페이스 안의 busybox. 안의 root는 호스트에서는 권한이 없습니다.",
                "Opening the sandbox shell: busybox in new user, uts, pid, mnt, ipc and net namespaces. Root inside has no power on the host."
            )
        case .labClosed: pair = ("샌드박스를 닫았습니다. 진도: %d/%d단계.", "Sandbox closed. Progress: %d of %d steps.")
        case .labCheckedOutside: pair = ("이 사용자의 프로세스를 바깥에서 확인했습니다. 진도: %d/%d단계.", "Checked this user's processes from outside. Progress: %d of %d steps.")
        case .labNone: pair = ("이 레슨에는 실습이 없습니다", "This lesson has no lab")
        case .labBroken: pair = ("실습 파일에 문제가 있습니다: %@", "The lab file has problems: %@")
        case .labReset: pair = ("실습 '%@'을 처음부터 다시 시작합니다.", "Starting the lab '%@' over.")
        case .labBackToTutor: pair = ("Enter를 누르면 튜터로 돌아갑니다.", "Press Enter to return to the tutor.")
        }
        return language == .ko ? pair.ko : pair.en
    }

    /// The text in both languages, for values that are rendered later.
    public var localized: Localized { Localized(ko: text(.ko), en: text(.en)) }

    /// The text with `%d` and `%@` filled in order.
    public func format(_ language: Language, _ arguments: CustomStringConvertible...) -> String {
        var result = ""
        var remaining = arguments[...]
        var iterator = text(language).makeIterator()
        while let character = iterator.next() {
            if character == "%", let spec = iterator.next() {
                if (spec == "d" || spec == "@"), let value = remaining.popFirst() {
                    result += value.description
                } else {
                    result.append(character)
                    result.append(spec)
                }
            } else {
                result.append(character)
            }
        }
        return result
    }
}
