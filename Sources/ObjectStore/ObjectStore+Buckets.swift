import Foundation

/// A bucket: its name, region and creation date.
public struct BucketInfo: Codable, Sendable, Equatable {
    public var name: String
    public var region: String
    public var creationDate: Date
}

extension ObjectStore {
    /// The file in each bucket directory that holds its region and creation date.
    static let bucketInfoFile = ".bucket"

    /// Creates the bucket if it does not exist (in us-east-1).
    public func ensureBucket(_ bucket: String) throws {
        _ = try createBucket(bucket, region: "us-east-1")
    }

    public func bucketExists(_ bucket: String) -> Bool {
        guard BucketName.isValid(bucket) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: bucketDirectory(bucket).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Creates `name` atomically (a prepared directory renamed into place).
    /// - Returns: the new bucket, or the existing one (with `created` false) when it was already there.
    public func createBucket(_ name: String, region: String) throws -> (bucket: BucketInfo, created: Bool) {
        guard BucketName.isValid(name) else { throw ObjectStoreError.invalidBucketName(name) }
        if let existing = try? bucketInfo(name) { return (existing, false) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let staging = root.appendingPathComponent(".tmp-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        let info = BucketInfo(name: name, region: region, creationDate: Date())
        try JSONEncoder().encode(info).write(to: staging.appendingPathComponent(Self.bucketInfoFile), options: .atomic)
        if OpenFile.rename(staging.path, to: bucketDirectory(name).path) != nil {
            try? FileManager.default.removeItem(at: staging)
            guard let existing = try? bucketInfo(name) else { throw ObjectStoreError.io("cannot create bucket \(name)") }
            return (existing, false)
        }
        OpenFile.syncDirectory(root.path)
        return (info, true)
    }

    /// The bucket's region and creation date. - Throws: `ObjectStoreError.noSuchBucket`.
    public func bucketInfo(_ name: String) throws -> BucketInfo {
        try requireBucket(name)
        let directory = bucketDirectory(name)
        if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(Self.bucketInfoFile).path),
            let info = try? JSONDecoder().decode(BucketInfo.self, from: data)
        {
            return info
        }
        // A bucket directory made by hand: us-east-1, created when the directory was.
        let created = (try? FileManager.default.attributesOfItem(atPath: directory.path)[.creationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return BucketInfo(name: name, region: "us-east-1", creationDate: created)
    }

    /// Every bucket, sorted by name.
    public func buckets() throws -> [BucketInfo] {
        bucketNames().compactMap { try? bucketInfo($0) }
    }

    /// Deletes an empty bucket, with its unfinished multipart uploads.
    /// - Throws: `ObjectStoreError.bucketNotEmpty` while it holds an object; `.noSuchBucket`.
    public func deleteBucket(_ name: String) throws {
        try requireBucket(name)
        guard try list(bucket: name).isEmpty else { throw ObjectStoreError.bucketNotEmpty(name) }
        // Moved aside first, so a concurrent put either lands before (and the bucket is restored) or fails.
        let trash = root.appendingPathComponent(".tmp-\(UUID().uuidString)", isDirectory: true)
        guard OpenFile.rename(bucketDirectory(name).path, to: trash.path) == nil else { throw ObjectStoreError.noSuchBucket(name) }
        let stragglers = try FileManager.default.contentsOfDirectory(atPath: trash.path).filter { !$0.hasPrefix(".") }
        if !stragglers.isEmpty {
            _ = OpenFile.rename(trash.path, to: bucketDirectory(name).path)
            throw ObjectStoreError.bucketNotEmpty(name)
        }
        try FileManager.default.removeItem(at: trash)
        OpenFile.syncDirectory(root.path)
    }

    /// Deletes every bucket with all its objects and unfinished uploads (the daemon's `POST /moto-api/reset` test
    /// hook). Each bucket is moved aside first, so it disappears at once for readers.
    public func removeAllBuckets() throws {
        for name in bucketNames() {
            let trash = root.appendingPathComponent(".tmp-\(UUID().uuidString)", isDirectory: true)
            guard OpenFile.rename(bucketDirectory(name).path, to: trash.path) == nil else { continue }
            try FileManager.default.removeItem(at: trash)
        }
        OpenFile.syncDirectory(root.path)
    }

    /// The folders under the root that are buckets, sorted.
    private func bucketNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter(BucketName.isValid).sorted()
    }

    /// Removes the temporaries a crash left behind (in the root, in each bucket, in each multipart upload). Call
    /// it only when no other writer uses the store, at startup.
    public func removeTemporaries() {
        let fileManager = FileManager.default
        func sweep(_ directory: URL) {
            for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasPrefix(".tmp-") {
                try? fileManager.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        sweep(root)
        for bucket in (try? buckets()) ?? [] {
            let directory = bucketDirectory(bucket.name)
            sweep(directory)
            let uploads = directory.appendingPathComponent(Self.uploadsDirectory)
            for upload in (try? fileManager.contentsOfDirectory(atPath: uploads.path)) ?? [] { sweep(uploads.appendingPathComponent(upload)) }
        }
    }
}
