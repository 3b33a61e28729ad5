//! The photo codec: uploads decoded, turned upright, scaled to a web size and a thumbnail,
//! and encoded again as JPEG. Only the re-encoded pictures come out, so no metadata of the
//! upload (EXIF, GPS position, camera, comments) ever reaches the public.

use image::{DynamicImage, ImageDecoder, ImageReader, imageops::FilterType};
use liaison_domain::ports::{PhotoCodec, PhotoRefusal, ProcessedPhoto};
use liaison_domain::story::{THUMB_EDGE, WEB_EDGE, fit, pixels_allowed};
use std::io::Cursor;

/// Photos decoded with the `image` crate (JPEG through `jpeg-decoder` at a reduced scale where
/// it can), turned upright, scaled and encoded again as JPEG (quality 85).
#[derive(Clone, Copy, Debug, Default)]
pub struct ImageCodec;

impl PhotoCodec for ImageCodec {
    fn process(&self, bytes: &[u8]) -> Result<ProcessedPhoto, PhotoRefusal> {
        convert(bytes)
    }
}

fn convert(bytes: &[u8]) -> Result<ProcessedPhoto, PhotoRefusal> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoRefusal::Unreadable)?;
    let complete = match reader.format() {
        // The end-of-image marker near the end: never inside the compressed data, where 0xFF is
        // always followed by 0x00.
        Some(image::ImageFormat::Jpeg) => bytes[bytes.len().saturating_sub(1024)..].windows(2).any(|w| w == [0xFF, 0xD9]),
        Some(image::ImageFormat::Png) => bytes[bytes.len().saturating_sub(16)..].windows(4).any(|w| w == b"IEND"),
        Some(image::ImageFormat::WebP) => bytes.len() >= 12 && u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize + 8 <= bytes.len(),
        _ => return Err(PhotoRefusal::Format),
    };
    if !complete {
        return Err(PhotoRefusal::CutShort);
    }
    // The size from the header alone, before anything is decoded.
    let (w, h) = match ImageReader::new(Cursor::new(bytes)).with_guessed_format().map(|r| r.into_dimensions()) {
        Ok(Ok(d)) => d,
        Ok(Err(image::ImageError::Limits(_))) => return Err(PhotoRefusal::TooManyPixels),
        _ => return Err(PhotoRefusal::Damaged),
    };
    if !pixels_allowed(w, h) {
        return Err(PhotoRefusal::TooManyPixels);
    }
    let is_jpeg = reader.format() == Some(image::ImageFormat::Jpeg);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoRefusal::Damaged)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let scale = |from: DynamicImage, edge: u32| {
        let (tw, th) = fit(from.width(), from.height(), edge);
        if (tw, th) == (from.width(), from.height()) { from } else { from.resize_exact(tw, th, FilterType::Triangle) }
    };
    // One picture in memory at a time: a JPEG is decoded straight at the smallest 1/2, 1/4 or
    // 1/8 scale that still covers the web size (a 40-megapixel photo then takes about 8 MB
    // instead of 120 MB); anything else is decoded whole, converted to RGB in place and scaled.
    let scaled_jpeg = if is_jpeg { jpeg_at_scale(bytes, fit(w, h, WEB_EDGE)) } else { None };
    let full = match scaled_jpeg {
        Some(img) => img,
        None => {
            let img = DynamicImage::from_decoder(decoder).map_err(|_| PhotoRefusal::Damaged)?;
            DynamicImage::ImageRgb8(img.into_rgb8())
        }
    };
    let mut web_img = scale(full, WEB_EDGE);
    web_img.apply_orientation(orientation);
    let thumb_img = scale(web_img.clone(), THUMB_EDGE);
    let encode = |img: &DynamicImage| -> Result<Vec<u8>, PhotoRefusal> {
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        img.write_with_encoder(enc).map_err(|_| PhotoRefusal::NotConverted)?;
        Ok(out)
    };
    let (web, thumb) = (encode(&web_img)?, encode(&thumb_img)?);
    let (width, height) = (web_img.width(), web_img.height());
    Ok(ProcessedPhoto { web, width, height, thumb })
}

/// A JPEG decoded at the smallest DCT scale (1/1, 1/2, 1/4 or 1/8) that is at least `want`, as
/// RGB; `None` when this decoder cannot (CMYK, 16-bit, damaged), and the caller decodes it whole.
fn jpeg_at_scale(bytes: &[u8], want: (u32, u32)) -> Option<DynamicImage> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().ok()?;
    d.scale(u16::try_from(want.0).ok()?, u16::try_from(want.1).ok()?).ok()?;
    let pixels = d.decode().ok()?;
    let info = d.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        jpeg_decoder::PixelFormat::L8 => image::GrayImage::from_raw(w, h, pixels).map(|g| DynamicImage::ImageRgb8(DynamicImage::ImageLuma8(g).into_rgb8())),
        _ => None,
    }
}

/// A generated picture (for the demo and tests): bands of colour with a few shapes, as JPEG.
pub fn illustration(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let palette = [[11u8, 79, 138], [246, 224, 94], [26, 127, 55], [207, 34, 46], [102, 57, 186], [240, 240, 240]];
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let band = ((x * 3 / width.max(1)) + (seed as usize as u32)) as usize % palette.len();
        let [r, g, b] = palette[band];
        let cx = (width / 2) as i64 + i64::from(seed % 50) - 25;
        let cy = (height / 2) as i64;
        let (dx, dy) = (i64::from(x) - cx, i64::from(y) - cy);
        let r2 = i64::from(height / 3).pow(2);
        if dx * dx + dy * dy < r2 {
            let [r, g, b] = palette[(band + 1 + seed as usize) % palette.len()];
            image::Rgb([r, g, b])
        } else {
            let shade = (y * 60 / height.max(1)) as u8;
            image::Rgb([r.saturating_sub(shade), g.saturating_sub(shade), b.saturating_sub(shade)])
        }
    });
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    let _ = DynamicImage::ImageRgb8(img).write_with_encoder(enc);
    out
}

