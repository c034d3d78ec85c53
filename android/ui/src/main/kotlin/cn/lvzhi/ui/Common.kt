package cn.lvzhi.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.ArrowBack
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.LocalMinimumInteractiveComponentSize
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.material3.Icon
import androidx.compose.ui.Alignment
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.material3.ColorScheme
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.state.SyncBannerState

// Screens render state and forward taps; every rule is in the core. Text sizes come from the
// theme's typography (sp), so they follow the system's font scale; every action has a content
// description a screen reader reads.

// A restrained theme for a CPPCC app: the committee's deep red for what can be pressed and
// for headings, warm greys for the rest, plenty of white. Every pair of text and background
// used here is at least 4.5:1 (WCAG AA) — ColorsTest checks them.
val Crimson = Color(0xFFA3262A)
val Ink = Color(0xFF1F1B1A)
val InkSoft = Color(0xFF56504E)
val Paper = Color(0xFFFFFBF8)
val Blush = Color(0xFFF8E4E1)

val LvzhiColors: ColorScheme = lightColorScheme(
    primary = Crimson,
    onPrimary = Color.White,
    primaryContainer = Blush,
    onPrimaryContainer = Color(0xFF5C0F12),
    secondary = InkSoft,
    onSecondary = Color.White,
    secondaryContainer = Blush,
    onSecondaryContainer = Color(0xFF5C0F12),
    background = Paper,
    onBackground = Ink,
    surface = Paper,
    onSurface = Ink,
    onSurfaceVariant = InkSoft,
    surfaceContainer = Color(0xFFF6EFEC),
    error = Color(0xFFB3261E),
)

/** One spacing scale for every screen (dp). */
object Space {
    val xs = 4.dp
    val s = 8.dp
    val m = 12.dp
    val l = 16.dp
    val xl = 24.dp
    /** The smallest touch target (Material and WCAG 2.5.5). */
    val touch = 48.dp
}

/** The theme, with touch targets of at least 48 dp as on Android (the desktop's default is none). */
@Composable
fun LvzhiTheme(content: @Composable () -> Unit) = MaterialTheme(colorScheme = LvzhiColors) {
    CompositionLocalProvider(LocalMinimumInteractiveComponentSize provides Space.touch, content = content)
}

/** A section's heading, at the same inset as the rows under it. */
@Composable
fun SectionTitle(text: String, modifier: Modifier = Modifier) {
    Text(
        text,
        style = MaterialTheme.typography.titleSmall,
        color = MaterialTheme.colorScheme.primary,
        modifier = modifier.padding(top = Space.l, bottom = Space.xs).semantics { heading() },
    )
}

/** What an empty list says: why it is empty and what to do next, with the action if there is one. */
@Composable
fun EmptyState(icon: ImageVector, text: String, action: String? = null, onAction: (() -> Unit)? = null) {
    Column(
        Modifier.fillMaxWidth().padding(horizontal = Space.l, vertical = Space.xl),
        horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(Space.s),
    ) {
        Icon(icon, contentDescription = null, tint = MaterialTheme.colorScheme.onSurfaceVariant, modifier = Modifier.size(40.dp))
        Text(
            text,
            style = MaterialTheme.typography.bodyMedium,
            color = MaterialTheme.colorScheme.onSurfaceVariant,
            textAlign = TextAlign.Center,
            modifier = Modifier.semantics { contentDescription = text },
        )
        if (action != null && onAction != null) {
            FilledTonalButton(onClick = onAction, modifier = Modifier.semantics { contentDescription = action }) { Text(action) }
        }
    }
}

@Composable
fun BackButton(onBack: () -> Unit) {
    TextButton(onClick = onBack, modifier = Modifier.heightIn(min = Space.touch).semantics { contentDescription = S.BACK }) {
        Icon(Icons.AutoMirrored.Outlined.ArrowBack, contentDescription = null, modifier = Modifier.size(18.dp))
        Text(S.BACK, modifier = Modifier.padding(start = Space.xs))
    }
}

/** A labelled action button, read out by its label. */
@Composable
fun ActionButton(
    label: String,
    modifier: Modifier = Modifier,
    description: String = label,
    enabled: Boolean = true,
    onClick: () -> Unit,
) {
    OutlinedButton(
        onClick = onClick,
        enabled = enabled,
        modifier = modifier.semantics { contentDescription = description },
    ) { Text(label) }
}

/** One choice among a few, as chips. */
@OptIn(androidx.compose.foundation.layout.ExperimentalLayoutApi::class)
@Composable
fun <T> Choice(options: List<Pair<T, String>>, selected: T?, onSelect: (T) -> Unit) {
    androidx.compose.foundation.layout.FlowRow {
        for ((value, label) in options) {
            FilterChip(
                selected = value == selected,
                onClick = { onSelect(value) },
                label = { Text(label) },
                modifier = Modifier.padding(end = 6.dp).semantics { contentDescription = label },
            )
        }
    }
}

@Composable
fun ErrorText(message: String?) {
    message ?: return
    Text(
        message,
        color = MaterialTheme.colorScheme.error,
        modifier = Modifier.padding(vertical = 6.dp).semantics { contentDescription = "提示：$message" },
    )
}

@Composable
fun SyncBannerBar(state: SyncBannerState) {
    val banner by state.banner.collectAsState()
    Column(Modifier.fillMaxWidth()) {
        Text(
            text = banner.text,
            style = MaterialTheme.typography.labelLarge,
            color = if (banner.offline) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant,
            modifier = Modifier.fillMaxWidth().padding(12.dp).semantics { contentDescription = "同步状态：${banner.text}" },
        )
    }
}
