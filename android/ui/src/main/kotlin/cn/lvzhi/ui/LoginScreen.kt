package cn.lvzhi.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import cn.lvzhi.state.LoginState
import cn.lvzhi.state.LoginUi
import kotlinx.coroutines.launch

/** 登录. [deviceName] names this device in the user's session list (the phone's model). */
@Composable
fun LoginScreen(login: LoginState, deviceName: String) {
    val ui by login.ui.collectAsState()
    val scope = rememberCoroutineScope()
    var account by rememberSaveable { mutableStateOf("") }
    var password by rememberSaveable { mutableStateOf("") }
    Column(Modifier.padding(24.dp).fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(S.APP_NAME, style = MaterialTheme.typography.headlineLarge)
        Text("云南政协委员履职", style = MaterialTheme.typography.bodyMedium)
        OutlinedTextField(
            account,
            { account = it },
            label = { Text(S.ACCOUNT) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.ACCOUNT },
        )
        OutlinedTextField(
            password,
            { password = it },
            label = { Text(S.PASSWORD) },
            singleLine = true,
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
            modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.PASSWORD },
        )
        ErrorText((ui as? LoginUi.Failed)?.message)
        Button(
            onClick = { scope.launch { login.login(account, password, deviceName) } },
            enabled = ui !is LoginUi.InProgress,
            modifier = Modifier.fillMaxWidth().semantics { contentDescription = "登录履职" },
        ) { Text(S.LOGIN) }
    }
}
