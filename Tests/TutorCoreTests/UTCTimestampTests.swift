import Foundation
import Testing

@testable import TutorCore

@Suite struct UTCTimestampTests {
    /// The same text Foundation's ISO 8601 formatter writes, and back.
    @Test(arguments: [-86_400.0 * 365 * 80, -1, 0, 951_782_400, 1_709_164_800, 1_790_000_000, 4_102_444_799, 253_402_300_799])
    func agreesWithFoundation(seconds: TimeInterval) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        #expect(UTCTimestamp.string(date) == formatter.string(from: date))
        #expect(UTCTimestamp.date(formatter.string(from: date)) == date)
    }

    @Test func onlyRealTimesInTheOneForm() {
        #expect(UTCTimestamp.date("2024-02-29T12:00:00Z") != nil)
        for text in [
            "2023-02-29T12:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+09:00", "2024-01-01 00:00:00Z", "",
        ] {
            #expect(UTCTimestamp.date(text) == nil, "\(text)")
        }
    }

    /// Progress files written with Foundation's .iso8601 strategy still load.
    @Test func progressWrittenTheOldWayLoads() throws {
        let dir = try TempDirectory()
        var progress = Progress()
        progress.recordQuiz(lesson: "a", score: 1, total: 2, at: Date(timeIntervalSince1970: 1_790_000_000))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try dir.write("progress.json", String(decoding: try encoder.encode(progress), as: UTF8.self))
        let loaded = try ProgressStore(directory: dir.url).load()
        #expect(loaded.notice == nil)
        #expect(loaded.progress == progress)
    }
}
