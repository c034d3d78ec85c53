import Foundation
@_exported import LvzhiCore

/// The sentence a member reads for a failure: the core's own Chinese message.
public func userMessage(_ error: Error) -> String {
    guard let e = error as? LvzhiError else { return "操作失败，请重试" }
    switch e {
    case .Refused(let m), .NotFound(let m), .Invalid(let m), .Network(let m), .Unauthorized(let m),
         .Storage(let m), .StorageFull(let m), .StorageCorrupt(let m), .WrongKey(let m), .Server(let m),
         .UnsentWork(let m):
        return m
    }
}

/// Runs a core call for a state holder: a refusal lands in `error` in Chinese, a success clears
/// it. Returns whether the call went through.
@discardableResult
func reporting(into error: Live<String?>, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        error.set(nil)
        return true
    } catch let failure {
        error.set(userMessage(failure))
        return false
    }
}

/// A value that changes over time, read from any thread, with one observer (the UI wrapper
/// on Apple platforms, the tests on Linux). Plain Swift: no Combine, no Observation.
public final class Live<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Value
    private var observer: ((Value) -> Void)?

    public init(_ value: Value) { current = value }

    public var value: Value {
        lock.lock(); defer { lock.unlock() }
        return current
    }

    func set(_ value: Value) {
        lock.lock()
        current = value
        let notify = observer
        lock.unlock()
        // Called without the lock held.
        notify?(value)
    }

    func update(_ change: (Value) -> Value) {
        lock.lock()
        current = change(current)
        let (value, notify) = (current, observer)
        lock.unlock()
        notify?(value)
    }

    public func observe(_ observer: @escaping (Value) -> Void) {
        lock.lock(); self.observer = observer; lock.unlock()
        observer(value)
    }
}

/// What the sync banner shows.
public struct SyncBanner: Equatable, Sendable {
    public let text: String
    public let offline: Bool
    public let syncing: Bool
    public let pending: Int
    public let lastSyncedAtMs: Int64?

    public init(_ status: SyncStatus) {
        pending = Int(status.pending)
        lastSyncedAtMs = status.lastSuccessMs
        offline = status.state == .offline
        syncing = status.state == .syncing
        switch status.state {
        case .offline: text = pending > 0 ? "离线，\(pending)项待发送" : "离线"
        case .syncing: text = "同步中…"
        case .error(let reason): text = "同步失败：\(reason)"
        case .idle:
            if pending > 0 {
                text = "\(pending)项待发送"
            } else if let ms = status.lastSuccessMs {
                let f = DateFormatter()
                f.dateFormat = "HH:mm"
                f.timeZone = TimeZone(identifier: "Asia/Shanghai")
                text = "上次同步 " + f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            } else {
                text = "尚未同步"
            }
        }
    }
}

