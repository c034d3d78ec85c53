// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.huawei.hms.push

open class RemoteMessage {
    external fun getData(): String?
}

open class HmsMessageService : android.app.Service() {
    override fun onBind(intent: android.content.Intent?): android.os.IBinder? = null
    open fun onNewToken(token: String?) {}
    open fun onMessageReceived(message: RemoteMessage?) {}
}
