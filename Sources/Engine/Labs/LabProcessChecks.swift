import TutorCore

/// Checkers about processes: which exist, in which namespaces, their PID inside,
/// their threads and their resource limits.
enum LabProcessChecks {
    static func process(comm: String?, kinds: [String], nsPID: Int?, minThreads: Int?, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        let namespaces = kinds.compactMap(NamespaceKind.init(rawValue:))
        let named = snapshot.processes.filter { comm == nil || $0.comm == comm }
        let what = comm.map { "'\($0)'" } ?? "a process"
        let whatKo = comm.map { "'\($0)' 프로세스" } ?? "프로세스"
        guard !named.isEmpty else {
            return LabCheckResult(passed: false, saw: .saw("\(whatKo)가 보이지 않습니다.", "No \(what) process is running."))
        }
        let kindText = kinds.joined(separator: ", ")
        let isolated = named.filter { process in namespaces.allSatisfy { process.isInNew($0, snapshot.scope, base: snapshot.base) } }
        guard let candidate = isolated.first else {
            return LabCheckResult(
                passed: false,
                saw: .saw(
                    "\(whatKo) \(named.count)개가 보이지만, 모두 원래의 \(kindText) 네임스페이스에 있습니다.",
                    "\(named.count) \(what) process(es) found, all still in the original \(kindText) namespace(s)."))
        }
        if let nsPID {
            guard let match = isolated.first(where: { $0.innermostPID.map(Int.init) == nsPID }) else {
                let seen = isolated.compactMap(\.innermostPID).map(String.init).joined(separator: ", ")
                return LabCheckResult(
                    passed: false,
                    saw: .saw(
                        "\(whatKo)의 PID는 자기 네임스페이스에서 \(seen)입니다. 이 단계는 \(nsPID)을 기다립니다.",
                        "\(what) has PID \(seen) in its own namespace; the step wants \(nsPID)."))
            }
            return threads(match, minThreads: minThreads, what: what, whatKo: whatKo, nsPID: nsPID, kindText: kindText)
        }
        return threads(candidate, minThreads: minThreads, what: what, whatKo: whatKo, nsPID: nil, kindText: kindText)
    }

    private static func threads(
        _ process: LabProcess, minThreads: Int?, what: String, whatKo: String, nsPID: Int?, kindText: String
    ) -> LabCheckResult {
        let count = process.threads ?? 0
        if let minThreads, count < minThreads {
            return LabCheckResult(
                passed: false,
                saw: .saw(
                    "\(whatKo)(호스트 PID \(process.pid))의 스레드는 \(count)개입니다. \(minThreads)개 이상이어야 합니다.",
                    "\(what) (host PID \(process.pid)) has \(count) thread(s); the step wants \(minThreads) or more."))
        }
        var en = "\(what) runs as host PID \(process.pid)"
        var ko = "\(whatKo)가 호스트 PID \(process.pid)로 실행 중"
        if let inner = process.innermostPID, inner != process.pid {
            en += ", PID \(inner) in its own namespace"
            ko += ", 자기 네임스페이스에서는 PID \(inner)"
        }
        if !kindText.isEmpty {
            en += ", in new \(kindText) namespace(s)"
            ko += ", 새 \(kindText) 네임스페이스 안"
        }
        if minThreads != nil {
            en += ", \(count) thread(s)"
            ko += ", 스레드 \(count)개"
        }
        return LabCheckResult(passed: true, saw: .saw(ko + ".", en + "."))
    }

    static func rlimit(comm: String?, resource: String, atMost: UInt64, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        let row = LabCheck.rlimitRows[resource] ?? resource
        let named = snapshot.processes.filter { comm == nil || $0.comm == comm }
        let what = comm.map { "'\($0)'" } ?? "a process"
        var seen: [String] = []
        for process in named {
            guard let soft = softLimit(row, pid: process.pid) else { continue }
            if let value = soft, value <= atMost {
                return LabCheckResult(
                    passed: true,
                    saw: .saw(
                        "\(what)(호스트 PID \(process.pid))의 '\(row)' 소프트 한도는 \(value)입니다 (\(atMost) 이하).",
                        "\(what) (host PID \(process.pid)) has a soft '\(row)' limit of \(value) (at most \(atMost))."))
            }
            seen.append(soft.map(String.init) ?? "unlimited")
        }
        guard !seen.isEmpty else {
            return LabCheckResult(passed: false, saw: .saw("\(what) 프로세스가 보이지 않습니다.", "No \(what) process is running."))
        }
        let list = Array(Set(seen)).sorted().joined(separator: ", ")
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "\(what)의 '\(row)' 소프트 한도: \(list). 이 단계는 \(atMost) 이하를 기다립니다.",
                "\(what)'s soft '\(row)' limit: \(list); the step wants \(atMost) or less."))
    }

    /// The soft limit in `/proc/<pid>/limits`' row: nil when unreadable, `.some(nil)` for unlimited.
    static func softLimit(_ row: String, pid: Int32) -> UInt64?? {
        guard let text = try? ProcFS.readFile("/proc/\(pid)/limits"),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(row) })
        else { return nil }
        let soft = line.dropFirst(row.count).split(separator: " ").first.map(String.init)
        return soft == "unlimited" ? .some(nil) : soft.flatMap { UInt64($0) }.map { .some($0) }
    }
}
