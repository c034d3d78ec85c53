package cn.lvzhi.state

import cn.lvzhi.core.GroupListListener
import cn.lvzhi.core.GroupSummary
import cn.lvzhi.core.LvzhiApp
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** 学习交流群 list with unread and @我 counts, kept current by the core. */
class GroupListState(app: LvzhiApp) : LiveListState<GroupSummary>({ app.groups() }, { on ->
    app.observeGroups(object : GroupListListener {
        override fun onGroups(groups: List<GroupSummary>) = on(groups)
    })
}) {
    val groups: StateFlow<List<GroupSummary>> get() = items
}
