package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.Audience
import cn.lvzhi.core.FileState
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.MaterialDraft
import cn.lvzhi.core.NewsDraft
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** Files, study and news through the generated bindings, on a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileAndStudyStatesTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    private fun pdf(size: Int): ByteArray = "%PDF-1.7\n".toByteArray() + ByteArray(size) { (it % 251).toByte() }

    @Test
    fun `a file sent in a group uploads, and another member downloads it with progress and keeps it offline`() {
        val staff = server.loggedIn("chenjing")
        val group = staff.createGroup("农业和农村界学习交流群", GroupKind.SECTOR, listOf("demo-zhangming", "demo-lihua"))
        server.sync("chenjing")
        val zhang = server.loggedIn("zhangming")
        val li = server.loggedIn("lihua")

        val chat = ChatTimelineState(zhang, group)
        assertTrue(chat.sendFile("宾川县柑橘冷链调研.pdf", "application/pdf", pdf(300_000), "调研报告请参阅"), chat.error.value ?: "")
        assertFalse(chat.sendFile("安装包.exe", "application/x-msdownload", ByteArray(10)))
        assertEquals("不支持的文件类型：application/x-msdownload", chat.error.value)
        server.sync("zhangming", "lihua")
        chat.close()

        val timeline = ChatTimelineState(li, group)
        server.eventually("the message with its file arrives") { timeline.items.value.any { it.attachments.isNotEmpty() } }
        val attachment = timeline.items.value.first { it.attachments.isNotEmpty() }.attachments.single()
        val transfers = TransfersState(li)
        assertEquals(FileState.NotHere, transfers.views(listOf(attachment)).single().state)
        assertEquals("PDF文档 · 293 KB", transfers.views(listOf(attachment)).single().caption)
        assertTrue(runBlocking { transfers.download(attachment) }, transfers.error.value ?: "")
        server.eventually("the download's progress reached its end") {
            transfers.progress.value[attachment.hash]?.let { it.done == it.total } == true
        }
        assertEquals(FileState.Here, transfers.views(listOf(attachment)).single().state)
        server.stop() // offline: the file opens from the phone
        try {
            assertEquals(300_009, transfers.bytes(attachment.hash)?.size)
            val cache = CacheState(li)
            assertTrue(cache.label().startsWith("已用 293 KB / 200 MB"), cache.label())
            assertTrue(transfers.pin(attachment, true))
            assertTrue(cache.clear())
            assertNotNull(transfers.bytes(attachment.hash), "a pinned file stays")
            assertTrue(transfers.pin(attachment, false))
            assertTrue(cache.clear())
            assertEquals("已清理 293 KB，保留的文件和待上传的文件不受影响", cache.message.value)
            assertEquals(null, transfers.bytes(attachment.hash))
        } finally {
            server.start()
        }
        transfers.close()
        timeline.close()
    }

    @Test
    fun `a member studies a material offline and writes a note that enters the duty record`() {
        val staff = server.loggedIn("chenjing")
        val draft = MaterialDraft(
            "乡村振兴促进法学习辅导",
            "乡村振兴促进法明确了产业发展、人才支撑、文化繁荣、生态保护和组织建设五个方面。",
            "乡村振兴专题",
            1u,
            emptyList(),
            null,
            Audience.Members(false),
        )
        val id = staff.publishMaterial(null, draft)
        staff.publishNews(null, NewsDraft("宾川县政协召开常委会议", "", "会议审议通过了年度协商计划。", null, true))
        server.sync("chenjing")
        val zhang = server.loggedIn("zhangming")
        val list = MaterialListState(zhang)
        server.eventually("the material arrived") { list.items.value.any { it.material.id == id } }
        assertEquals("乡村振兴专题", list.bySeries().first().first)
        val news = NewsFeedState(zhang)
        server.eventually("the news arrived") { news.items.value.any { it.title == "宾川县政协召开常委会议" } }

        server.stop()
        try {
            val m = MaterialState(zhang, id)
            assertFalse(m.studied())
            assertTrue(m.take(ActionKind.MATERIAL_MARK_STUDIED), m.error.value ?: "")
            assertTrue(m.studied())
            assertFalse(m.writeNote("x", quote = "正文里没有的话"))
            assertEquals("标注的文字不在资料正文中", m.error.value)
            assertTrue(m.writeNote("宾川县要把柑橘产业做成富民产业", quote = "产业发展"))
            assertEquals(1, m.detail.value?.study?.notes?.size)
            val keys = zhang.dutyRecord(java.time.Year.now(java.time.ZoneId.of("Asia/Shanghai")).value).lines.map { it.fact.key }
            assertTrue("material_studied" in keys && "study_note" in keys, keys.toString())
        } finally {
            server.start()
        }
        list.close()
        news.close()
    }
}
