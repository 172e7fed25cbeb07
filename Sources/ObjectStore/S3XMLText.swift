import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The text of every element of an S3 XML answer, by element name (`Key`, `NextContinuationToken`, `UploadId`,
/// `Code`, …): S3's listing, multipart and error documents are flat enough that names alone say what a value is.
/// Read by the clients of the daemon's S3 API (`RemoteObjectStore`, ctl).
public final class S3XMLText: NSObject, XMLParserDelegate {
    private var texts: [String: [String]] = [:]
    private var current = ""
    /// Whether the whole document parsed.
    public private(set) var isWellFormed = false

    public init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        isWellFormed = parser.parse()
    }

    /// The texts of the elements named `element`, in document order.
    public func values(_ element: String) -> [String] { texts[element] ?? [] }

    public func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        current = ""
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        texts[name, default: []].append(current)
        current = ""
    }
}
