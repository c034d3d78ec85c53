package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalContent
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

data class EditorUi(
    val content: ProposalContent,
    val proposalId: String?,
    val savedRevision: UInt?,
    val dirty: Boolean,
    val error: String?,
)

/**
 * 提案编辑: every change is kept in memory at once and saved to the core (a new revision)
 * after a short pause in typing, and at once on [flush]; nothing typed waits for the network.
 */
class ProposalEditorState(
    private val app: LvzhiApp,
    private val scope: CoroutineScope,
    existingId: String? = null,
    private val autosaveDelayMs: Long = 800,
) {
    private val _ui = MutableStateFlow(
        EditorUi(
            content = existingId?.let { app.proposal(it).content } ?: ProposalContent("", "", "", ""),
            proposalId = existingId,
            savedRevision = existingId?.let { app.proposal(it).revision },
            dirty = false,
            error = null,
        ),
    )
    val ui: StateFlow<EditorUi> = _ui.asStateFlow()
    private var pending: Job? = null

    fun edit(change: (ProposalContent) -> ProposalContent) {
        _ui.value = _ui.value.copy(content = change(_ui.value.content), dirty = true)
        pending?.cancel()
        pending = scope.launch {
            delay(autosaveDelayMs)
            save()
        }
    }

    /** Saves now (leaving the screen, submitting). */
    fun flush() {
        pending?.cancel()
        if (_ui.value.dirty) save()
    }

    @Synchronized
    private fun save() {
        val now = _ui.value
        try {
            val detail = now.proposalId?.let { app.saveDraft(it, now.content) } ?: app.createDraft(now.content)
            _ui.value = _ui.value.copy(
                proposalId = detail.id,
                savedRevision = detail.revision,
                dirty = _ui.value.content != now.content,
                error = null,
            )
        } catch (e: Exception) {
            _ui.value = _ui.value.copy(error = e.userMessage())
        }
    }
}
