package cn.lvzhi.app.push

import android.content.Context
import cn.lvzhi.core.PushVendor
import com.vivo.push.IPushActionListener
import com.vivo.push.PushClient
import com.vivo.push.PushConfig
import com.vivo.push.listener.IPushQueryActionListener
import com.vivo.push.model.UPSNotificationMessage
import com.vivo.push.sdk.OpenClientPushMessageReceiver

// vivo (and iQOO): vivo Push, app id and key as manifest meta-data (com.vivo.push.app_id,
// com.vivo.push.api_key). Compiled only with the SDK added (PUSH.md).

/** `initialize`, `turnOnPush`, then `getRegId`; a changed id comes to [VivoPushReceiver.onReceiveRegId]. */
class VivoPushProvider : PushProvider {
    override val vendor = PushVendor.VIVO

    override fun start(context: Context, onToken: (String) -> Unit) {
        val client = PushClient.getInstance(context)
        // The member agreed to the privacy statement at installation (the app asks nothing more).
        client.initialize(PushConfig.Builder().agreePrivacyStatement(true).build())
        if (!client.isSupport()) return
        client.turnOnPush(IPushActionListener { state ->
            if (state != 0) return@IPushActionListener
            client.getRegId(object : IPushQueryActionListener {
                override fun onSuccess(regId: String?) {
                    if (!regId.isNullOrEmpty()) onToken(regId)
                }

                override fun onFail(errorCode: Int?) {}
            })
        })
    }
}

/** Declared in the manifest (action com.vivo.pushclient.action.RECEIVE). */
class VivoPushReceiver : OpenClientPushMessageReceiver() {
    override fun onReceiveRegId(context: Context?, regId: String?) {
        if (context != null && !regId.isNullOrEmpty()) Push.onToken(context, PushVendor.VIVO, regId)
    }

    /** vivo delivers notification messages only; a tapped one opens the app, which syncs. */
    override fun onNotificationMessageClicked(context: Context?, message: UPSNotificationMessage?) {
        context?.let { Push.onMessage(it) }
    }
}
