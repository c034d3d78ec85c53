package cn.lvzhi.app.push

import android.content.Context
import cn.lvzhi.core.PushVendor
import java.lang.reflect.Proxy

// OPPO (and OnePlus, realme): HeytapPush (com.heytap.msp). App key and secret from
// res/values/push.xml. Compiled only with the SDK added (PUSH.md).

/**
 * `HeytapPushManager.register`; the registration id comes to the callback's `onRegister`. The
 * callback interface (ICallBackResultService) changed its methods' parameters between SDK
 * versions (onRegister(code, id) in 2.x/3.0, onRegister(code, id, packageName, miniPackageName)
 * from 3.1), so it is implemented as a proxy that reads the first two arguments of either, and
 * the SDK is called by reflection: no signature of a particular version is compiled in.
 * OPPO delivers notification messages only (shown by the system); the app syncs when opened.
 */
class OppoPushProvider : PushProvider {
    override val vendor = PushVendor.OPPO

    override fun start(context: Context, onToken: (String) -> Unit) {
        val key = Push.config(context, "lvzhi_push_oppo_app_key") ?: return
        val secret = Push.config(context, "lvzhi_push_oppo_app_secret") ?: return
        val manager = Class.forName("com.heytap.msp.push.HeytapPushManager")
        manager.getMethod("init", Context::class.java, Boolean::class.javaPrimitiveType).invoke(null, context, false)
        val supported = manager.getMethod("isSupportPush", Context::class.java).invoke(null, context) as? Boolean ?: false
        if (!supported) return
        val callbackType = Class.forName("com.heytap.msp.push.callback.ICallBackResultService")
        val callback = Proxy.newProxyInstance(callbackType.classLoader, arrayOf(callbackType)) { proxy, method, args ->
            when (method.name) {
                "onRegister" -> {
                    val code = args?.getOrNull(0) as? Int
                    val id = args?.getOrNull(1) as? String
                    if (code == 0 && !id.isNullOrEmpty()) onToken(id)
                    null
                }
                "hashCode" -> System.identityHashCode(proxy)
                "equals" -> proxy === args?.getOrNull(0)
                "toString" -> "OppoPushCallback"
                else -> null
            }
        }
        manager.getMethod("register", Context::class.java, String::class.java, String::class.java, callbackType)
            .invoke(null, context, key, secret, callback)
    }
}
