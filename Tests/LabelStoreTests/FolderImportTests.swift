import Foundation
import GRDB
import ImageCodec
import Testing

@testable import LabelStore

@Suite("Importing a folder of images")
struct FolderImportTests {
    @Test("good images are stored, duplicates and bad files reported with their reason; a second run adds nothing")
    func importsAndReports() throws {
        let folder = try TestImages.folder("import")
        defer { try? FileManager.default.removeItem(at: folder) }
        let jpeg = try TestImages.jpeg(seed: 1)
        try Data(jpeg).write(to: folder.appendingPathComponent("a.jpg"))
        try Data(try TestImages.png(width: 20, height: 30, seed: 2)).write(to: folder.appendingPathComponent("b.png"))
        try Data(jpeg).write(to: folder.appendingPathComponent("copy-of-a.jpg"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("hive2"), withIntermediateDirectories: true)
        try Data(try TestImages.jpeg(seed: 3)).write(to: folder.appendingPathComponent("hive2/c.jpg"))
        try Data(jpeg.prefix(jpeg.count / 2)).write(to: folder.appendingPathComponent("truncated.jpg"))
        try Data("GIF89a......".utf8).write(to: folder.appendingPathComponent("anim.gif"))
        try Data().write(to: folder.appendingPathComponent("empty.jpg"))
        try Data(jpeg).write(to: folder.appendingPathComponent(".hidden.jpg"))

        let store = try LabelStore.inMemory()
        let report = try store.importFolder(folder, into: "bees", sourceRefPrefix: "s3://bees/images/")
        #expect(report.added.map(\.fileName) == ["a.jpg", "b.png", "hive2/c.jpg"])
        #expect(report.added.map(\.sourceRef) == ["s3://bees/images/a.jpg", "s3://bees/images/b.png", "s3://bees/images/hive2/c.jpg"])
        #expect(report.added[1].width == 20 && report.added[1].height == 30 && report.added[1].format == .png)
        #expect(report.duplicates.map(\.fileName) == ["copy-of-a.jpg"])
        #expect(report.duplicates.first?.existing.fileName == "a.jpg")
        let reasons = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.fileName, $0.reason) })
        #expect(reasons.keys.sorted() == ["anim.gif", "empty.jpg", "truncated.jpg"])
        #expect(reasons["anim.gif"]?.contains("not a JPEG or PNG file (starts with 47 49 46 38)") == true, "\(reasons)")
        #expect(reasons["empty.jpg"]?.contains("empty file") == true, "\(reasons)")
        #expect(reasons["truncated.jpg"]?.contains("JPEG") == true, "\(reasons)")
        // Stored bytes are the file's own when no orientation applies.
        #expect(try store.imageBytes(id: report.added[0].id) == jpeg)
        #expect(report.added[0].sha256 == ContentHash.sha256(jpeg))

        let again = try store.importFolder(folder, into: "bees")
        #expect(again.added.isEmpty)
        #expect(again.duplicates.count == 4)
        #expect(try store.images(in: report.dataset).count == 3)
    }

    @Test("SHA-256 matches a known vector")
    func sha256() {
        #expect(ContentHash.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("an EXIF-rotated photo is stored upright once: size, pixels and boxes agree, and the upright copy dedupes")
    func exifOrientationAppliedOnce() throws {
        // Stored 64×48 with the red block top-left; orientation 6 means "turn 90° clockwise to view".
        let rotated = TestImages.withOrientation(try TestImages.jpeg(width: 64, height: 48, seed: 4), 6)
        let store = try LabelStore.inMemory()
        let dataset = try store.ensureDataset(named: "phone")
        let image = try store.addImage(bytes: rotated, fileName: "phone.jpg", sourceRef: nil, to: dataset).image
        #expect((image.width, image.height) == (48, 64))
        #expect(image.orientation == .right)
        #expect(image.uprightSha256 != nil && image.sha256 == ContentHash.sha256(rotated))
        // The stored file is upright and has no orientation left to apply: the red block is now top-right.
        let stored = try store.imageBytes(id: image.id)
        #expect(ImageOrientation.of(jpeg: stored) == .up)
        let pixels = try JPEGCodec.decode(stored)
        #expect((pixels.width, pixels.height) == (48, 64))
        #expect(pixels[40, 8].r > 180 && pixels[40, 8].g < 80, "\(pixels[40, 8])")
        #expect(pixels[8, 8].r < 180, "\(pixels[8, 8])")
        // Boxes are checked against the upright size: 40 wide fits, 50 wide does not.
        try store.addCategories(["bee"], to: dataset)
        _ = try store.addBox(.init(classId: 0, left: 8, top: 0, width: 40, height: 64), toImage: image.id)
        #expect(throws: LabelStoreError.self) { try store.addBox(.init(classId: 0, left: 0, top: 0, width: 50, height: 10), toImage: image.id) }
        // The upright file (what an export writes) is recognised as the same image.
        #expect(try store.addImage(bytes: stored, fileName: "exported.jpg", sourceRef: nil, to: dataset) == .duplicate(of: image))
    }

    @Test("a missing folder is refused; nothing is created")
    func missingFolder() throws {
        let store = try LabelStore.inMemory()
        #expect(throws: LabelStoreError.self) { try store.importFolder(URL(fileURLWithPath: "/nonexistent/apiary"), into: "bees") }
        #expect(try store.datasets().isEmpty)
    }

    @Test("an image row never exists without its bytes: the schema ties them in one transaction")
    func noPartialRows() throws {
        let store = try LabelStore.inMemory()
        let dataset = try store.ensureDataset(named: "bees")
        let image = try store.addImage(bytes: try TestImages.jpeg(), fileName: "a.jpg", sourceRef: nil, to: dataset).image
        let orphans = try store.dbWriter.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image WHERE id NOT IN (SELECT imageId FROM imageContent)")
        }
        #expect(orphans == 0)
        #expect(throws: DatabaseError.self) {
            try store.dbWriter.write { db in try db.execute(sql: "INSERT INTO imageContent (imageId, bytes) VALUES (999, x'00')") }
        }
        #expect(try store.image(id: image.id).fileName == "a.jpg")
    }
}
