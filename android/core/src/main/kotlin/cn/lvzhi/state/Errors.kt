package cn.lvzhi.state

import cn.lvzhi.core.LvzhiException
import kotlinx.coroutines.flow.MutableStateFlow

/** The sentence a member reads for a failure: the core's own Chinese message. */
fun Throwable.userMessage(): String = when (this) {
    is LvzhiException -> message ?: "操作失败"
    else -> "操作失败，请重试"
}

/** Runs a core call for a state holder: a refusal lands in `error` in Chinese, a success clears it. */
internal inline fun attempt(error: MutableStateFlow<String?>, block: () -> Unit): Boolean = try {
    block()
    error.value = null
    true
} catch (e: Exception) {
    error.value = e.userMessage()
    false
}
