//! `cargo run -p uniffi-bindgen -- generate --library target/debug/liblvzhi_core.so --language kotlin ...`
//! Living in the workspace keeps the generator and the library on the same uniffi version.
fn main() {
    uniffi::uniffi_bindgen_main()
}
