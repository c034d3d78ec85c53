// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.xiaomi.mipush.sdk

import android.content.Context

object MiPushClient {
    const val COMMAND_REGISTER = "register"
    @JvmStatic fun registerPush(context: Context, appID: String, appKey: String) {}
    @JvmStatic external fun getRegId(context: Context): String?
}

open class MiPushCommandMessage {
    val command: String? = null
    val commandArguments: List<String>? = null
    val resultCode: Long = 0
}

open class MiPushMessage {
    val content: String? = null
}

abstract class PushMessageReceiver : android.content.BroadcastReceiver() {
    override fun onReceive(context: Context, intent: android.content.Intent) {}
    open fun onReceivePassThroughMessage(context: Context?, message: MiPushMessage?) {}
    open fun onNotificationMessageClicked(context: Context?, message: MiPushMessage?) {}
    open fun onNotificationMessageArrived(context: Context?, message: MiPushMessage?) {}
    open fun onCommandResult(context: Context?, message: MiPushCommandMessage?) {}
    open fun onReceiveRegisterResult(context: Context?, message: MiPushCommandMessage?) {}
}
