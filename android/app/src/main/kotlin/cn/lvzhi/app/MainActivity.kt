package cn.lvzhi.app

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.state.LoginState
import cn.lvzhi.state.LoginUi
import cn.lvzhi.state.SyncBannerState
import java.io.File

/** The one activity: login, then 提案 and 学习交流群 tabs under the sync banner. */
class MainActivity : ComponentActivity() {
    private lateinit var app: LvzhiApp

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        app = LvzhiApp.open(File(filesDir, "lvzhi.db").path, BuildConfig.SERVER_URL)
        setContent { MaterialTheme { Root(app) } }
    }

    override fun onStart() {
        super.onStart()
        app.startSync(25u) // long-poll while in the foreground
    }

    override fun onStop() {
        app.stopSync()
        super.onStop()
    }
}

private enum class Tab { Proposals, Groups }

@Composable
private fun Root(app: LvzhiApp) {
    val login = remember { LoginState(app) }
    val ui by login.ui.collectAsState()
    if (ui !is LoginUi.LoggedIn) {
        LoginScreen(login)
        return
    }
    val banner = remember { SyncBannerState(app) }
    var tab by rememberSaveable { mutableStateOf(Tab.Proposals) }
    Scaffold(
        topBar = { SyncBannerBar(banner) },
        bottomBar = {
            NavigationBar {
                NavigationBarItem(
                    selected = tab == Tab.Proposals,
                    onClick = { tab = Tab.Proposals },
                    icon = {},
                    label = { Text(stringResource(R.string.proposals)) },
                )
                NavigationBarItem(
                    selected = tab == Tab.Groups,
                    onClick = { tab = Tab.Groups },
                    icon = {},
                    label = { Text(stringResource(R.string.groups)) },
                )
            }
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            when (tab) {
                Tab.Proposals -> ProposalsTab(app)
                Tab.Groups -> GroupsTab(app)
            }
        }
    }
}
