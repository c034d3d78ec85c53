package cn.lvzhi.app.push

import android.content.Context
import android.os.Build
import cn.lvzhi.app.AndroidReminderScheduler
import cn.lvzhi.app.Core
import cn.lvzhi.core.PushVendor
import cn.lvzhi.core.pushVendorForManufacturer
import cn.lvzhi.state.PushTokens
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/**
 * One vendor's push SDK. Each lives in its own file under src/push/<vendor> (compiled only when
 * that SDK is added, see PUSH.md) and is found by its class name, so this module builds without
 * any of them.
 */
interface PushProvider {
    val vendor: PushVendor

    /**
     * Registers with the vendor's service; `onToken` is called with the token, maybe later, on
     * any thread. A refreshed token arrives through the vendor's service or receiver class
     * ([Push.onToken]).
     */
    fun start(context: Context, onToken: (String) -> Unit)
}

/**
 * Server push on Android: the phone's channel chosen by its maker (`pushVendorForManufacturer`),
 * the vendor's token handed to the core (sent with the next sync, again after every login), and
 * a push answered by a sync. A push names only a kind and a count ("3 条新通知"); what it is
 * about the app reads from its own database once synced, and the local reminders follow.
 */
object Push {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val started = AtomicBoolean(false)

    @Volatile
    private var tokens: PushTokens? = null

    /** The phone's push token, shared with the screens (LocalPushTokens) to register again after a login. */
    fun tokens(context: Context): PushTokens = tokens ?: synchronized(this) {
        tokens ?: PushTokens(Core.app(context)).also { tokens = it }
    }

    /** The provider class of each vendor, in src/push/<vendor>. */
    private val providers = mapOf(
        PushVendor.HMS to "cn.lvzhi.app.push.HmsPushProvider",
        PushVendor.HONOR to "cn.lvzhi.app.push.HonorPushProvider",
        PushVendor.XIAOMI to "cn.lvzhi.app.push.XiaomiPushProvider",
        PushVendor.OPPO to "cn.lvzhi.app.push.OppoPushProvider",
        PushVendor.VIVO to "cn.lvzhi.app.push.VivoPushProvider",
    )

    /** This phone's vendor's provider, if this build has its SDK; null on other phones. */
    fun provider(manufacturer: String = Build.MANUFACTURER): PushProvider? {
        val vendor = pushVendorForManufacturer(manufacturer) ?: return null
        val name = providers[vendor] ?: return null
        return runCatching { Class.forName(name).getDeclaredConstructor().newInstance() as PushProvider }.getOrNull()
    }

    /** Starts the phone's vendor SDK once per process (MainActivity.onCreate). */
    fun start(context: Context) {
        if (!started.compareAndSet(false, true)) return
        val app = context.applicationContext
        val provider = provider() ?: return
        runCatching { provider.start(app) { token -> onToken(app, provider.vendor, token) } }
    }

    /** A token from the vendor (first or refreshed): to the core, and to the server with the next sync. */
    fun onToken(context: Context, vendor: PushVendor, token: String) {
        if (token.isNotEmpty()) tokens(context).received(vendor, token)
    }

    /** A push arrived (or the vendor delivered a data message): sync, then reschedule the local reminders. */
    fun onMessage(context: Context) {
        val appContext = context.applicationContext
        val app = Core.app(appContext)
        scope.launch {
            if (app.me() == null) return@launch
            runCatching { app.syncNow() }
            runCatching { AndroidReminderScheduler(appContext).replace(app.reminderSchedule()) }
        }
    }

    /** A value the developer configured for a vendor (res/values/push.xml, see PUSH.md); null when missing. */
    fun config(context: Context, name: String): String? {
        val id = context.resources.getIdentifier(name, "string", context.packageName)
        return if (id == 0) null else context.getString(id).takeIf { it.isNotBlank() }
    }
}
