//! Photos for stories: an upload is checked (`story::check_photo_upload`), then the photo codec
//! (the [`PhotoCodec`](liaison_domain::ports::PhotoCodec) port) decodes it, turns it upright,
//! scales it to a web size and a thumbnail and encodes both again as JPEG. Only the re-encoded
//! pictures are kept, so no metadata of the upload (EXIF, GPS position, camera, comments) ever
//! reaches the public.

use crate::{App, AppError, Result};
use liaison_domain::ValidationErrors;
use liaison_domain::ports::ProcessedPhoto;
use liaison_domain::story::check_photo_upload;

/// Photos converted at once on this server. A PNG or WebP is decoded whole (a 40-megapixel one
/// takes 120 MB or more while it is converted), so uploads take turns rather than multiply that.
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Check an upload and convert it with the app's photo codec, off the async threads and one at
/// a time. A refusal is a field error on `file`.
pub async fn process_limited(app: &App, bytes: Vec<u8>) -> Result<ProcessedPhoto> {
    check_photo_upload(bytes.len())?;
    let _slot = SLOTS.acquire().await.map_err(|e| AppError::Internal(format!("photo slots: {e}")))?;
    let codec = app.photos.clone();
    let done = tokio::task::spawn_blocking(move || codec.process(&bytes)).await.map_err(|e| AppError::Internal(format!("photo task: {e}")))?;
    done.map_err(|r| ValidationErrors::from(r).into())
}
