package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import java.io.File
import java.net.ServerSocket
import java.nio.file.Files
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * A real lvzhi-server (the demo data) on a free port, as a process (stopping it is how a phone
 * goes offline), and real device databases, one per account. The binary comes from
 * LVZHI_SERVER_BIN. Shared by the state-holder tests and the Compose screen tests.
 */
class TestServer {
    val dir: File = Files.createTempDirectory("lvzhi-kotlin").toFile()
    private val port = ServerSocket(0).use { it.localPort }
    val url = "http://127.0.0.1:$port"
    private var server: Process? = null
    private val apps = mutableMapOf<String, LvzhiApp>()

    init {
        // The folder goes when the test JVM ends (each test class left 9 MB in /tmp): tests stop
        // and start the server mid-test, so no single point before that knows it is the last use.
        Runtime.getRuntime().addShutdownHook(Thread { dir.deleteRecursively() })
    }

    fun start() {
        val bin = System.getenv("LVZHI_SERVER_BIN") ?: error("LVZHI_SERVER_BIN is not set")
        val p = ProcessBuilder(bin, "--db", File(dir, "server.db").path, "--listen", "127.0.0.1:$port", "--demo", "--login-burst", "1000")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val out = p.inputStream.bufferedReader()
        while (true) {
            val line = out.readLine() ?: error("the server stopped before listening")
            if (line.startsWith("lvzhi-server listening on")) break
        }
        Thread { out.forEachLine { } }.apply { isDaemon = true }.start()
        server = p
    }

    /** SIGTERM: the server stops after the requests in flight. */
    fun stop() {
        server?.let {
            it.destroy()
            it.waitFor()
        }
        server = null
    }

    /** The device of `login`, opened once. */
    fun app(login: String): LvzhiApp =
        apps.getOrPut(login) { LvzhiApp.openEncrypted(File(dir, "$login.db").path, url, TEST_KEY, emptyList()) }

    /** The device of `login`, logged in and synced. */
    fun loggedIn(login: String): LvzhiApp = app(login).also { app ->
        if (app.me() == null) runBlocking { app.login(login, PASSWORD, "测试设备") }
        runBlocking { app.syncNow() }
    }

    fun sync(vararg logins: String) = runBlocking {
        for (l in logins) app(l).syncNow()
    }

    /** Waits (a generous cap, no timing assertion) until `check` holds. */
    fun eventually(what: String, check: () -> Boolean) = runBlocking {
        withTimeout(20_000) { while (!check()) delay(50) }
        kotlin.test.assertTrue(check(), what)
    }

    companion object {
        const val PASSWORD = "lvzhi-demo-2027"

        /** The tests' key provider: a constant (the app's comes from the Android Keystore). */
        val TEST_KEY = ByteArray(32) { 0x5a }
    }
}
