import Foundation
import Testing

/// `ctutor quiz --plain` driven through stdin, as a script or a screen reader would:
/// invalid answers explained and asked again, the same seed giving the same quiz,
/// the last line `score: R/T`, and the attempt in the learner's progress.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct QuizCommandTests {
    /// A fresh data directory per test, removed at the end.
    final class DataDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-quiz-\(UUID().uuidString)")
        deinit { try? FileManager.default.removeItem(at: url) }

        var environment: [String: String] {
            ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": url.path, "CTUTOR_LESSONS": Binary.lessons, "XDG_DATA_HOME": url.path]
        }

        func progress() throws -> [String: Any] {
            let data = try Data(contentsOf: url.appendingPathComponent("ctutor/progress.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    /// Lessons whose questions are all picked by number, so one answer file fits any order.
    static let arguments = [
        "quiz", "--plain", "--lang", "en", "--seed", "7", "--count", "5", "--lesson", "operating-system", "--lesson", "6", "--lesson",
        "07-network-namespace",
    ]
    /// Each question first gets an answer that is no answer, then option 1.
    static let answers = String(repeating: "0\n1\n", count: 5)

    @Test func sameSeedSameQuizScoreAndReasks() throws {
        let data = DataDirectory()
        let first = try run(Binary.path!, Self.arguments, input: Self.answers, environment: data.environment)
        let second = try run(Binary.path!, Self.arguments, input: Self.answers, environment: data.environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout, "the same seed asks the same quiz")
        let lines = first.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        let last = try #require(lines.last)
        let right = lines.filter { $0 == "Correct!" }.count
        #expect(last == "score: \(right)/5")
        #expect(lines.filter { $0.hasPrefix("'0' is not an answer here. Type ") }.count == 5)
        #expect(lines.filter { $0.hasPrefix("Question ") && $0.contains(" of 5 · ") }.count == 5)
        #expect(first.stdout.contains("  1. "))

        let progress = try data.progress()
        let attempts = try #require(progress["attempts"] as? [[String: Any]])
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { ($0["seed"] as? Int) == 7 && ($0["mode"] as? String) == "practice" })
        let results = try #require(attempts[0]["results"] as? [[String: Any]])
        #expect(results.count == 5)
        #expect(results.filter { $0["correct"] as? Bool == true }.count == right)
        #expect(results.allSatisfy { $0["answer"] as? String == "1" })

        let other = try run(Binary.path!, Self.arguments.map { $0 == "7" ? "8" : $0 }, input: Self.answers, environment: data.environment)
        #expect(other.stdout != first.stdout, "another seed, another quiz")
    }

    @Test func theInputEndingLeavesTheRestWrong() throws {
        let data = DataDirectory()
        let result = try run(Binary.path!, Self.arguments + ["--exam"], input: "1\n", environment: data.environment)
        #expect(result.status == 0)
        #expect(result.stdout.contains("The input ended. Questions not answered count as wrong."))
        #expect(result.stdout.contains("Results"))
        #expect(result.stdout.contains("Your answer: not answered"))
        #expect(!result.stdout.contains("Correct!"), "an exam gives no verdict until the end")
        let score = try #require(result.stdout.split(separator: "\n").last)
        #expect(score == "score: 0/5" || score == "score: 1/5")
        let attempts = try #require(try data.progress()["attempts"] as? [[String: Any]])
        #expect(attempts.first?["mode"] as? String == "exam")
    }

    @Test func koreanAndReview() throws {
        let data = DataDirectory()
        let korean = Self.arguments.map { $0 == "en" ? "ko" : $0 }
        let first = try run(Binary.path!, korean, input: "x\n" + Self.answers, environment: data.environment)
        #expect(first.stdout.contains("'x'는 여기에 맞는 답이 아닙니다. 번호 하나"), "\(first.stdout)")
        let right = first.stdout.components(separatedBy: "\n정답입니다!").count - 1
        // Review asks exactly the questions just answered wrong.
        let review = try run(Binary.path!, ["quiz", "--plain", "--lang", "en", "--review"], input: "", environment: data.environment)
        if right == 5 {
            #expect(review.stdout.contains("Nothing to review"))
        } else {
            #expect(review.stdout.contains("\nQuestion 1 of \(5 - right) · "), "\(review.stdout)")
            #expect(review.stdout.hasSuffix("score: 0/\(5 - right)\n"))
        }
    }

    @Test func badOptionsSayWhatToType() throws {
        let data = DataDirectory()
        for (arguments, expected) in [
            (["quiz", "--plain", "--time", "10m"], "add --exam, as in --exam --time 10m"),
            (["quiz", "--plain", "--exam", "--time", "ten"], "--time takes a duration like 10m, 90s or 1h"),
            (["quiz", "--plain", "--count", "0"], "try --count 10"),
            (["quiz", "--plain", "--exam", "--review"], "choose one of --exam and --review"),
            (["quiz", "--plain", "--lesson", "nope"], "no lesson 'nope'; known lessons:"),
        ] {
            let result = try run(Binary.path!, arguments, input: "", environment: data.environment)
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }
}
