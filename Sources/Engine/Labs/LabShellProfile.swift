import Foundation

/// How the sandbox's shell talks to the tutor: busybox ash reads the file `$ENV`
/// names when it starts interactively (every nested `sh` too), and this one defines
/// `lab` and `hint` and a prompt that asks the tutor to check the current step
/// before each prompt is drawn. A request is one line written to the FIFO
/// `/lab/ask`; the answer is read from `/lab/say` until the tutor closes it, so the
/// result of a check is printed before the prompt comes back.
enum LabShellProfile {
    static let profile = """
        # ctutor lab: ask the tutor, then print its answer.
        lab() { echo "${*:-step}" > /lab/ask && cat /lab/say; }
        hint() { lab hint; }
        PS1='$(lab prompt)\\h:\\w# '

        """

    static func environment(hostname: String, term: String?) -> [String] {
        let term = term.flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm"
        return ["HOME=/root", "ENV=\(LabSandbox.hookMount)/profile", "HOSTNAME=\(hostname)", "TERM=\(term)", "PS1=# "]
    }

    static func write(to hook: String) throws {
        let path = hook + "/profile"
        guard FileManager.default.createFile(atPath: path, contents: Data(profile.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw SyscallError(call: "create \(path)", errno: errno)
        }
    }
}
