package cn.lvzhi.state

import cn.lvzhi.core.GroupListListener
import cn.lvzhi.core.GroupSummary
import cn.lvzhi.core.LvzhiApp
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** 学习交流群 list with unread and @我 counts, kept current by the core. */
class GroupListState(app: LvzhiApp) : AutoCloseable {
    private val _groups = MutableStateFlow(runCatching { app.groups() }.getOrDefault(emptyList()))
    val groups: StateFlow<List<GroupSummary>> = _groups.asStateFlow()

    private val subscription = app.observeGroups(object : GroupListListener {
        override fun onGroups(groups: List<GroupSummary>) {
            _groups.value = groups
        }
    })

    override fun close() = subscription.close()
}
