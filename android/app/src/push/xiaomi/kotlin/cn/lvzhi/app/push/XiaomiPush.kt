package cn.lvzhi.app.push

import android.content.Context
import cn.lvzhi.core.PushVendor
import com.xiaomi.mipush.sdk.MiPushClient
import com.xiaomi.mipush.sdk.MiPushCommandMessage
import com.xiaomi.mipush.sdk.MiPushMessage
import com.xiaomi.mipush.sdk.PushMessageReceiver

// Xiaomi (and Redmi): MiPush. App id and key from res/values/push.xml. Compiled only with the
// SDK added (PUSH.md).

/**
 * `MiPushClient.registerPush`; the registration id comes to
 * [XiaomiPushReceiver.onReceiveRegisterResult] (every start, and when it changes).
 */
class XiaomiPushProvider : PushProvider {
    override val vendor = PushVendor.XIAOMI

    override fun start(context: Context, onToken: (String) -> Unit) {
        val id = Push.config(context, "lvzhi_push_xiaomi_app_id") ?: return
        val key = Push.config(context, "lvzhi_push_xiaomi_app_key") ?: return
        MiPushClient.registerPush(context, id, key)
        // Known already from an earlier start: handed over at once.
        MiPushClient.getRegId(context)?.let { if (it.isNotEmpty()) onToken(it) }
    }
}

/** Declared in the manifest (the three com.xiaomi.mipush actions, see PUSH.md). */
class XiaomiPushReceiver : PushMessageReceiver() {
    override fun onReceiveRegisterResult(context: Context?, message: MiPushCommandMessage?) {
        context ?: return
        message ?: return
        if (message.command != MiPushClient.COMMAND_REGISTER || message.resultCode != 0L) return
        message.commandArguments?.firstOrNull()?.let { Push.onToken(context, PushVendor.XIAOMI, it) }
    }

    /** A notification message reached the status bar (shown by the system): sync. */
    override fun onNotificationMessageArrived(context: Context?, message: MiPushMessage?) {
        context?.let { Push.onMessage(it) }
    }

    /** A pass-through (data) message: sync. */
    override fun onReceivePassThroughMessage(context: Context?, message: MiPushMessage?) {
        context?.let { Push.onMessage(it) }
    }
}
