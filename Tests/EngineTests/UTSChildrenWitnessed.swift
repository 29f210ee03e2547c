import Testing

/// Suites whose witness is this test process's own children in a UTS namespace
/// other than ours — the UTS demo's tests and the live questions, whose kernel
/// release probe runs that demo — take turns, so neither counts the other's child.
@Suite(.serialized) enum UTSChildrenWitnessed {}
