package cn.lvzhi.app

import android.content.Context
import cn.lvzhi.core.LvzhiApp
import java.io.File

/**
 * The process's one core: the activity and the push services (which may run with no activity,
 * when a push wakes the app) share it, so the device database is opened once per process.
 */
object Core {
    @Volatile
    private var app: LvzhiApp? = null

    fun app(context: Context): LvzhiApp = app ?: synchronized(this) {
        app ?: open(context.applicationContext).also { app = it }
    }

    private fun open(context: Context): LvzhiApp {
        // Encrypted at rest with a key only this device's Keystore can unwrap.
        val key = DatabaseKey(context).get()
        try {
            return LvzhiApp.openEncrypted(File(context.filesDir, "lvzhi.db").path, BuildConfig.SERVER_URL, key, emptyList())
        } finally {
            key.fill(0)
        }
    }
}
