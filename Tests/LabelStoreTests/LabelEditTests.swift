import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Labeling: boxes, history, undo")
struct LabelEditTests {
    /// Fills an empty store with dataset "bees" (classes bee, wasp) and two 64×48 images.
    static func fill(_ store: LabelStore) throws -> (Dataset, [StoredImage]) {
        let dataset = try store.ensureDataset(named: "bees")
        try store.addCategories(["bee", "wasp"], to: dataset)
        let images = try (0..<2).map {
            try store.addImage(bytes: try TestImages.jpeg(seed: $0), fileName: "\($0).jpg", sourceRef: nil, to: dataset).image
        }
        return (dataset, images)
    }

    @Test("add, move, resize, relabel and delete boxes; every change is in the history", arguments: LabelBackend.available)
    func editsAndHistory(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try Self.fill(store)
            let image = images[0].id
            let box = try store.addBox(.init(classId: 0, left: 1.5, top: 2, width: 10.25, height: 20), toImage: image)
            #expect(box.annotation.left == 1.5)
            try store.apply([.update(boxId: box.id, .init(classId: 0, left: 5, top: 2, width: 10.25, height: 20))])  // move
            try store.apply([.update(boxId: box.id, .init(classId: 1, left: 5, top: 2, width: 30, height: 20))])  // resize and relabel
            let second = try store.addBox(.init(classId: 0, left: 0, top: 0, width: 64, height: 48), toImage: image)
            try store.apply([.delete(boxId: second.id)])
            #expect(try store.boxes(onImage: image).map(\.annotation) == [.init(classId: 1, left: 5, top: 2, width: 30, height: 20)])
            let history = try store.history(ofImage: image)
            #expect(history.map(\.action) == [.add, .update, .update, .add, .delete])
            #expect(history[1].before?.left == 1.5 && history[1].after?.left == 5)
            #expect(history[4].before == .init(classId: 0, left: 0, top: 0, width: 64, height: 48) && history[4].after == nil)
            #expect(Set(history.map(\.revisionId)).count == 5)
            #expect(try store.isLabeled(imageId: image))
            #expect(try !store.isLabeled(imageId: images[1].id))
        }
    }

    @Test("undo walks back one write at a time, restoring deleted boxes with their ids, until nothing is left", arguments: LabelBackend.available)
    func undo(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try Self.fill(store)
            let image = images[0].id
            let box = try store.addBox(.init(classId: 0, left: 1, top: 1, width: 10, height: 10), toImage: image)
            try store.apply([.update(boxId: box.id, .init(classId: 0, left: 3, top: 1, width: 10, height: 10))])
            try store.apply([.delete(boxId: box.id)])
            #expect(try store.boxes(onImage: image).isEmpty)

            try store.apply([.undo(imageId: image)])  // the delete
            #expect(try store.boxes(onImage: image).map(\.id) == [box.id])
            #expect(try store.boxes(onImage: image).first?.annotation.left == 3)
            try store.apply([.undo(imageId: image)])  // the move
            #expect(try store.boxes(onImage: image).first?.annotation.left == 1)
            try store.apply([.undo(imageId: image)])  // the add
            #expect(try store.boxes(onImage: image).isEmpty)
            #expect(try !store.isLabeled(imageId: image))
            let nothingLeft = #expect(throws: LabelStoreError.self) { try store.apply([.undo(imageId: image)]) }
            #expect(nothingLeft?.kind == .conflict)
            // Nothing was lost: three changes, three undos naming them, all kept.
            let history = try store.history(ofImage: image)
            #expect(history.map(\.action) == [.add, .update, .delete, .undo, .undo, .undo])
            #expect(history.prefix(3).allSatisfy { $0.undone })
            #expect(history.suffix(3).map(\.undoes) == [history[2].id, history[1].id, history[0].id])
        }
    }

    @Test("one write with several edits is one revision, applied whole; undo reverses all of it on that image", arguments: LabelBackend.available)
    func multiEditWrite(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try Self.fill(store)
            let image = images[0].id
            let results = try store.apply([
                .add(imageId: image, .init(classId: 0, left: 0, top: 0, width: 5, height: 5)),
                .add(imageId: image, .init(classId: 1, left: 10, top: 10, width: 5, height: 5)),
            ])
            #expect(results.count == 2 && results[0][0].revisionId == results[1][0].revisionId)
            // A bad edit anywhere refuses the whole write.
            #expect(throws: LabelStoreError.self) {
                try store.apply([
                    .add(imageId: image, .init(classId: 0, left: 20, top: 20, width: 5, height: 5)),
                    .add(imageId: image, .init(classId: 0, left: 60, top: 0, width: 5, height: 5)),  // past the right edge
                ])
            }
            #expect(try store.boxes(onImage: image).count == 2)
            try store.apply([.undo(imageId: image)])
            #expect(try store.boxes(onImage: image).isEmpty)
        }
    }

    @Test("submitting an image with no box labels it ('no object'); submitting again changes nothing", arguments: LabelBackend.available)
    func submitEmpty(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try Self.fill(store)
            try store.apply([.submit(imageId: images[1].id)])
            #expect(try store.isLabeled(imageId: images[1].id))
            #expect(try store.apply([.submit(imageId: images[1].id)]) == [[]])
            #expect(try store.history(ofImage: images[1].id).map(\.action) == [.submit])
        }
    }

    @Test(
        "bad boxes are refused with the reason: outside the image, empty, not finite, unknown class, missing image or box",
        arguments: LabelBackend.available
    )
    func validation(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try Self.fill(store)
            let image = images[0].id
            func reason(_ edit: LabelEdit) -> String {
                do {
                    try store.apply([edit])
                    return "accepted"
                } catch {
                    return "\(error)"
                }
            }
            #expect(reason(.add(imageId: image, .init(classId: 0, left: 60, top: 0, width: 10, height: 10))).contains("past the image's width 64"))
            #expect(reason(.add(imageId: image, .init(classId: 0, left: 0, top: 40, width: 10, height: 10))).contains("past the image's height 48"))
            #expect(reason(.add(imageId: image, .init(classId: 0, left: -1, top: 0, width: 10, height: 10))).contains("0 or more"))
            #expect(reason(.add(imageId: image, .init(classId: 0, left: 0, top: 0, width: 0, height: 10))).contains("greater than 0"))
            #expect(reason(.add(imageId: image, .init(classId: 0, left: .nan, top: 0, width: 1, height: 1))).contains("finite"))
            #expect(reason(.add(imageId: image, .init(classId: 2, left: 0, top: 0, width: 1, height: 1))).contains("0=bee, 1=wasp"))
            #expect(reason(.add(imageId: 999, .init(classId: 0, left: 0, top: 0, width: 1, height: 1))).contains("no image with id 999"))
            #expect(reason(.delete(boxId: 999)).contains("no box with id 999"))
            // A box exactly filling the image is fine (the right edge is the width).
            #expect(reason(.add(imageId: image, .init(classId: 0, left: 0, top: 0, width: 64, height: 48))) == "accepted")
            #expect(try store.history(ofImage: image).count == 1)
        }
    }

    @Test(
        "the schema holds the invariants even against raw SQL: boxes inside an existing image of the dataset, history append-only",
        arguments: LabelBackend.available
    )
    func schemaInvariants(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (dataset, images) = try Self.fill(store)
            let box = try store.addBox(.init(classId: 0, left: 1, top: 1, width: 5, height: 5), toImage: images[0].id)
            let other = try store.ensureDataset(named: "other")
            try store.addCategories(["bee"], to: other)
            let attempts = [
                #"INSERT INTO box (imageId, datasetId, classId, "left", top, width, height) VALUES (999, \#(dataset.id), 0, 0, 0, 1, 1)"#,  // missing image
                #"INSERT INTO box (imageId, datasetId, classId, "left", top, width, height) VALUES (\#(images[0].id), \#(other.id), 0, 0, 0, 1, 1)"#,  // other dataset
                #"INSERT INTO box (imageId, datasetId, classId, "left", top, width, height) VALUES (\#(images[0].id), \#(dataset.id), 7, 0, 0, 1, 1)"#,  // missing class
                #"UPDATE box SET width = 100 WHERE id = \#(box.id)"#,  // outside the image
                #"UPDATE labelChange SET "after" = NULL"#,  // rewriting history
            ]
            for sql in attempts {
                #expect(throws: (any Error).self, "\(sql)") { try store.database.write { db in try db.execute(sql) } }
            }
            #expect(try store.boxes(onImage: images[0].id).map(\.annotation.width) == [5])
        }
    }
}
