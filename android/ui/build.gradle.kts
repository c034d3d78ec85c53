// The Compose screens, shared: they use only Compose APIs (androidx.compose.*) and :core's
// state holders, never android.*, so the desktop JVM compiles and tests the very same sources
// against Compose Multiplatform (scripts/test-compose). Here they build for Android.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "cn.lvzhi.ui"
    compileSdk = 35
    defaultConfig { minSdk = 24 }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    // The UI tests run on the desktop JVM (scripts/test-compose), not as Android unit tests.
    sourceSets["test"].kotlin.srcDirs(emptyList<String>())
}

kotlin { jvmToolchain(17) }

dependencies {
    api(project(":core"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.foundation:foundation")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.material:material-icons-extended")
    // The QR decoder camera frames go through (the desktop tests use the same, android/desktop/pom.xml).
    implementation("com.google.zxing:core:3.5.3")
}
