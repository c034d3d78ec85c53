package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalSummary
import cn.lvzhi.core.TimelineItem
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

data class SearchResults(
    val query: String,
    val proposals: List<ProposalSummary>,
    val messages: List<TimelineItem>,
    val error: String?,
)

/** 搜索: proposals and study-group messages on this phone, found offline (one or two characters too). */
class SearchState(private val app: LvzhiApp) {
    private val _results = MutableStateFlow(SearchResults("", emptyList(), emptyList(), null))
    val results: StateFlow<SearchResults> = _results.asStateFlow()

    fun search(query: String) {
        val q = query.trim()
        _results.value = if (q.isEmpty()) {
            SearchResults(query, emptyList(), emptyList(), null)
        } else {
            try {
                SearchResults(query, app.searchProposals(q), app.searchMessages(q), null)
            } catch (e: Exception) {
                SearchResults(query, emptyList(), emptyList(), e.userMessage())
            }
        }
    }
}
