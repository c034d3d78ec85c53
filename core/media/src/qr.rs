//! QR codes drawn by the apps (the check-in code staff show on a phone) and by the console: the
//! modules are computed here once; each shell only paints squares.

/// A QR code's modules, row by row from the top left, without the quiet zone (painters leave
/// four modules of light margin around it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub size: u32,
    /// `size × size` values, `true` for dark.
    pub dark: Vec<bool>,
}

/// The QR code of `text` at error-correction level M (a printed poster survives a crease), or
/// `None` when the text is longer than a QR code holds.
pub fn qr_matrix(text: &str) -> Option<QrMatrix> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let size = u32::try_from(code.width()).ok()?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some(QrMatrix { size, dark })
}

/// The same code as an SVG drawing `pixels` wide, with its quiet zone, for web pages.
pub fn qr_svg(text: &str, pixels: u32) -> Option<String> {
    let m = qr_matrix(text)?;
    let side = m.size + 8;
    let mut path = String::new();
    for (i, dark) in m.dark.iter().enumerate() {
        if *dark {
            let (x, y) = (i as u32 % m.size + 4, i as u32 / m.size + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{pixels}" height="{pixels}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_code_fits_and_an_overlong_text_does_not() {
        let code = format!("LZQD1.{}.{}", "a".repeat(120), "b".repeat(86));
        let m = qr_matrix(&code).unwrap();
        assert_eq!(m.dark.len(), (m.size * m.size) as usize);
        // Finder pattern: the top-left corner module is dark, the one inside its ring light.
        assert!(m.dark[0]);
        assert!(!m.dark[(m.size + 1) as usize]);
        assert!(qr_matrix(&"码".repeat(3000)).is_none());
        assert!(qr_svg(&code, 320).unwrap().starts_with("<svg"));
    }
}
