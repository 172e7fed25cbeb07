import ImageCodec
import ModelCore
import ObjectStore

extension ChannelReader {
    /// The records of a RecordIO channel (`application/x-recordio`, `S3Prefix` or `ManifestFile`, File or Pipe mode
    /// alike): every record of every object (`.idx` and `.lst` files beside the `.rec` files are skipped), read as
    /// `im2rec` writes detection datasets (`DetectionRecord`). Each image is decoded once here for its size, which
    /// turns the normalised corners into the pixel boxes training uses; a malformed record or image fails the job
    /// with a ClientError naming the file and the record.
    func recordIORecords(_ channel: TrainingChannelSpec) throws -> [TrainingRecord] {
        let files = try objects(of: channel).filter { !$0.uri.key.hasSuffix(".idx") && !$0.uri.key.hasSuffix(".lst") }
        var records: [TrainingRecord] = []
        for file in files {
            let payloads: [ArraySlice<UInt8>]
            do {
                payloads = try RecordIO.records(Array(try fetch(file.uri, "RecordIO file of channel '\(channel.name)'")))
            } catch let error as RecordIO.FramingError {
                throw TrainingClientError("Unable to parse record. Please make sure input data is in correct recordio format: \(file.uri), \(error).")
            }
            for (index, payload) in payloads.enumerated() {
                let name = "\(file.uri) record \(index)"
                let record: DetectionRecord
                do {
                    record = try DetectionRecord(payload)
                } catch let error as DetectionRecord.RecordError {
                    throw TrainingClientError("Unable to parse \(name): \(error.reason).")
                }
                let image = Array(record.image)
                let size: (width: Float, height: Float)
                do {
                    let decoded = try ImageDecoder.decodeUpright(image)
                    size = (Float(decoded.width), Float(decoded.height))
                } catch {
                    throw TrainingClientError("Unable to decode the image of \(name) (id \(record.id)): \(error).")
                }
                let boxes = record.objects.map { o in
                    GroundTruthBox(
                        classID: o.classID,
                        box: BoundingBox(
                            x: o.xmin * size.width,
                            y: o.ymin * size.height,
                            width: (o.xmax - o.xmin) * size.width,
                            height: (o.ymax - o.ymin) * size.height
                        )
                    )
                }
                records.append(TrainingRecord(identifier: "\(name) (id \(record.id))", boxes: boxes) { try ImageDecoder.decodeUpright(image) })
            }
        }
        return records
    }
}
