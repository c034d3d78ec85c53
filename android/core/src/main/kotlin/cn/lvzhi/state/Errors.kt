package cn.lvzhi.state

import cn.lvzhi.core.LvzhiException

/** The sentence a member reads for a failure: the core's own Chinese message. */
fun Throwable.userMessage(): String = when (this) {
    is LvzhiException -> message ?: "操作失败"
    else -> "操作失败，请重试"
}
