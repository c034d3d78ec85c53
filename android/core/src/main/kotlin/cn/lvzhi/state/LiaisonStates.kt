package cn.lvzhi.state

import cn.lvzhi.core.ContactDraft
import cn.lvzhi.core.ContactLogDraft
import cn.lvzhi.core.ContactLogLine
import cn.lvzhi.core.ContactSummary
import cn.lvzhi.core.ContactWay
import cn.lvzhi.core.Contact
import cn.lvzhi.core.DirectoryLine
import cn.lvzhi.core.FileFields
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MyFile
import cn.lvzhi.core.StudioLine
import cn.lvzhi.core.StudioMessageLine
import cn.lvzhi.core.chinaToday
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// State holders for 委员档案, 联络联系 and 委员工作室. Every write is applied by the core at once,
// offline, and sent with the next sync; a refusal lands in `error`, in Chinese. Contacts are the
// member's own and counted only as facts against the organisation's expectation — never ranked.

/** 我的档案: the member's file as staff keep it, the corrections asked, and asking one. */
class MyFileState(private val app: LvzhiApp) {
    private val _file = MutableStateFlow(load())
    val file: StateFlow<MyFile?> = _file.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private fun load(): MyFile? = runCatching { app.myFile() }.getOrNull()

    fun refresh() {
        _file.value = load()
    }

    /** Asks staff to correct the file to [fields]; false (with the reason) when refused. */
    fun requestCorrection(fields: FileFields, note: String): Boolean =
        attempt(_error) { app.requestFileCorrection(fields, note) }.also { refresh() }
}

/** 委员名录: the organisation's members — name, 界别, 专委会, 单位职务, never a phone. */
class DirectoryState(private val app: LvzhiApp) {
    private val _lines = MutableStateFlow(load(""))
    val lines: StateFlow<List<DirectoryLine>> = _lines.asStateFlow()

    private fun load(query: String): List<DirectoryLine> =
        runCatching { app.directory(query.takeIf { it.isNotBlank() }) }.getOrDefault(emptyList())

    fun search(query: String) {
        _lines.value = load(query)
    }
}

/** 联络联系: the member's register, their log with the drafts made of it, and this year's facts. */
class ContactsState(private val app: LvzhiApp) {
    private val _contacts = MutableStateFlow<List<Contact>>(emptyList())
    val contacts: StateFlow<List<Contact>> = _contacts.asStateFlow()
    private val _log = MutableStateFlow<List<ContactLogLine>>(emptyList())
    val log: StateFlow<List<ContactLogLine>> = _log.asStateFlow()
    private val _summary = MutableStateFlow<ContactSummary?>(null)
    val summary: StateFlow<ContactSummary?> = _summary.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        _contacts.value = runCatching { app.contacts() }.getOrDefault(emptyList())
        _log.value = runCatching { app.contactLog() }.getOrDefault(emptyList())
        _summary.value = runCatching { app.contactSummary() }.getOrNull()
    }

    /** The people still in the register (a removed one stays in past contacts only). */
    fun current(): List<Contact> = _contacts.value.filter { !it.removed }

    fun add(name: String, sector: String, phone: String): Boolean =
        attempt(_error) { app.saveContact(null, ContactDraft(name, sector, phone, "")) }.also { refresh() }

    fun remove(id: String): Boolean = attempt(_error) { app.removeContact(id) }.also { refresh() }

    /** Logs a contact with the people chosen; the date is today unless given. */
    fun log(contactIds: List<String>, way: ContactWay, raised: String, date: String = chinaToday()): Boolean =
        attempt(_error) { app.logContact(null, ContactLogDraft(contactIds, date, way, raised)) }.also { refresh() }

    /** Makes a 社情民意 draft of what a contact raised, linked to it; its id, or null when refused. */
    fun reportFrom(logId: String): String? {
        var id: String? = null
        attempt(_error) { id = app.reportFromContact(logId) }
        refresh()
        return id
    }

    companion object {
        /** 「已联系 3 人 / 年度要求 5 人」: a fact, not a score. */
        fun summaryLabel(s: ContactSummary): String =
            "${s.year}年已联系 ${s.peopleReached} 人" + (s.expected?.let { " / 年度要求 $it 人" } ?: "")
    }
}

/** 工作室值班: the studios with the member's duty days, and the messages of the member's studios. */
class StudioDutyState(private val app: LvzhiApp) {
    private val _studios = MutableStateFlow<List<StudioLine>>(emptyList())
    val studios: StateFlow<List<StudioLine>> = _studios.asStateFlow()
    private val _messages = MutableStateFlow<List<StudioMessageLine>>(emptyList())
    val messages: StateFlow<List<StudioMessageLine>> = _messages.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        _studios.value = runCatching { app.studios() }.getOrDefault(emptyList())
        _messages.value = runCatching { app.studioMessages() }.getOrDefault(emptyList())
    }

    /** The studios the member is attached to (others of the organisation are listed too). */
    fun mine(): List<StudioLine> = _studios.value.filter { it.myDutyDays.isNotEmpty() || it.onDutyToday }

    fun answer(messageId: String, text: String): Boolean =
        attempt(_error) { app.answerStudioMessage(messageId, text) }.also { refresh() }

    /** A 社情民意 draft of a message (without the resident's name or phone); its id or null. */
    fun reportFrom(messageId: String): String? {
        var id: String? = null
        attempt(_error) { id = app.reportFromMessage(messageId) }
        refresh()
        return id
    }
}
