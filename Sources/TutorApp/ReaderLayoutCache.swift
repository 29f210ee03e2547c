import TutorCore
import TutorUI

import class Foundation.NSLock

/// The open lesson laid out, kept between frames: laying out a long lesson costs
/// far more than drawing a screen of it, and every key and frame asks for the
/// lines. Laid out again only when the lesson, the language, the width or the
/// demo titles change.
///
/// A reference inside the state value, so that views (which cannot mutate the
/// state) fill it; it holds nothing the state does not determine, so it takes no
/// part in equality.
public final class ReaderLayoutCache: Equatable, @unchecked Sendable {
    struct Key: Equatable {
        /// Compared cheaply: arrays and strings that share storage are equal at once.
        var text: LessonText
        var language: Language
        var width: Int
        var demoTitles: [String: String]
    }

    struct Layout {
        var lines: [StyledLine]
        var boxes: [(line: Int, id: String)]
    }

    private let lock = NSLock()
    private var key: Key?
    private var layout: Layout?

    public init() {}

    public static func == (lhs: ReaderLayoutCache, rhs: ReaderLayoutCache) -> Bool { true }

    /// The layout for `key`: the kept one, or `make()`'s, which is then kept.
    func layout(for key: Key, _ make: () -> Layout) -> Layout {
        lock.lock()
        defer { lock.unlock() }
        if let layout, self.key == key { return layout }
        let fresh = make()
        self.key = key
        layout = fresh
        return fresh
    }
}
