package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.Me
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

sealed interface LoginUi {
    data object LoggedOut : LoginUi
    data object InProgress : LoginUi
    data class LoggedIn(val me: Me) : LoginUi
    data class Failed(val message: String) : LoginUi
}

/** 登录: the form's state; the core keeps the session in its database. */
class LoginState(private val app: LvzhiApp) {
    private val _ui = MutableStateFlow<LoginUi>(app.me()?.let { LoginUi.LoggedIn(it) } ?: LoginUi.LoggedOut)
    val ui: StateFlow<LoginUi> = _ui.asStateFlow()

    suspend fun login(account: String, password: String, deviceName: String) {
        if (account.isBlank() || password.isBlank()) {
            _ui.value = LoginUi.Failed("请输入账号和密码")
            return
        }
        _ui.value = LoginUi.InProgress
        _ui.value = try {
            LoginUi.LoggedIn(app.login(account.trim(), password, deviceName))
        } catch (e: Exception) {
            LoginUi.Failed(e.userMessage())
        }
    }

    /** Work the server has not accepted yet; logging out would lose it, so the screen asks. */
    fun unsent(): Int = app.unsentCount().toInt()

    /** Logs out and empties this phone; with unsent work only when [discardUnsent]. */
    suspend fun logout(discardUnsent: Boolean = false): Boolean = try {
        app.logout(discardUnsent)
        _ui.value = LoginUi.LoggedOut
        true
    } catch (e: Exception) {
        _ui.value = LoginUi.Failed(e.userMessage())
        false
    }
}
