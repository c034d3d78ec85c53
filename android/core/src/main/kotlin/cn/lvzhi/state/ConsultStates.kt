package cn.lvzhi.state

import cn.lvzhi.core.ConsensusDraft
import cn.lvzhi.core.ConsensusStatus
import cn.lvzhi.core.ConsultationDraft
import cn.lvzhi.core.ConsultationItem
import cn.lvzhi.core.Destination
import cn.lvzhi.core.Level
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ReportContent
import cn.lvzhi.core.ReportDetail
import cn.lvzhi.core.ReportItem
import cn.lvzhi.core.ReportListListener
import cn.lvzhi.core.ReportState
import cn.lvzhi.core.StaffStep
import cn.lvzhi.core.StatsRow
import cn.lvzhi.core.TopicDetail
import cn.lvzhi.core.TopicItem
import cn.lvzhi.core.TopicListListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// State holders for 社情民意, 网络议政, remote-consultation speeches and 协商在基层: plain Kotlin
// over the core (no Android classes), tested on a desktop JVM. Every action is applied by the
// core at once, offline; a refusal lands in `error`, in Chinese.

/** 社情民意 on this device (one's own; for staff their organisation's), latest change first. */
class ReportListState(app: LvzhiApp) : LiveListState<ReportItem>({ app.reports(null) }, { on ->
    app.observeReports(object : ReportListListener {
        override fun onReports(reports: List<ReportItem>) = on(reports)
    })
}) {
    val reports: StateFlow<List<ReportItem>> get() = items

    /** Staff work by state (待受理, 已受理 ...). */
    fun inState(state: ReportState): List<ReportItem> = items.value.filter { it.state == state }
}

/**
 * Writing a report: four parts, a live character count with the usual limit's warning, saved as
 * a draft on the device (offline for days) and submitted when ready.
 */
class ReportEditorState(private val app: LvzhiApp, id: String? = null) {
    var id: String? = id
        private set
    val title = MutableStateFlow("")
    val situation = MutableStateFlow("")
    val analysis = MutableStateFlow("")
    val suggestion = MutableStateFlow("")
    /** Co-authors (联名), by person id. */
    val coAuthors = MutableStateFlow<List<String>>(emptyList())
    /** The 界别 or 专委会 in whose name it is written, if any (set before the first save). */
    val authorGroup = MutableStateFlow<String?>(null)
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        if (id != null) {
            runCatching { app.report(id) }.getOrNull()?.report?.content?.let {
                title.value = it.title
                situation.value = it.situation
                analysis.value = it.analysis
                suggestion.value = it.suggestion
            }
        }
    }

    /** Characters of the text, as the length rule counts them. */
    fun chars(): Int = situation.value.length + analysis.value.length + suggestion.value.length

    /** The warning to show while typing, if the text is longer than usual. */
    fun lengthWarning(): String? =
        if (chars() > USUAL_CHARS) "正文${chars()}字，社情民意信息一般不超过${USUAL_CHARS}字，建议精简" else null

    private fun content() = ReportContent(title.value, situation.value, analysis.value, suggestion.value)

    /** Saves the draft (creating it the first time). */
    fun save(): Boolean = attempt(_error) {
        val current = id
        if (current == null) id = app.createReport(content(), coAuthors.value, authorGroup.value) else app.saveReport(current, content())
    }

    /** Saves and submits (报送). */
    fun submit(): Boolean = save() && attempt(_error) { app.submitReport(id!!) }

    companion object {
        const val USUAL_CHARS = 1500
    }
}

/** One report: both texts with what staff changed, the history, and the staff's steps. */
class ReportDetailState(app: LvzhiApp, id: String) : DetailState<ReportDetail>(app, id, { a, i -> a.report(i) }) {
    private fun step(step: StaffStep): Boolean = act { app.reportStep(id, step) }

    /** 编发 (or, for staff above, adopt) with the edited text: an editor, not one of the forms. */
    fun edit(issue: String, content: ReportContent) = step(StaffStep.Edit(issue, content))
}

/** 社情民意 statistics for staff (network: the organisations below are not on the phone). */
class ReportStatsState(private val app: LvzhiApp) {
    private val _rows = MutableStateFlow<List<StatsRow>>(emptyList())
    val rows: StateFlow<List<StatsRow>> = _rows.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    suspend fun load(orgId: String? = null): Boolean = try {
        _rows.value = app.reportStats(orgId)
        _error.value = null
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }
}

/** 网络议政 topics, the latest to close first. */
class TopicListState(app: LvzhiApp) : LiveListState<TopicItem>({ app.topics() }, { on ->
    app.observeTopics(object : TopicListListener {
        override fun onTopics(topics: List<TopicItem>) = on(topics)
    })
}) {
    val topics: StateFlow<List<TopicItem>> get() = items
}

/** One topic: posting and replying offline, 附议, and for staff moderation and the summary. */
class TopicDetailState(app: LvzhiApp, id: String) : DetailState<TopicDetail>(app, id, { a, i -> a.topic(i) }) {
    fun post(text: String, replyTo: String? = null) = act { app.writePost(id, replyTo, text) }
    fun edit(postId: String, text: String) = act { app.editPost(postId, text) }
}

/** 协商在基层: the consultations on this device, recording one, and following up its points. */
class ConsultationState(private val app: LvzhiApp) {
    private val _items = MutableStateFlow<List<ConsultationItem>>(emptyList())
    val items: StateFlow<List<ConsultationItem>> = _items.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        attempt(_error) { _items.value = app.consultations() }
    }

    /** Records one; `points` are (共识, 责任单位) pairs. Returns its id, or null when refused. */
    fun record(township: String, topic: String, residents: UInt, points: List<Pair<String, String>>, memberIds: List<String> = emptyList()): String? {
        var id: String? = null
        attempt(_error) {
            val draft = ConsultationDraft(
                township, topic, System.currentTimeMillis(), "", memberIds, residents,
                points.map { ConsensusDraft(it.first, it.second) },
            )
            id = app.recordConsultation(draft)
            _items.value = app.consultations()
        }
        return id
    }

    fun followUp(id: String, pointId: String, status: ConsensusStatus, note: String) = attempt(_error) {
        app.followUpConsensus(id, pointId, status, note)
        _items.value = app.consultations()
    }
}
