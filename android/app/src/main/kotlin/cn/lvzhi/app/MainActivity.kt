package cn.lvzhi.app

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.graphics.BitmapFactory
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.provider.OpenableColumns
import android.text.Html
import androidx.activity.ComponentActivity
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.ui.graphics.asImageBitmap
import cn.lvzhi.app.push.Push
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.ui.LocalFilePicker
import cn.lvzhi.ui.LocalImageDecoder
import cn.lvzhi.ui.LocalPushTokens
import cn.lvzhi.ui.LocalQrCamera
import cn.lvzhi.ui.LocalReminderScheduler
import cn.lvzhi.ui.LocalShare
import cn.lvzhi.ui.LvzhiAppRoot
import cn.lvzhi.ui.Navigation
import cn.lvzhi.ui.PickedFile
import kotlinx.coroutines.CompletableDeferred

/**
 * The one activity, and only Android wiring: where the database lives, the server URL of this
 * build, the device's name, syncing while in the foreground, and the platform's parts the
 * screens ask for — the system's file and photo picker, the image decoder, the camera for
 * 扫码签到, the share sheet, local notifications for 待办 and the server's push
 * (cn.lvzhi.app.push). The screens are :ui's, the same ones the desktop JVM builds and tests.
 */
class MainActivity : ComponentActivity() {
    private lateinit var app: LvzhiApp
    /** Where the app is; a tapped reminder opens its item here (onCreate, onNewIntent). */
    private val nav = Navigation()
    /** Whether the camera may be used: granted now or when the member answers the request. */
    private val cameraAllowed = mutableStateOf(false)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Encrypted at rest with a key only this device's Keystore can unwrap; one per process,
        // shared with the push services.
        app = Core.app(this)
        // Server push through the phone's vendor (HMS, Honor, Xiaomi, OPPO, vivo), where this
        // build has its SDK (PUSH.md); its token reaches the core, and again after every login.
        Push.start(this)
        val pushTokens = Push.tokens(this)
        // Reminders need the notification permission on Android 13+ (without it 待办 stay in the
        // app). The camera is asked for when the member first opens 扫码签到.
        if (Build.VERSION.SDK_INT >= 33 && checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED) {
            requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), 1)
        }
        val hasCamera = packageManager.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY)
        cameraAllowed.value = checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED
        val scheduler = AndroidReminderScheduler(this)
        openFrom(intent)
        setContent {
            val pending = remember { arrayOfNulls<CompletableDeferred<Uri?>>(1) }
            val picker = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { uri -> pending[0]?.complete(uri) }
            val pick: suspend () -> PickedFile? = {
                val waiting = CompletableDeferred<Uri?>()
                pending[0] = waiting
                picker.launch("*/*")
                waiting.await()?.let { read(it) }
            }
            val allowed by cameraAllowed
            val camera = remember(allowed) {
                when {
                    !hasCamera -> null
                    allowed -> Camera2QrCamera(this)
                    else -> AskForCamera { requestPermissions(arrayOf(Manifest.permission.CAMERA), 2) }
                }
            }
            CompositionLocalProvider(
                LocalFilePicker provides pick,
                LocalImageDecoder provides { bytes -> BitmapFactory.decodeByteArray(bytes, 0, bytes.size)?.asImageBitmap() },
                LocalQrCamera provides camera,
                LocalShare provides { title, html -> share(title, html) },
                LocalReminderScheduler provides scheduler,
                LocalPushTokens provides pushTokens,
            ) {
                LvzhiAppRoot(app, deviceName = Build.MODEL, nav = nav)
            }
        }
    }

    /** A picked file's name, type and bytes (the core shrinks photos and uploads in pieces). */
    private fun read(uri: Uri): PickedFile? {
        val name = contentResolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { c ->
            if (c.moveToFirst()) c.getString(0) else null
        } ?: "附件"
        val type = contentResolver.getType(uri) ?: "application/octet-stream"
        val bytes = contentResolver.openInputStream(uri)?.use { it.readBytes() } ?: return null
        return PickedFile(name, type, bytes)
    }

    /** The annual report to the share sheet: as HTML where the receiver takes it, as text elsewhere. */
    private fun share(title: String, html: String) {
        val intent = Intent(Intent.ACTION_SEND).setType("text/html")
            .putExtra(Intent.EXTRA_SUBJECT, title)
            .putExtra(Intent.EXTRA_HTML_TEXT, html)
            .putExtra(Intent.EXTRA_TEXT, Html.fromHtml(html, Html.FROM_HTML_MODE_COMPACT).toString())
        startActivity(Intent.createChooser(intent, title))
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        openFrom(intent)
    }

    /** A reminder's notification carries the item it is about (ReminderReceiver). */
    private fun openFrom(intent: Intent?) {
        val entity = intent?.getStringExtra("entity") ?: return
        val id = intent.getStringExtra("id") ?: return
        nav.open(entity, id)
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        cameraAllowed.value = checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED
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
