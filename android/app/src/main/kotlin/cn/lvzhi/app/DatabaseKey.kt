package cn.lvzhi.app

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The device database's 32-byte key. It is made once at random, kept only wrapped (AES-GCM) by
 * a key that never leaves the Android Keystore, and handed to the core at open. Wiping the app's
 * data or resetting the Keystore loses it: the core then reports WrongKey and the member logs
 * in again on a fresh database (everything unsent is on the server's side only if it was sent).
 */
class DatabaseKey(private val context: Context) {
    private val prefs = context.getSharedPreferences("lvzhi-db-key", Context.MODE_PRIVATE)

    fun get(): ByteArray {
        val wrapped = prefs.getString(WRAPPED, null)
        val iv = prefs.getString(IV, null)
        if (wrapped != null && iv != null) {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(128, Base64.decode(iv, Base64.NO_WRAP)))
            return cipher.doFinal(Base64.decode(wrapped, Base64.NO_WRAP))
        }
        val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        prefs.edit()
            .putString(WRAPPED, Base64.encodeToString(cipher.doFinal(key), Base64.NO_WRAP))
            .putString(IV, Base64.encodeToString(cipher.iv, Base64.NO_WRAP))
            .commit()
        return key
    }

    private fun wrappingKey(): SecretKey {
        val store = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (store.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    private companion object {
        const val ALIAS = "lvzhi-database-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val WRAPPED = "wrapped"
        const val IV = "iv"
    }
}
