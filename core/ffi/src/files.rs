//! 附件 across the FFI: the attachment record entities carry.

use lvzhi_domain::files::Attachment;

#[uniffi::remote(Record)]
pub struct Attachment {
    pub hash: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    #[uniffi(default = None)]
    pub thumbnail: Option<String>,
    #[uniffi(default = None)]
    pub width: Option<u32>,
    #[uniffi(default = None)]
    pub height: Option<u32>,
}
