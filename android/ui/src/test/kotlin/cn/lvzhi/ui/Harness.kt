package cn.lvzhi.ui

import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.text.TextLayoutResult
import kotlin.test.assertTrue
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.io.File
import javax.imageio.ImageIO

/** The server and the devices: the state-holder tests' own harness. */
typealias Harness = cn.lvzhi.state.TestServer

/** A phone: 360 × 800 dp at density 2. */
val PHONE = Size(720f, 1600f)

/** Runs a Compose UI test at a phone's size (or another), at a font scale. */
@OptIn(ExperimentalTestApi::class)
fun phoneUi(size: Size = PHONE, fontScale: Float = 1f, block: SkikoComposeUiTest.() -> Unit) =
    runSkikoComposeUiTest(size, Density(2f, fontScale), block = block)

/** Waits (a generous cap, no timing assertion) until a node with this description exists. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.waitFor(description: String, substring: Boolean = false) {
    waitUntil(timeoutMillis = 15_000) {
        onAllNodes(hasContentDescription(description, substring = substring)).fetchSemanticsNodes().isNotEmpty()
    }
}

/** Taps the node TalkBack reads as `description` (scrolled into view first, where it scrolls). */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.tap(description: String) {
    waitFor(description)
    onNodeWithContentDescription(description).also { runCatching { it.performScrollTo() } }.performClick()
    waitForIdle()
}

/** Opens a page of the 履职 tab (会议活动, 通知公告, 社情民意…). */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.openDuty(page: String) {
    tap("${S.MEETINGS}标签")
    tap(page)
}

/** Types into the field TalkBack reads as `field`. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.type(field: String, text: String) {
    waitFor(field)
    onNodeWithContentDescription(field).also { runCatching { it.performScrollTo() } }.performTextInput(text)
}

/**
 * Writes what the screen shows now to target/screenshots/NAME.png (for people; tests assert on
 * semantics), after checking the screen as a screen reader and a large-text reader meet it
 * ([assertAccessible]): every screen a test photographs is checked.
 */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.screenshot(name: String) {
    val dir = File(System.getenv("LVZHI_SCREENSHOTS") ?: "target/screenshots").apply { mkdirs() }
    waitForIdle()
    // A dialog is a second root over the screen: the picture is the screen's, the check both.
    val screen = onAllNodes(isRoot())[0]
    ImageIO.write(screen.captureToImage().toAwtImage(), "png", File(dir, "$name.png"))
    assertAccessible(name)
}

private val control = SemanticsMatcher("a control") {
    it.config.contains(SemanticsActions.OnClick) || it.config.contains(SemanticsActions.SetText)
}

/**
 * Walks the semantics tree of what is shown: every control (anything tappable or editable) is
 * read out by TalkBack — it has a content description or text — and is at least 48 dp on each
 * side where it is shown whole; no text is cut off (clipped or ellipsised) at this font scale.
 */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.assertAccessible(screen: String) {
    val problems = mutableListOf<String>()
    val root = onAllNodes(isRoot())[0].fetchSemanticsNode().boundsInRoot
    for (n in onAllNodes(control).fetchSemanticsNodes()) {
        val c = n.config
        val said = c.getOrNull(SemanticsProperties.ContentDescription).orEmpty().joinToString() +
            c.getOrNull(SemanticsProperties.Text).orEmpty().joinToString()
        if (said.isBlank()) problems += "a control without a label at ${n.boundsInRoot}"
        // The area a finger may touch (a button's 40 dp face is padded to 48 dp around it).
        val t = n.touchBoundsInRoot
        // Only controls wholly on screen: a scrolled list cuts the ones at its edges (their
        // bounds are clipped smaller than the control).
        val b = n.boundsInRoot
        val clipped = b.width < n.size.width - 1 || b.height < n.size.height - 1
        val whole = !clipped && t.width > 0f && t.top >= root.top && t.bottom <= root.bottom && t.left >= root.left && t.right <= root.right
        val min = 48f * density.density - 1f
        if (whole && (t.width < min || t.height < min)) problems += "「$said」 is ${t.width / density.density}×${t.height / density.density} dp"
    }
    for (n in onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsActions.GetTextLayoutResult), useUnmergedTree = true).fetchSemanticsNodes()) {
        val results = mutableListOf<TextLayoutResult>()
        n.config[SemanticsActions.GetTextLayoutResult].action?.invoke(results)
        val r = results.firstOrNull() ?: continue
        // Cut off: lines dropped or ellipsised, or a line wider or lower than the text's box (a
        // pixel of rounding aside).
        val p = r.multiParagraph
        val cut = p.didExceedMaxLines || p.height > r.size.height + 1 ||
            (0 until r.lineCount).any { r.getLineRight(it) - r.getLineLeft(it) > r.size.width + 1 }
        if (cut) problems += "text cut off: 「${r.layoutInput.text.text.take(30)}」"
    }
    assertTrue(problems.isEmpty(), "$screen (font scale ${density.fontScale}):\n" + problems.joinToString("\n"))
}
