package cn.lvzhi.app.push

import android.content.Context
import cn.lvzhi.core.PushVendor
import com.huawei.agconnect.AGConnectOptionsBuilder
import com.huawei.hms.aaid.HmsInstanceId
import com.huawei.hms.push.HmsMessageService
import com.huawei.hms.push.RemoteMessage

// Huawei: HMS Push Kit (com.huawei.hms:push). Compiled only with the SDK added (PUSH.md).

/**
 * The token from `HmsInstanceId.getToken` (blocking, so off the main thread), with the app id
 * from agconnect-services.json. On old EMUI it returns empty and the token comes to
 * [HmsPushService.onNewToken] instead, as does every refreshed one.
 */
class HmsPushProvider : PushProvider {
    override val vendor = PushVendor.HMS

    override fun start(context: Context, onToken: (String) -> Unit) {
        Thread {
            runCatching {
                val appId = AGConnectOptionsBuilder().build(context).getString("client/app_id")
                val token = HmsInstanceId.getInstance(context).getToken(appId, "HCM")
                if (!token.isNullOrEmpty()) onToken(token)
            }
        }.start()
    }
}

/** Declared in the manifest (action com.huawei.push.action.MESSAGING_EVENT). */
class HmsPushService : HmsMessageService() {
    override fun onNewToken(token: String?) {
        if (!token.isNullOrEmpty()) Push.onToken(this, PushVendor.HMS, token)
    }

    /** A data message; a notification message is shown by the system and synced when the app opens. */
    override fun onMessageReceived(message: RemoteMessage?) = Push.onMessage(this)
}
