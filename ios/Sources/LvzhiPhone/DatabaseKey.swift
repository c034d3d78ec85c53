// The device database's 32-byte key, made once at random and kept in the Keychain, readable
// only on this device after its first unlock (so background sync can open the database).
#if canImport(Security) && canImport(SwiftUI)
import Foundation
import Security

enum DatabaseKey {
    private static let service = "cn.lvzhi.database-key"

    static func get() -> Data {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecReturnData as String: true,
        ]
        var found: CFTypeRef?
        if SecItemCopyMatching(query as CFDictionary, &found) == errSecSuccess, let key = found as? Data, key.count == 32 {
            return key
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        precondition(SecRandomCopyBytes(kSecRandomDefault, bytes.count, &bytes) == errSecSuccess, "no random bytes")
        let key = Data(bytes)
        let add: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
            kSecValueData as String: key,
        ]
        SecItemDelete(add as CFDictionary)
        SecItemAdd(add as CFDictionary, nil)
        return key
    }
}
#endif
