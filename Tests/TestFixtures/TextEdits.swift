import Foundation

extension String {
    /// The text with the first occurrence of `old` replaced by `new`; stops the test run when
    /// `old` is missing, because a fixture edit that changes nothing would test nothing.
    public func replacingFirst(_ old: String, with new: String) -> String {
        guard let range = range(of: old) else { fatalError("test fixture has no '\(old)'") }
        return replacingCharacters(in: range, with: new)
    }
}
