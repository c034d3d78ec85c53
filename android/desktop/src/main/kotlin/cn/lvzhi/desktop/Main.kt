package cn.lvzhi.desktop

import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.ui.LvzhiAppRoot
import cn.lvzhi.ui.S
import java.io.File

/**
 * 提案工作台: the same screens in a window, for committee staff at a PC. Wide enough, lists and
 * the open proposal sit side by side. `scripts/desktop [--server URL] [--db PATH]` starts it.
 */
fun main(args: Array<String>) {
    fun arg(name: String): String? = args.toList().zipWithNext().firstOrNull { it.first == name }?.second
    val server = arg("--server") ?: System.getenv("LVZHI_SERVER") ?: "http://127.0.0.1:8080"
    val db = File(arg("--db") ?: (System.getProperty("user.home") + "/.lvzhi/desktop.db"))
    db.parentFile?.mkdirs()
    val app = LvzhiApp.open(db.path, server)
    app.startSync(25u)
    application {
        Window(
            onCloseRequest = { app.stopSync(); exitApplication() },
            title = S.STAFF_DESK,
            state = rememberWindowState(size = DpSize(1280.dp, 860.dp)),
        ) {
            LvzhiAppRoot(app, deviceName = "办公电脑")
        }
    }
}
