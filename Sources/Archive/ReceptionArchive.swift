import Foundation
import GRDB

/// The archive of past receptions: one SQLite file, opened in WAL mode with a
/// busy timeout and foreign keys on.
///
/// Every public operation runs in exactly one transaction: it either completes
/// or leaves the file as it was. Writers take SQLite's write lock up front
/// (`BEGIN IMMEDIATE`), so two processes writing at once are serialised; one
/// that waits longer than ``busyTimeout`` fails with ``ArchiveError/busy(path:waitedSeconds:)``.
///
/// Opening never writes to a file that is not an archive: the file's header,
/// `application_id` and tables are inspected read-only first, and a foreign,
/// corrupt or newer file is refused.
public struct ReceptionArchive: Sendable {
    /// How ``open(at:mode:busyTimeout:)`` treats a missing file.
    public enum OpenMode: Sendable {
        /// Create the archive when the file does not exist (commands that write).
        case createIfMissing
        /// Fail with ``ArchiveError/notFound(path:)`` when it does not exist (commands that only read).
        case existingOnly
    }

    /// The archive file.
    public let path: String
    /// Seconds a command waits for another process's write lock before giving up.
    public let busyTimeout: Double
    private let pool: DatabasePool

    private init(path: String, busyTimeout: Double, pool: DatabasePool) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.pool = pool
    }

    /// Opens (or creates) the archive at `path`, migrating an archive of an
    /// older schema version.
    ///
    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - mode: Whether a missing file is created.
    ///   - busyTimeout: Seconds to wait for another process's lock.
    /// - Throws: ``ArchiveError`` naming the file and what to do.
    public static func open(at path: String, mode: OpenMode, busyTimeout: Double = 5) throws(ArchiveError) -> ReceptionArchive {
        let state = try inspect(path, busyTimeout: busyTimeout)
        if case .absent = state {
            guard mode == .createIfMissing else { throw .notFound(path: path) }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .cannotOpen(path: path, reason: "the folder \(folder) does not exist; create it, or pass --db with a path in an existing folder")
            }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "ReceptionArchive"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw ArchiveError(error, path: path, busyTimeout: busyTimeout)
        }
        let archive = ReceptionArchive(path: path, busyTimeout: busyTimeout, pool: pool)
        let version = try archive.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
        if version < ArchiveSchema.currentVersion {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            _ = try archive.write { db in try ArchiveSchema.migrate(db, path: path) }
        } else if version > ArchiveSchema.currentVersion {
            throw .newerSchema(path: path, found: version, supported: ArchiveSchema.currentVersion)
        }
        return archive
    }

    /// The schema version of the open archive.
    public func schemaVersion() throws(ArchiveError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// Closes the connections. The read-only ones go first, so that the writer
    /// is this process's last connection: closing it folds the write-ahead log
    /// into the archive file and removes the `-wal` and `-shm` files when no
    /// other process has the archive open, and a copy of the file alone is then
    /// a complete backup. Later operations on this value fail; other
    /// connections are unaffected.
    public func close() throws(ArchiveError) {
        pool.releaseMemory()
        do {
            try pool.close()
        } catch {
            throw ArchiveError(error, path: path, busyTimeout: busyTimeout)
        }
    }

    // MARK: Transactions

    /// Runs `body` in one `IMMEDIATE` write transaction, rolled back when it throws.
    func write<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw ArchiveError(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw ArchiveError(error, path: path, busyTimeout: busyTimeout)
        }
    }

    // MARK: Inspection

    private enum FileState {
        case absent
        case empty
        case archive(version: Int)
    }

    /// What is at `path`, read without writing anything.
    private static func inspect(_ path: String, busyTimeout: Double) throws(ArchiveError) -> FileState {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue {
            throw .cannotOpen(path: path, reason: "it is a folder; pass --db with the path of a file")
        }
        let size = fileSize(path) ?? 0
        let walSize = fileSize(path + "-wal") ?? 0
        if size == 0 && walSize == 0 { return .empty }
        if size > 0 {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .cannotOpen(path: path, reason: "permission denied")
            }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            guard header == Data("SQLite format 3\u{0}".utf8) else { throw .notADatabase(path: path) }
        }

        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "ReceptionArchive.inspect"
        let facts: (applicationID: Int32, version: Int, tables: [String])
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            facts = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
            }
            try queue.close()
        } catch {
            throw ArchiveError(error, path: path, busyTimeout: busyTimeout)
        }
        if facts.applicationID == ArchiveSchema.applicationID {
            if facts.version > ArchiveSchema.currentVersion {
                throw .newerSchema(path: path, found: facts.version, supported: ArchiveSchema.currentVersion)
            }
            return .archive(version: facts.version)
        }
        if facts.applicationID != 0 {
            let hex = String(UInt32(bitPattern: facts.applicationID), radix: 16)
            throw .foreignDatabase(path: path, detail: "it is an SQLite database of another application, application_id 0x\(hex)")
        }
        if !facts.tables.isEmpty {
            let names = facts.tables.prefix(3).joined(separator: ", ") + (facts.tables.count > 3 ? ", ..." : "")
            throw .foreignDatabase(path: path, detail: "it is an SQLite database with other tables: \(names)")
        }
        return .empty
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }
}

extension ArchiveError {
    /// Translates an error from SQLite or GRDB; an ``ArchiveError`` thrown inside
    /// a transaction comes back unchanged.
    init(_ error: any Error, path: String, busyTimeout: Double) {
        if let error = error as? ArchiveError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self = .storage(path: path, detail: "\(error)")
            return
        }
        let detail = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self = .busy(path: path, waitedSeconds: busyTimeout)
        case .SQLITE_NOTADB:
            self = .notADatabase(path: path)
        case .SQLITE_CORRUPT:
            self = .corrupt(path: path, detail: detail)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            self = .cannotOpen(path: path, reason: detail)
        case .SQLITE_READONLY:
            self = .cannotOpen(path: path, reason: "the file or its folder is read-only (\(detail)); make it writable")
        case .SQLITE_FULL:
            self = .storage(path: path, detail: "the disk is full")
        default:
            self = .storage(path: path, detail: detail)
        }
    }
}

extension ReceptionArchive {
    /// The folder and file name of the default archive, under the user's data folder.
    public static let defaultRelativePath = "reception-scheduler/archive.sqlite"

    /// The per-user archive path: `$XDG_DATA_HOME/reception-scheduler/archive.sqlite`
    /// when `XDG_DATA_HOME` is an absolute path, else
    /// `$HOME/.local/share/reception-scheduler/archive.sqlite`; `nil` without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent(defaultRelativePath).path
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home).appendingPathComponent(".local/share").appendingPathComponent(defaultRelativePath).path
        }
        return nil
    }
}
