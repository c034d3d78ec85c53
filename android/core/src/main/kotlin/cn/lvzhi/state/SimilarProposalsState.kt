package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.SimilarProposal
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * 相似提案 while a member drafts: the three proposals most like the draft that the member may
 * read, with where they got to and their replies, from the phone's own index (offline, a few
 * milliseconds), so that a member builds on earlier work instead of filing it again.
 */
class SimilarProposalsState(private val app: LvzhiApp) {
    private val _items = MutableStateFlow<List<SimilarProposal>>(emptyList())
    val items: StateFlow<List<SimilarProposal>> = _items.asStateFlow()

    /** Looks again for the draft as it now reads; `draftId` (the draft itself) is left out. */
    fun update(title: String, cause: String, suggestions: String, draftId: String?) {
        _items.value = if (title.isBlank() && cause.isBlank() && suggestions.isBlank()) {
            emptyList()
        } else {
            runCatching { app.similarProposals(title, "$cause\n$suggestions", draftId) }.getOrDefault(emptyList())
        }
    }
}
