package cn.lvzhi.ui

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.graphics.toComposeImageBitmap
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.performClick
import cn.lvzhi.core.Audience
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.MaterialDraft
import cn.lvzhi.core.NewsDraft
import cn.lvzhi.core.VideoLink
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import javax.imageio.ImageIO
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * Files, 委员学习, 线上读书 and 信息发布 as rendered Compose screens on the real core and server:
 * a photo sent in a group shows its thumbnail on another member's phone and downloads on a tap;
 * a member studies a material and writes a note with a highlight; a reading note; the news feed;
 * 清理缓存 in 存储空间.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class StudyScreensTest {
    private val h = Harness()
    private val groupName = "宾川县政协读书群"
    private lateinit var group: String
    private val materialTitle = "乡村振兴促进法学习辅导"

    @BeforeAll
    fun start() {
        h.start()
        val staff = h.loggedIn("chenjing")
        group = staff.createGroup(groupName, GroupKind.READING_GROUP, listOf("demo-zhangming", "demo-lihua"))
        val now = System.currentTimeMillis()
        staff.setReadingPlan(
            group,
            listOf(cn.lvzhi.core.ReadingItem("《乡土中国》", "费孝通", null, now - 86_400_000L, now + 14 * 86_400_000L)),
            listOf("demo-lihua"),
        )
        staff.publishMaterial(
            null,
            MaterialDraft(
                materialTitle,
                "乡村振兴促进法明确了产业发展、人才支撑、文化繁荣、生态保护和组织建设五个方面。",
                "乡村振兴专题",
                1u,
                emptyList(),
                VideoLink("https://v.yncppcc.example/xczx-1", "乡村振兴促进法解读", 40u),
                Audience.Members(false),
            ),
        )
        staff.publishNews(null, NewsDraft("宾川县政协召开十二届三次常委会议", "", "会议审议通过了年度协商计划，部署了柑橘产业专题视察。", null, true))
        h.sync("chenjing")
    }

    @AfterAll
    fun stop() = h.stop()

    /** A photo-like JPEG, as a phone camera would give. */
    private fun photo(): ByteArray {
        val img = BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB)
        for (x in 0 until 1200) for (y in 0 until 900) img.setRGB(x, y, (x * 255 / 1200 shl 16) or (y * 255 / 900 shl 8) or ((x + y) % 255))
        return ByteArrayOutputStream().also { ImageIO.write(img, "jpg", it) }.toByteArray()
    }

    private val skia: (ByteArray) -> androidx.compose.ui.graphics.ImageBitmap? =
        { bytes -> runCatching { org.jetbrains.skia.Image.makeFromEncoded(bytes).toComposeImageBitmap() }.getOrNull() }

    private fun SkikoComposeUiTest.show(login: String, picker: (suspend () -> PickedFile?)? = null) = setContent {
        CompositionLocalProvider(LocalImageDecoder provides skia, LocalFilePicker provides picker) {
            LvzhiAppRoot(h.loggedIn(login), "测试设备")
        }
    }

    private fun SkikoComposeUiTest.openGroup() {
        waitFor("群：$groupName", substring = true)
        onNode(hasContentDescription("群：$groupName", substring = true)).performClick()
        waitForIdle()
    }

    @Test
    @Order(1)
    fun `a member sends a photo and another sees its thumbnail and downloads it`() {
        phoneUi {
            show("zhangming") { PickedFile("宾川县柑橘冷库现场.jpg", "image/jpeg", photo()) }
            tap("${S.GROUPS}标签")
            openGroup()
            tap(S.ATTACH)
            waitFor("${S.ATTACHMENTS}：宾川县柑橘冷库现场.jpg", substring = true)
            screenshot("50-chat-photo-sent")
        }
        h.sync("zhangming")
        phoneUi {
            show("lihua")
            tap("${S.GROUPS}标签")
            openGroup()
            waitFor("${S.ATTACHMENTS}：宾川县柑橘冷库现场.jpg，图片", substring = true)
            waitFor("${S.DOWNLOAD}", substring = true)
            onNode(hasContentDescription("${S.ATTACHMENTS}：宾川县柑橘冷库现场.jpg", substring = true)).performClick()
            waitFor("${S.ATTACHMENTS}：宾川县柑橘冷库现场.jpg，图片 · ", substring = true)
            waitUntil(timeoutMillis = 15_000) {
                onAllNodes(hasContentDescription(S.OPEN, substring = true)).fetchSemanticsNodes().isNotEmpty()
            }
            screenshot("51-chat-photo-received")
        }
    }

    @Test
    @Order(2)
    fun `a member studies a material and writes a note with a highlight`() = phoneUi {
        show("zhangming")
        tap("${S.STUDY}标签")
        waitFor("资料：$materialTitle")
        screenshot("52-materials")
        tap("资料：$materialTitle")
        waitFor("${S.VIDEO}：乡村振兴促进法解读")
        tap(S.MARK_STUDIED)
        waitFor(S.STUDIED)
        type(S.HIGHLIGHT, "产业发展")
        type(S.STUDY_NOTE, "宾川县要把柑橘产业做成富民产业")
        tap(S.SAVE_NOTE)
        waitFor("笔记：宾川县要把柑橘产业做成富民产业")
        screenshot("53-material-studied")
        tap(S.BACK)
        waitFor("资料：$materialTitle，${S.STUDIED}　笔记1条")
    }

    @Test
    @Order(3)
    fun `a reading note, and the news of the county`() = phoneUi {
        show("zhangming")
        tap("${S.STUDY}标签")
        tap(S.READING)
        tap("读书群：$groupName")
        waitFor("书目：《乡土中国》")
        type(S.READING_NOTES, "读了第一章，村规民约是乡土社会的规矩。")
        tap(S.SAVE_READING_NOTE)
        waitFor("心得：张明：读了第一章，村规民约是乡土社会的规矩。")
        screenshot("54-reading")
        tap(S.NEWS)
        tap("信息：宾川县政协召开十二届三次常委会议")
        waitFor("信息标题：宾川县政协召开十二届三次常委会议")
        screenshot("55-news")
    }

    @Test
    @Order(4)
    fun `staff publish a news item on the screen and a member reads it`() {
        phoneUi {
            show("chenjing")
            tap("${S.STUDY}标签")
            tap(S.NEWS)
            tap(S.PUBLISH_NEWS)
            type(S.TITLE, "宾川县政协开展柑橘产业专题视察")
            type(S.TEXT_BODY, "县政协组织部分委员深入金牛镇柑橘基地和冷库，听取情况介绍。")
            tap(S.PUBLISH_NOW)
            waitFor("信息标题：宾川县政协开展柑橘产业专题视察")
            screenshot("57-news-published")
        }
        h.sync("chenjing", "zhangming")
        phoneUi {
            show("zhangming")
            tap("${S.STUDY}标签")
            tap(S.NEWS)
            waitFor("信息：宾川县政协开展柑橘产业专题视察")
        }
    }

    @Test
    @Order(5)
    fun `storage shows what files take and clears the cache`() = phoneUi {
        show("lihua")
        tap("${S.MINE}标签")
        tap(S.STORAGE)
        waitFor("缓存用量：已用", substring = true)
        tap(S.CLEAR_CACHE)
        waitFor("提示：已清理", substring = true)
        screenshot("56-storage")
    }
}
