package cn.lvzhi.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
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

private val Crimson = Color(0xFFB3261E)

private val colors: ColorScheme = lightColorScheme(
    primary = Crimson,
    onPrimary = Color.White,
    secondary = Color(0xFF7D5260),
    error = Color(0xFFBA1A1A),
)

@Composable
fun LvzhiTheme(content: @Composable () -> Unit) = MaterialTheme(colorScheme = colors, content = content)

@Composable
fun SectionTitle(text: String) {
    Text(
        text,
        style = MaterialTheme.typography.titleSmall,
        color = MaterialTheme.colorScheme.primary,
        modifier = Modifier.padding(top = 16.dp, bottom = 4.dp).semantics { heading() },
    )
}

@Composable
fun BackButton(onBack: () -> Unit) {
    TextButton(onClick = onBack, modifier = Modifier.semantics { contentDescription = S.BACK }) { Text(S.BACK) }
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
