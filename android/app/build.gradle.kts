plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

// Server push through the phone makers' channels (PUSH.md). Each vendor's SDK comes from its
// own repository or download page, so it is opt-in: list the vendors whose SDK and console
// configuration you have, `-Plvzhi.push=hms,honor,xiaomi,oppo,vivo` or `lvzhi.push=…` in
// gradle.properties. Their sources (src/push/<vendor>) are compiled; the app finds each by name
// at run time, and a phone whose vendor is not built in simply gets no push.
val pushVendors = (findProperty("lvzhi.push") as String?).orEmpty().split(',').map { it.trim() }.filter { it.isNotEmpty() }

android {
    namespace = "cn.lvzhi.app"
    compileSdk = 35
    defaultConfig {
        applicationId = "cn.lvzhi.app"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The sync server; override per build type or flavour.
        buildConfigField("String", "SERVER_URL", "\"https://lvzhi.example.cn\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    sourceSets["main"].java.srcDirs(pushVendors.map { "src/push/$it/kotlin" })
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":core"))
    implementation(project(":ui"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.compose.ui:ui") // AndroidView, for the camera's preview
    implementation("androidx.compose.material3:material3")
    // The push SDKs (versions PUSH.md was written against; take the vendor's current one).
    if ("hms" in pushVendors) implementation("com.huawei.hms:push:6.12.0.300")
    if ("honor" in pushVendors) implementation("com.hihonor.mcs:push:7.0.61.303")
    // Xiaomi, OPPO and vivo hand out their SDK as a file from their developer sites.
    for (v in listOf("xiaomi", "oppo", "vivo")) {
        if (v in pushVendors) implementation(fileTree("libs/push/$v") { include("*.aar", "*.jar") })
    }
}
