import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Labeling: revision-checked edits of one image (the worker UI's writes)")
struct ImageLabelsTests {
    @Test(
        "an edit at the current revision is applied and moves the revision on; a stale one is refused with nothing changed",
        arguments: LabelBackend.available
    )
    func staleRevisionRefused(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try LabelEditTests.fill(store)
            let image = images[0].id
            let start = try store.labels(ofImage: image)
            #expect(start.revision == 0 && start.boxes.isEmpty && !start.isLabeled)

            let box = GroundTruthAnnotation(classId: 0, left: 1, top: 2, width: 10, height: 12)
            let first = try store.apply([.add(imageId: image, box)], toImage: image, atRevision: 0)
            #expect(first.changes.map(\.action) == [.add])
            #expect(first.labels.boxes.map(\.annotation) == [box] && first.labels.isLabeled && first.labels.revision > 0)

            // Another tab still at revision 0 tries to draw: refused, nothing stored.
            #expect {
                try store.apply([.add(imageId: image, box)], toImage: image, atRevision: 0)
            } throws: { ($0 as? LabelStoreError)?.kind == .conflict && "\($0)".contains("changed elsewhere") }
            #expect(try store.labels(ofImage: image) == first.labels)

            // A write to another image does not move this image's revision.
            try store.apply([.submit(imageId: images[1].id)])
            #expect(try store.labels(ofImage: image).revision == first.labels.revision)

            let undone = try store.apply([.undo(imageId: image)], toImage: image, atRevision: first.labels.revision)
            #expect(undone.labels.boxes.isEmpty && !undone.labels.isLabeled && undone.labels.revision > first.labels.revision)
        }
    }

    @Test("an edit reaching a box of another image is refused as a whole", arguments: LabelBackend.available)
    func otherImageRefused(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let (_, images) = try LabelEditTests.fill(store)
            let other = try store.addBox(.init(classId: 0, left: 1, top: 1, width: 5, height: 5), toImage: images[1].id)
            let before = try store.labels(ofImage: images[0].id)
            #expect {
                try store.apply(
                    [.add(imageId: images[0].id, .init(classId: 0, left: 0, top: 0, width: 4, height: 4)), .delete(boxId: other.id)],
                    toImage: images[0].id,
                    atRevision: before.revision
                )
            } throws: { ($0 as? LabelStoreError)?.kind == .invalid }
            #expect(try store.labels(ofImage: images[0].id) == before)
            #expect(try store.boxes(onImage: images[1].id).map(\.id) == [other.id])
        }
    }
}
