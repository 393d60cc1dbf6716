/// Whole numbers read as JSON numbers and checked here, so that a fraction or a number too big
/// for `Int` is a decoding error at its key. (Foundation's `JSONDecoder` on Linux reports such a
/// number as "not valid JSON" for the whole document, without a path.)
extension KeyedDecodingContainer {
    func decodeWholeNumber(forKey key: Key) throws -> Int {
        try wholeNumber(try decode(Double.self, forKey: key), key)
    }

    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        try decodeIfPresent(Double.self, forKey: key).map { try wholeNumber($0, key) }
    }

    private func wholeNumber(_ value: Double, _ key: Key) throws -> Int {
        guard value == value.rounded(), abs(value) <= 1e15 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(value); expected a whole number of at most 15 digits")
        }
        return Int(value)
    }
}
