import Testing

@testable import LabelStore

/// A dataset, image or labeling job name with the NUL character is nobody's, on both backends: SQLite compared such a
/// name up to the NUL (so `bees\0x` found `bees`), and PostgreSQL's text cannot hold it.
@Suite("names with the NUL character")
struct NULCharacterTests {
    @Test("find nothing and are not stored", arguments: LabelBackend.available)
    func nulNames(backend: LabelBackend) throws {
        try backend.withStore { store in
            let dataset = try store.ensureDataset(named: "bees")
            _ = try store.addImage(bytes: try TestImages.png(), fileName: "a.png", sourceRef: nil, to: dataset)
            #expect(throws: LabelStoreError.self) { try store.dataset(named: "bees\u{0}x") }
            #expect(throws: LabelStoreError.self) { try store.ensureDataset(named: "bees\u{0}x") }
            #expect(throws: LabelStoreError.self) { try store.image(named: "a.png\u{0}", in: dataset) }
            #expect(throws: LabelStoreError.self) {
                try store.addImage(bytes: try TestImages.png(seed: 1), fileName: "b.png\u{0}", sourceRef: nil, to: dataset)
            }
            #expect(throws: LabelStoreError.self) { try store.labelingJob(named: "job\u{0}") }
            #expect(try store.datasets().map(\.name) == ["bees"])
            #expect(try store.images(in: dataset).map(\.fileName) == ["a.png"])
        }
    }
}
