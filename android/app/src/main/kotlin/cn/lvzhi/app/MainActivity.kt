package cn.lvzhi.app

import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.ui.LvzhiAppRoot
import java.io.File

/**
 * The one activity, and only Android wiring: where the database lives, the server URL of this
 * build, the device's name, and syncing while in the foreground. The screens are :ui's, the
 * same ones the desktop JVM builds and tests.
 */
class MainActivity : ComponentActivity() {
    private lateinit var app: LvzhiApp

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Encrypted at rest with a key only this device's Keystore can unwrap.
        val key = DatabaseKey(this).get()
        app = LvzhiApp.openEncrypted(File(filesDir, "lvzhi.db").path, BuildConfig.SERVER_URL, key, emptyList())
        key.fill(0)
        setContent { LvzhiAppRoot(app, deviceName = Build.MODEL) }
    }

    override fun onStart() {
        super.onStart()
        app.startSync(25u) // long-poll while in the foreground
    }

    override fun onStop() {
        app.stopSync()
        super.onStop()
    }
}
