//! The host platform's SHA-256 for the digests ([`crate::digest::set_platform_sha256`]),
//! installed by the package's entry point (Node: `node:crypto`) after each instantiation.

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{ sha256(bytes: Uint8Array): Uint8Array }`: a one-shot SHA-256 of the host.
    pub type PlatformHash;
    /// `bytes` is a view of wasm memory, valid for the call.
    #[wasm_bindgen(method, catch)]
    fn sha256(this: &PlatformHash, bytes: &[u8]) -> Result<JsValue, JsValue>;
}

thread_local! {
    static HOST: RefCell<Option<PlatformHash>> = const { RefCell::new(None) };
}

/// Installs `host` as the SHA-256 for large inputs (`undefined` removes it). Returns whether it
/// was installed: it must reproduce the FIPS 180-2 examples. Not part of the public API.
#[wasm_bindgen(js_name = __wgPlatformSha256)]
pub fn install_platform_sha256(host: Option<PlatformHash>) -> bool {
    let present = host.is_some();
    HOST.with(|h| *h.borrow_mut() = host);
    let installed = crate::digest::set_platform_sha256(present.then_some(call_host));
    if !installed {
        HOST.with(|h| *h.borrow_mut() = None);
    }
    installed
}

/// The host's hash of `bytes`; `None` when it throws or answers anything but 32 bytes.
fn call_host(bytes: &[u8]) -> Option<[u8; 32]> {
    HOST.with(|h| {
        let out = h.borrow().as_ref()?.sha256(bytes).ok()?;
        let out = out.dyn_into::<js_sys::Uint8Array>().ok()?;
        let mut hash = [0u8; 32];
        if out.length() != 32 {
            return None;
        }
        out.copy_to(&mut hash);
        Some(hash)
    })
}
