//! Images on a weak network: a photo is shrunk before upload (a configurable long edge and
//! JPEG quality, turned upright from its EXIF orientation), a small thumbnail is made once by
//! the phone that sends it and travels inside the message, and the server checks that what
//! claims to be an image decodes. QR codes ([`qr`]) are drawn from one matrix by every shell.

use std::io::Cursor;

use base64::Engine;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use lvzhi_domain::files::{FileError, MAX_THUMBNAIL_CHARS};

/// How a photo is shrunk before upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShrinkSettings {
    /// The longest side after shrinking, in pixels (a photo already smaller keeps its size).
    pub long_edge: u32,
    /// JPEG quality, 1–100.
    pub quality: u8,
}

impl Default for ShrinkSettings {
    fn default() -> Self {
        // Sharp on a phone screen and for printing in a report, a fifth of a camera's bytes.
        ShrinkSettings { long_edge: 1600, quality: 80 }
    }
}

/// Thumbnails: small enough to travel inside a message over 2G.
const THUMBNAIL_EDGE: u32 = 160;
const THUMBNAIL_QUALITY: u8 = 60;
/// Pixels we agree to decode (a 60-megapixel photo), against decompression bombs.
const MAX_PIXELS: u64 = 60_000_000;

/// A photo ready to attach.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// Base64 JPEG.
    pub thumbnail: String,
}

fn format_of(content_type: &str) -> Result<ImageFormat, FileError> {
    match content_type {
        "image/jpeg" => Ok(ImageFormat::Jpeg),
        "image/png" => Ok(ImageFormat::Png),
        other => Err(FileError::UnknownType(other.chars().take(60).collect())),
    }
}

/// Decodes an image of `content_type`, upright; anything that does not decode is `BadImage`.
pub mod qr;

pub fn decode(content_type: &str, bytes: &[u8]) -> Result<DynamicImage, FileError> {
    let format = format_of(content_type)?;
    lvzhi_domain::files::check_signature(content_type, bytes)?;
    if format == ImageFormat::Jpeg && !ends_whole(bytes) {
        // The JPEG decoder fills a cut-off photo with grey rather than failing: look for the
        // end-of-image marker ourselves.
        return Err(FileError::BadImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| FileError::BadImage)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w == 0 || h == 0 {
        return Err(FileError::BadImage);
    }
    let orientation = decoder.orientation().map_err(|_| FileError::BadImage)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| FileError::BadImage)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether a JPEG ends with its end-of-image marker after its scan (inside the compressed data
/// 0xFF is always escaped, so FF D9 there is the real end; an EXIF thumbnail's own end comes
/// before the main scan).
fn ends_whole(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else { return false };
    let tail_from = bytes.len().saturating_sub(4096).max(scan);
    bytes[tail_from..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Whether `bytes` are a whole image of `content_type` (the server's check at upload end).
pub fn check_decodes(content_type: &str, bytes: &[u8]) -> Result<(u32, u32), FileError> {
    let image = decode(content_type, bytes)?;
    Ok((image.width(), image.height()))
}

fn jpeg(image: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let rgb = image.to_rgb8();
    // Writing into a Vec does not fail; an encoder error would be a bug in the encoder.
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100)).encode_image(&rgb);
    out
}

/// The thumbnail of a decoded image, base64 JPEG.
pub fn thumbnail(image: &DynamicImage) -> String {
    let mut quality = THUMBNAIL_QUALITY;
    loop {
        let small = image.thumbnail(THUMBNAIL_EDGE, THUMBNAIL_EDGE);
        let b64 = base64::engine::general_purpose::STANDARD.encode(jpeg(&small, quality));
        if b64.len() <= MAX_THUMBNAIL_CHARS || quality <= 20 {
            return b64;
        }
        quality -= 15;
    }
}

/// A photo as it is attached: shrunk (unless `keep_original`), with its thumbnail. A photo
/// that is smaller shrunk than as taken goes as JPEG; otherwise the original bytes go.
pub fn prepare(
    content_type: &str,
    bytes: &[u8],
    settings: ShrinkSettings,
    keep_original: bool,
) -> Result<Prepared, FileError> {
    let image = decode(content_type, bytes)?;
    let thumbnail = thumbnail(&image);
    let original = |image: &DynamicImage| Prepared {
        bytes: bytes.to_vec(),
        content_type: if content_type == "image/png" { "image/png" } else { "image/jpeg" },
        width: image.width(),
        height: image.height(),
        thumbnail: thumbnail.clone(),
    };
    if keep_original {
        return Ok(original(&image));
    }
    let edge = settings.long_edge.max(64);
    let resized = if image.width().max(image.height()) > edge {
        image.resize(edge, edge, image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    };
    let shrunk = jpeg(&resized, settings.quality);
    if shrunk.len() >= bytes.len() {
        return Ok(original(&image));
    }
    Ok(Prepared {
        bytes: shrunk,
        content_type: "image/jpeg",
        width: resized.width(),
        height: resized.height(),
        thumbnail,
    })
}

/// A photo-like test image (gradients and grain, so JPEG does not find it trivially small),
/// for tests and benchmarks: JPEG of `width`×`height` at `quality`.
pub fn sample_photo(width: u32, height: u32, quality: u8, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 48) as i32 - 24;
        let px = |base: i32| (base + grain).clamp(0, 255) as u8;
        image::Rgb([
            px((x * 255 / width.max(1)) as i32),
            px((y * 255 / height.max(1)) as i32),
            px((((x + y) / 7) % 255) as i32),
        ])
    });
    jpeg(&DynamicImage::ImageRgb8(image), quality)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_shrunk_to_its_long_edge_with_a_small_thumbnail() {
        let photo = sample_photo(2400, 1800, 92, 7);
        let p = prepare("image/jpeg", &photo, ShrinkSettings::default(), false).unwrap();
        assert_eq!((p.width, p.height), (1600, 1200));
        assert!(p.bytes.len() < photo.len() / 2, "{} of {}", p.bytes.len(), photo.len());
        assert!(p.thumbnail.len() <= MAX_THUMBNAIL_CHARS);
        assert_eq!(lvzhi_domain::files::check_thumbnail(&p.thumbnail), Ok(()));
        assert_eq!(check_decodes("image/jpeg", &p.bytes), Ok((1600, 1200)));

        let kept = prepare("image/jpeg", &photo, ShrinkSettings::default(), true).unwrap();
        assert_eq!(kept.bytes, photo);
        assert_eq!((kept.width, kept.height), (2400, 1800));
    }

    #[test]
    fn what_does_not_decode_is_refused() {
        let photo = sample_photo(64, 48, 80, 1);
        assert_eq!(check_decodes("image/jpeg", &photo[..photo.len() / 3]), Err(FileError::BadImage));
        assert_eq!(check_decodes("image/png", &photo).unwrap_err(), FileError::TypeMismatch);
        assert!(matches!(
            prepare("image/gif", b"GIF89a", ShrinkSettings::default(), false),
            Err(FileError::UnknownType(_))
        ));
    }
}
