package cn.lvzhi.ui

import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.luminance
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** Every pair of text (or icon) and background colour the theme uses meets WCAG 2.1 AA. */
class ColorsTest {
    private fun contrast(a: Color, b: Color): Double {
        val (hi, lo) = listOf(a.luminance().toDouble(), b.luminance().toDouble()).sortedDescending()
        return (hi + 0.05) / (lo + 0.05)
    }

    @Test
    fun `text and icons meet AA on the backgrounds they sit on`() {
        val c = LvzhiColors
        // (what, foreground, background, the least ratio: 4.5 for text, 3 for icons and large text)
        val pairs = listOf(
            Triple("body text", c.onSurface to c.surface, 4.5),
            Triple("secondary text", c.onSurfaceVariant to c.surface, 4.5),
            Triple("headings and links", c.primary to c.surface, 4.5),
            Triple("button label", c.onPrimary to c.primary, 4.5),
            Triple("shortcut label", c.onPrimaryContainer to c.primaryContainer, 4.5),
            Triple("shortcut icon", c.primary to c.primaryContainer, 3.0),
            Triple("tab label", c.onSurfaceVariant to c.surfaceContainer, 4.5),
            Triple("selected tab", c.onSecondaryContainer to c.secondaryContainer, 4.5),
            Triple("error text", c.error to c.surface, 4.5),
            Triple("secondary on background", c.secondary to c.background, 4.5),
        )
        val failing = pairs.map { (what, colours, least) -> Triple(what, contrast(colours.first, colours.second), least) }
            .filter { (_, ratio, least) -> ratio < least }
        assertTrue(failing.isEmpty(), failing.joinToString { (what, ratio, least) -> "$what: ${"%.2f".format(ratio)} < $least" })
    }
}
