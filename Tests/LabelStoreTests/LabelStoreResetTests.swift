import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Reset: the test hook empties the label store and leaves it usable")
struct LabelStoreResetTests {
    @Test("datasets, images, boxes, history and settings are gone; the same names can be used again", arguments: LabelBackend.available)
    func removeAll(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try LabelEditTests.fill(store)
            let box = GroundTruthAnnotation(classId: 0, left: 1, top: 2, width: 10, height: 12)
            try store.apply([.add(imageId: images[0].id, box), .submit(imageId: images[1].id)])
            try store.removeAll()
            #expect(try store.datasets().isEmpty)
            for table in ["image", "imageContent", "box", "labelChange", "revision", "labeledImage", "labelCategory", "setting"] {
                #expect(try store.database.read { try $0.value(Int.self, "SELECT COUNT(*) FROM \(table)") } == 0, "\(table)")
            }
            let again = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee"], to: again)
            let image = try store.addImage(bytes: try TestImages.jpeg(seed: 0), fileName: "0.jpg", sourceRef: nil, to: again).image
            try store.apply([.add(imageId: image.id, box)])
            #expect(try store.stats(of: again).labeledImages == 1)
        }
    }
}
