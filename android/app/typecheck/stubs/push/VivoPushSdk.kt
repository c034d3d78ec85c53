// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.vivo.push.sdk

import android.content.Context
import com.vivo.push.model.UPSNotificationMessage

abstract class OpenClientPushMessageReceiver : android.content.BroadcastReceiver() {
    override fun onReceive(context: Context, intent: android.content.Intent) {}
    open fun onReceiveRegId(context: Context?, regId: String?) {}
    open fun onNotificationMessageClicked(context: Context?, message: UPSNotificationMessage?) {}
}
