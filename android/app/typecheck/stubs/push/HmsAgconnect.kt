// A stub for type-checking the app shell here (scripts/test-compose): the vendors' push SDKs
// are served only from their own Maven repositories, which this machine cannot reach.
// Signatures as the vendor documents them (versions in android/app/PUSH.md); nothing here runs
// or ships (Gradle builds the app with the real SDK, see PUSH.md).
package com.huawei.agconnect

import android.content.Context

class AGConnectOptionsBuilder {
    external fun build(context: Context): AGConnectOptions
}

interface AGConnectOptions {
    fun getString(path: String): String?
}
