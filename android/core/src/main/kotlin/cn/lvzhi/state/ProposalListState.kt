package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalListDiff
import cn.lvzhi.core.ProposalListListener
import cn.lvzhi.core.ProposalListUpdate
import cn.lvzhi.core.ProposalSummary
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** 提案 list: a snapshot from the core, then its diffs applied in order. */
class ProposalListState(app: LvzhiApp) : AutoCloseable {
    private val _items = MutableStateFlow<List<ProposalSummary>>(emptyList())
    val items: StateFlow<List<ProposalSummary>> = _items.asStateFlow()

    private val subscription = app.observeProposals(object : ProposalListListener {
        override fun onUpdate(update: ProposalListUpdate) {
            _items.update { current -> apply(current, update) }
        }
    })

    override fun close() = subscription.close()

    companion object {
        fun apply(current: List<ProposalSummary>, update: ProposalListUpdate): List<ProposalSummary> = when (update) {
            is ProposalListUpdate.Snapshot -> update.items
            is ProposalListUpdate.Diffs -> current.toMutableList().also { list ->
                for (d in update.diffs) {
                    when (d) {
                        is ProposalListDiff.Insert -> list.add(d.index.toInt(), d.item)
                        is ProposalListDiff.Update -> list[d.index.toInt()] = d.item
                        is ProposalListDiff.Remove -> list.removeAt(d.index.toInt())
                    }
                }
            }
        }
    }
}
