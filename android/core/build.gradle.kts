import org.gradle.api.tasks.Exec

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val repoRoot = rootDir.parentFile
val generated = layout.buildDirectory.dir("generated/uniffi")

android {
    namespace = "cn.lvzhi.core"
    compileSdk = 35
    defaultConfig { minSdk = 24 }
    sourceSets["main"].java.srcDir(generated)
    sourceSets["main"].jniLibs.srcDir(layout.buildDirectory.dir("jniLibs"))
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    testOptions.unitTests.all {
        // Host tests load the host-built library and drive a real server, as scripts/test-kotlin does.
        it.useJUnitPlatform()
        it.systemProperty("jna.library.path", "$repoRoot/target/debug")
        it.environment("LVZHI_SERVER_BIN", "$repoRoot/target/debug/lvzhi-server")
    }
}

kotlin { jvmToolchain(17) }

// Bindings come from the built library with the workspace's own uniffi-bindgen.
val generateBindings by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("scripts/bindings")
    doLast {
        copy {
            from("$repoRoot/target/bindings/kotlin")
            into(generated)
        }
    }
}

// The Rust core for each Android ABI (needs `cargo install cargo-ndk` and the NDK).
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk", "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "-o", layout.buildDirectory.dir("jniLibs").get().asFile.path,
        "build", "--release", "-p", "lvzhi-ffi", "--features", "vendored-openssl",
    )
}

tasks.named("preBuild") { dependsOn(generateBindings, cargoNdk) }

dependencies {
    api("net.java.dev.jna:jna:5.15.0@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    testImplementation("net.java.dev.jna:jna:5.15.0")
    testImplementation(kotlin("test-junit5"))
    testImplementation("org.junit.jupiter:junit-jupiter:5.11.3")
}
