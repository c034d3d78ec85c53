// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.vivo.push

import android.content.Context
import com.vivo.push.listener.IPushQueryActionListener

fun interface IPushActionListener {
    fun onStateChanged(state: Int)
}

class PushConfig private constructor() {
    class Builder {
        fun agreePrivacyStatement(agree: Boolean): Builder = this
        external fun build(): PushConfig
    }
}

class PushClient private constructor() {
    /** Throws VivoPushException. */
    fun initialize(config: PushConfig) {}
    external fun isSupport(): Boolean
    fun turnOnPush(listener: IPushActionListener) {}
    fun getRegId(listener: IPushQueryActionListener) {}

    companion object {
        @JvmStatic external fun getInstance(context: Context): PushClient
    }
}
