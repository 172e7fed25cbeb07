import Foundation
import Testing

@testable import LabelStore

@Suite("The free tier: 500 labeled images")
struct FreeTierTests {
    /// Row counts of every table a label write touches.
    static func snapshot(_ store: LabelStore) throws -> [Int] {
        try store.database.read { db in
            try ["box", "labelChange", "revision", "image", "labelCategory"].map { try db.value(Int.self, "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
    }

    @Test(
        "the 501st distinct image is refused with the cap and the count, and nothing stored changes; opting in lifts the cap",
        arguments: LabelBackend.available
    )
    func cap(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let dataset = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee"], to: dataset)
            let images = try (0...FreeTier.cap).map {
                try store.addImage(bytes: try TestImages.png(width: 20, height: 17, seed: $0), fileName: "\($0).png", sourceRef: nil, to: dataset).image
            }
            // 499 submitted empty, one with a box: 500 labeled.
            try store.apply(images[0..<499].map { .submit(imageId: $0.id) })
            let box = try store.addBox(.init(classId: 0, left: 1, top: 1, width: 5, height: 5), toImage: images[499].id)
            #expect(try store.freeTier() == FreeTier(labeledImages: 500, optedIn: false))

            let before = try Self.snapshot(store)
            let refused = #expect(throws: LabelStoreError.self) {
                try store.addBox(.init(classId: 0, left: 1, top: 1, width: 5, height: 5), toImage: images[500].id)
            }
            #expect(refused?.kind == .freeTierExhausted)
            #expect(refused?.message.contains("the free tier covers 500 labeled images and 500 are used") == true, "\(refused?.message ?? "")")
            #expect(refused?.message.contains("ctl labels free-tier --opt-in") == true)
            // Submitting it, or a write that also edits a labeled image, is refused whole.
            #expect(throws: LabelStoreError.self) { try store.apply([.submit(imageId: images[500].id)]) }
            #expect(throws: LabelStoreError.self) {
                try store.apply([.update(boxId: box.id, .init(classId: 0, left: 2, top: 1, width: 5, height: 5)), .submit(imageId: images[500].id)])
            }
            #expect(try Self.snapshot(store) == before)
            #expect(try !store.isLabeled(imageId: images[500].id))
            // Images already labeled can still be edited.
            try store.apply([.update(boxId: box.id, .init(classId: 0, left: 2, top: 1, width: 5, height: 5))])

            try store.setLabelingBeyondFreeTier(true)
            try store.apply([.submit(imageId: images[500].id)])
            #expect(try store.freeTier() == FreeTier(labeledImages: 501, optedIn: true))
            #expect(try store.freeTier().beyondFreeTier == 1)
            #expect(try store.stats(of: dataset).freeTier.beyondFreeTier == 1)
            // Undo frees a place; opting back out refuses new images again but keeps what is labeled.
            try store.setLabelingBeyondFreeTier(false)
            try store.apply([.undo(imageId: images[500].id)])
            #expect(try store.freeTier().labeledImages == 500)
            #expect(throws: LabelStoreError.self) { try store.apply([.submit(imageId: images[500].id)]) }
        }
    }
}
