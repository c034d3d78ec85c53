package cn.lvzhi.app.push

import android.content.Context
import cn.lvzhi.core.PushVendor
import com.hihonor.push.sdk.HonorMessageService
import com.hihonor.push.sdk.HonorPushCallback
import com.hihonor.push.sdk.HonorPushClient
import com.hihonor.push.sdk.HonorPushDataMsg

// Honor: Honor Push (com.hihonor.mcs:push), app id from mcs-services.json / the manifest.
// Compiled only with the SDK added (PUSH.md).

/** Initialises the client and asks for the token; refreshed ones come to [HonorPushService.onNewToken]. */
class HonorPushProvider : PushProvider {
    override val vendor = PushVendor.HONOR

    override fun start(context: Context, onToken: (String) -> Unit) {
        val client = HonorPushClient.getInstance()
        if (!client.checkSupportHonorPush(context)) return
        client.init(context, true)
        client.getPushToken(object : HonorPushCallback<String> {
            override fun onSuccess(token: String?) {
                if (!token.isNullOrEmpty()) onToken(token)
            }

            override fun onFailure(errorCode: Int, errorString: String?) {}
        })
    }
}

/** Declared in the manifest (action com.hihonor.push.action.MESSAGING_EVENT). */
class HonorPushService : HonorMessageService() {
    override fun onNewToken(token: String?) {
        if (!token.isNullOrEmpty()) Push.onToken(this, PushVendor.HONOR, token)
    }

    /** A data message; a notification message is shown by the system and synced when the app opens. */
    override fun onMessageReceived(message: HonorPushDataMsg?) = Push.onMessage(this)
}
