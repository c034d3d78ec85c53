// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.hihonor.push.sdk

import android.content.Context

interface HonorPushCallback<T> {
    fun onSuccess(result: T?)
    fun onFailure(errorCode: Int, errorString: String?)
}

class HonorPushClient private constructor() {
    external fun checkSupportHonorPush(context: Context): Boolean
    fun init(context: Context, isAutoInitEnabled: Boolean) {}
    fun getPushToken(callback: HonorPushCallback<String>) {}

    companion object {
        @JvmStatic external fun getInstance(): HonorPushClient
    }
}

open class HonorPushDataMsg {
    external fun getData(): String?
}

open class HonorMessageService : android.app.Service() {
    override fun onBind(intent: android.content.Intent?): android.os.IBinder? = null
    open fun onNewToken(token: String?) {}
    open fun onMessageReceived(message: HonorPushDataMsg?) {}
}
