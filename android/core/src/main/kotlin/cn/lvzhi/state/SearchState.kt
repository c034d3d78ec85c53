package cn.lvzhi.state

import cn.lvzhi.core.ConsultHit
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
    /** 社情民意, 议题 and 意见 (a post's hit opens its topic). */
    val consult: List<ConsultHit> = emptyList(),
)

/**
 * 搜索: proposals, study-group messages, 社情民意 reports, topics and posts on this phone, found
 * offline (one or two characters too).
 */
class SearchState(private val app: LvzhiApp) {
    private val _results = MutableStateFlow(SearchResults("", emptyList(), emptyList(), null))
    val results: StateFlow<SearchResults> = _results.asStateFlow()

    fun search(query: String) {
        val q = query.trim()
        _results.value = if (q.isEmpty()) {
            SearchResults(query, emptyList(), emptyList(), null)
        } else {
            try {
                SearchResults(query, app.searchProposals(q), app.searchMessages(q), null, app.searchConsult(q))
            } catch (e: Exception) {
                SearchResults(query, emptyList(), emptyList(), e.userMessage())
            }
        }
    }
}