/// A JPEG with an EXIF segment holding a GPS position, as a phone writes it, and the marker
/// `GPS-CANARY` (for tests that check the position never comes out again).
#[cfg(any(test, feature = "testing"))]
pub fn with_gps(jpeg: &[u8]) -> Vec<u8> {
    // TIFF header (little endian), IFD0 with one entry: GPS IFD pointer (0x8825) → GPS IFD
    // with GPSLatitudeRef = "N" (0x0001, ASCII).
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x25, 0x88, 4, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([1, 0, 2, 0]);
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    app1.extend(b"GPS-CANARY-44.8125N-20.4612E");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_domain::ValidationErrors;
    use liaison_domain::story::{MAX_PHOTO_BYTES, check_photo_upload};

    /// An upload as the use case checks and converts it, with its field errors.
    fn process(bytes: &[u8]) -> Result<ProcessedPhoto, ValidationErrors> {
        check_photo_upload(bytes.len())?;
        Ok(ImageCodec.process(bytes)?)
    }

    /// A JPEG whose EXIF says "turn 90° clockwise to show" (orientation 6), as cameras held upright write.
    fn turned(jpeg: &[u8]) -> Vec<u8> {
        let mut tiff: Vec<u8> = b"II*\0".to_vec();
        tiff.extend(8u32.to_le_bytes());
        tiff.extend(1u16.to_le_bytes());
        tiff.extend([0x12, 0x01, 3, 0]);
        tiff.extend(1u32.to_le_bytes());
        tiff.extend([6, 0, 0, 0]);
        tiff.extend(0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn large_and_grey_jpegs_come_out_in_web_size() {
        // 4000 × 3000 is read at half scale (2000 × 1500), then scaled to 1600 × 1200.
        let p = process(&illustration(4000, 3000, 5)).expect("a large photo");
        assert_eq!((p.width, p.height), (1600, 1200));
        assert!(jpeg_at_scale(&illustration(4000, 3000, 5), (1600, 1200)).is_some_and(|i| (i.width(), i.height()) == (2000, 1500)));
        let grey = image::GrayImage::from_fn(900, 600, |x, y| image::Luma([((x + y) % 256) as u8]));
        let mut jpeg = Vec::new();
        DynamicImage::ImageLuma8(grey).write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)).unwrap();
        let p = process(&jpeg).expect("a grey photo");
        assert_eq!((p.width, p.height), (900, 600));
        assert_eq!(image::load_from_memory(&p.web).unwrap().color(), image::ColorType::Rgb8, "always RGB for the web");
    }

    #[test]
    fn photos_are_turned_upright() {
        let p = process(&turned(&illustration(2400, 1600, 3))).expect("a good photo");
        assert_eq!((p.width, p.height), (1067, 1600), "shown upright, as the camera meant");
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (267, 400));
        let plain = process(&illustration(2400, 1600, 3)).unwrap();
        assert_eq!((plain.width, plain.height), (1600, 1067));
    }

    #[test]
    fn metadata_never_survives_and_sizes_are_made() {
        let src = with_gps(&illustration(2400, 1600, 3));
        assert!(src.windows(4).any(|w| w == b"Exif"), "the test photo carries EXIF");
        let p = process(&src).expect("a good photo");
        for out in [&p.web, &p.thumb] {
            assert!(!out.windows(4).any(|w| w == b"Exif"), "no EXIF segment");
            assert!(!out.windows(10).any(|w| w == b"GPS-CANARY"), "no trace of the position");
            assert!(out.starts_with(&[0xFF, 0xD8]));
        }
        assert_eq!((p.width, p.height), (1600, 1067));
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!(thumb.width().max(thumb.height()), 400);
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }

    #[test]
    fn bad_uploads_get_a_clear_error() {
        let good = illustration(64, 48, 1);
        let code = |b: &[u8]| process(b).err().map(|e| e.0[0].code.clone()).unwrap_or_default();
        assert_eq!(code(&good[..good.len() / 2]), "unreadable", "a truncated JPEG");
        assert_eq!(code(b"GIF89a......"), "type");
        assert_eq!(code(b""), "empty");
        assert_eq!(code(b"%PDF-1.4"), "type");
        assert_eq!(code(&vec![0u8; MAX_PHOTO_BYTES + 1]), "too_large");
        // A PNG that claims 100 000 × 100 000 pixels.
        let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        huge.extend(100_000u32.to_be_bytes());
        huge.extend(100_000u32.to_be_bytes());
        huge.extend([8, 2, 0, 0, 0]);
        let crc = crc32(&huge[12..]);
        huge.extend(crc.to_be_bytes());
        huge.extend(b"\0\0\0\0IDAT");
        huge.extend(crc32(b"IDAT").to_be_bytes());
        huge.extend(b"\0\0\0\0IEND\xaeB`\x82");
        assert_eq!(code(&huge), "too_many_pixels");
        assert!(process(&good).is_ok());
    }
}
