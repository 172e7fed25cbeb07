import Foundation
import ImageCodec
import Testing

@testable import JobService
@testable import TrainingExecution

@Suite("training results: results.csv and results.png")
struct TrainingResultsTests {
    @Test("one CSV row per epoch in the header's order; a two-panel chart; next to the model")
    func results() throws {
        let json =
            #"[{"epoch":1,"crossEntropy":3.5,"smoothL1":2.9,"validationMAP":0.1,"learningRate":0.001,"imagesPerSecond":30.123,"seconds":12.5},"#
            + #"{"epoch":2,"crossEntropy":2.5,"smoothL1":2.1,"validationMAP":0.4,"learningRate":0.0005,"imagesPerSecond":31,"seconds":11}]"#
        let results = TrainingResults(rows: try JSONDecoder().decode([TrainingResults.Row].self, from: Data(json.utf8)))
        #expect(
            results.csv == TrainingResults.csvHeader + "\n1,3.5,2.9,0.1,0.001,30.12,12.50\n2,2.5,2.1,0.4,0.0005,31.00,11.00\n"
        )
        let chart = results.chart(job: "bees-1")
        #expect(chart.width == 1520 && chart.height == 500)
        #expect(TrainingResults.folder(of: "s3://bees/output/bees-1/output/model.tar.gz") == "s3://bees/output/bees-1/output/")
        #expect(TrainingResults.folder(of: "s3://bees/output/bees-1/output/model/") == "s3://bees/output/bees-1/output/")
    }
}
