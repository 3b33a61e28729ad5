//! Stories for the public: what the partnership did, told for citizens, with photos, about
//! items and activities. Workflow `draft → release_review → published → withdrawn`; a story is
//! released by someone other than its author, and only a story marked `public` can be.

use crate::marking::{Marking, Scheme};
use crate::ports::PhotoRefusal;
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{ActivityId, ItemId, PhotoId, PlanId, StoryId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StoryState {
    Draft,
    ReleaseReview,
    Published,
    Withdrawn,
}

impl StoryState {}

codes! { StoryState {
    Draft => "draft",
    ReleaseReview => "release_review",
    Published => "published",
    Withdrawn => "withdrawn",
} }

/// The languages a story is written in: English, or Serbian (in Cyrillic; shown in Latin
/// script to readers who choose it).
pub const LANGUAGES: [&str; 2] = ["en", "sr"];

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: PhotoId,
    pub caption: String,
    pub credit: String,
    /// Of the web size.
    pub width: u32,
    pub height: u32,
    #[serde(skip)]
    pub web_sha256: String,
    #[serde(skip)]
    pub thumb_sha256: String,
}

/// The stored sizes of a photo (the original is never kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoSize {
    /// At most `WEB_EDGE` pixels on its longest edge.
    Web,
    /// At most `THUMB_EDGE` pixels.
    Thumb,
}

impl PhotoSize {
    /// `web` or `thumb`, as in the photo addresses.
    pub fn parse(s: &str) -> Option<PhotoSize> {
        match s {
            "web" => Some(PhotoSize::Web),
            "thumb" => Some(PhotoSize::Thumb),
            _ => None,
        }
    }
}

impl Photo {
    /// The content address of one of its sizes.
    pub fn sha256(&self, size: PhotoSize) -> &str {
        match size {
            PhotoSize::Web => &self.web_sha256,
            PhotoSize::Thumb => &self.thumb_sha256,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Story {
    pub id: StoryId,
    pub plan: PlanId,
    pub language: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub items: Vec<ItemId>,
    pub activities: Vec<ActivityId>,
    pub photos: Vec<Photo>,
    pub state: StoryState,
    /// Why it was sent back or withdrawn, while it is.
    pub reason: Option<String>,
    pub author: UserId,
    pub author_name: String,
    pub reviewer: Option<UserId>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub published_at: Option<Timestamp>,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStory {
    pub language: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub items: Vec<ItemId>,
    #[serde(default)]
    pub activities: Vec<ActivityId>,
    /// Defaults to `public`: stories are written to be published.
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryPatch {
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub items: Option<Vec<ItemId>>,
    #[serde(default)]
    pub activities: Option<Vec<ActivityId>>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StoryStep {
    /// The author: send for release review.
    Submit,
    /// A reviewer (not the author): publish.
    Publish,
    /// A reviewer: send back to draft, with a reason.
    Return,
    /// A reviewer: take a published story down, with a reason.
    Withdraw,
    /// Work on a withdrawn story again.
    Redraft,
}

impl StoryStep {}

codes! { StoryStep {
    Submit => "submit",
    Publish => "publish",
    Return => "return",
    Withdraw => "withdraw",
    Redraft => "redraft",
} }

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryStepInput {
    pub step: StoryStep,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Why a step is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoryStepError {
    NotYours(crate::Refusal),
    NotNow(crate::Refusal),
    Invalid(ValidationErrors),
}

/// The steps `actor` may offer on `s` now: writers (`may_write`) submit and redraft, reviewers
/// (`may_release`) publish (not their own story), send back and withdraw. A step that would
/// only be refused for its input (a missing reason, a marking that is not public) is offered:
/// taking it says what is missing.
pub fn available_steps(s: &Story, actor: UserId, may_write: bool, may_release: bool) -> Vec<StoryStep> {
    StoryStep::ALL
        .into_iter()
        .filter(|st| may_write || !matches!(st, StoryStep::Submit | StoryStep::Redraft))
        .filter(|st| matches!(step(s, &StoryStepInput { step: *st, reason: None }, actor, may_release), Ok(_) | Err(StoryStepError::Invalid(_))))
        .collect()
}

impl StoryStep {
    /// Whether taking this step needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, StoryStep::Return | StoryStep::Withdraw)
    }
}

/// The state after `step`, taken by `actor`, who `may_release` (a reviewer's role) or not.
pub fn step(s: &Story, input: &StoryStepInput, actor: UserId, may_release: bool) -> Result<StoryState, StoryStepError> {
    use StoryState::*;
    use StoryStep::*;
    let reason = input.reason.as_deref().map(str::trim).unwrap_or("");
    let need_reason = |what: &str| {
        if reason.is_empty() {
            Err(StoryStepError::Invalid(ValidationErrors::one("reason", "required", format!("say why the story is {what}"))))
        } else {
            Ok(())
        }
    };
    let reviewer = |_: ()| -> Result<(), StoryStepError> {
        if !may_release {
            return Err(StoryStepError::NotYours(crate::Refusal::new("story-released-by-coordinator")));
        }
        Ok(())
    };
    let wrong = || Err(StoryStepError::NotNow(crate::Refusal::new("story-wrong-state").arg("state", s.state.code())));
    // Who may take a step is answered before whether it may be taken now.
    if matches!(input.step, Publish | Return | Withdraw) {
        reviewer(())?;
    }
    match (input.step, s.state) {
        (Submit, Draft) => Ok(ReleaseReview),
        (Redraft, Withdrawn) => Ok(Draft),
        (Publish, ReleaseReview) => {
            reviewer(())?;
            if actor == s.author {
                return Err(StoryStepError::NotYours(crate::Refusal::new("story-not-own-release")));
            }
            if !s.marking.level.is_public() {
                return Err(StoryStepError::Invalid(ValidationErrors::one("marking", "not_public", "only a story marked public can be published")));
            }
            if s.summary.trim().is_empty() || s.body.trim().is_empty() {
                return Err(StoryStepError::Invalid(ValidationErrors::one("body", "required", "a published story has a summary and a body")));
            }
            Ok(Published)
        }
        (Return, ReleaseReview) => {
            reviewer(())?;
            need_reason("sent back")?;
            Ok(Draft)
        }
        (Withdraw, Published) => {
            reviewer(())?;
            need_reason("withdrawn")?;
            Ok(Withdrawn)
        }
        _ => wrong(),
    }
}

impl Story {
    /// Check the story; `known_item`/`known_activity` say whether its author sees them.
    pub fn validate(
        &self,
        scheme: Scheme,
        author_clears: bool,
        known_item: &dyn Fn(ItemId) -> bool,
        known_activity: &dyn Fn(ActivityId) -> bool,
    ) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if !LANGUAGES.contains(&self.language.as_str()) {
            p.add("language", "invalid", "en or sr");
        }
        let t = self.title.trim();
        if t.is_empty() || rules::char_len(t) > 200 || rules::has_control_chars(t, false) {
            p.add("title", "invalid", "1 to 200 characters on one line");
        }
        if rules::char_len(&self.summary) > 600 || rules::has_control_chars(&self.summary, true) {
            p.add("summary", "invalid", "at most 600 characters");
        }
        if rules::char_len(&self.body) > 50_000 || rules::has_control_chars(&self.body, true) {
            p.add("body", "invalid", "at most 50,000 characters");
        }
        for (i, it) in self.items.iter().enumerate() {
            if !known_item(*it) {
                p.add(format!("items.{i}"), "unknown", "no such item in the plan");
            }
        }
        for (i, a) in self.activities.iter().enumerate() {
            if !known_activity(*a) {
                p.add(format!("activities.{i}"), "unknown", "no such activity in the plan");
            }
        }
        let mut m = self.marking.check(scheme);
        if m.is_empty() && !author_clears {
            m.add("", "hides_from_you", "with this marking you could no longer see the story");
        }
        p.nest("marking", m);
        p.finish()
    }
}

/// Largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 15 * 1024 * 1024;
/// Largest photo accepted, in pixels.
pub const MAX_PHOTO_PIXELS: u64 = 40_000_000;
/// Longest edge of the web size and of the thumbnail.
pub const WEB_EDGE: u32 = 1600;
pub const THUMB_EDGE: u32 = 400;

fn photo_problem(code: &str, message: impl Into<String>) -> ValidationErrors {
    ValidationErrors::one("file", code, message)
}

/// The checks of a photo upload before anything is decoded: not empty, at most
/// [`MAX_PHOTO_BYTES`].
pub fn check_photo_upload(len: usize) -> Result<(), ValidationErrors> {
    if len == 0 {
        return Err(photo_problem("empty", "the file is empty"));
    }
    if len > MAX_PHOTO_BYTES {
        return Err(photo_problem("too_large", format!("photos may be at most {} MiB", MAX_PHOTO_BYTES / (1024 * 1024))));
    }
    Ok(())
}

/// Whether a picture of this size may be decoded: at least one pixel, at most
/// [`MAX_PHOTO_PIXELS`].
pub fn pixels_allowed(width: u32, height: u32) -> bool {
    width > 0 && height > 0 && u64::from(width) * u64::from(height) <= MAX_PHOTO_PIXELS
}

/// The field error of the photo codec's refusal, on the field `file`.
impl From<PhotoRefusal> for ValidationErrors {
    fn from(r: PhotoRefusal) -> Self {
        match r {
            PhotoRefusal::Unreadable => photo_problem("unreadable", "the file could not be read"),
            PhotoRefusal::Format => photo_problem("type", "photos are JPEG, PNG or WebP"),
            PhotoRefusal::CutShort => photo_problem("unreadable", "the image is cut short; upload the whole file again"),
            PhotoRefusal::TooManyPixels => photo_problem("too_many_pixels", format!("photos may have at most {} megapixels", MAX_PHOTO_PIXELS / 1_000_000)),
            PhotoRefusal::Damaged => photo_problem("unreadable", "the image could not be read; it may be damaged or cut short"),
            PhotoRefusal::NotConverted => photo_problem("unreadable", "the image could not be converted"),
        }
    }
}

/// Check a photo's caption and credit.
pub fn check_caption(caption: &str, credit: &str) -> Problems {
    let mut p = Problems::new();
    if caption.trim().is_empty() || rules::char_len(caption) > 300 || rules::has_control_chars(caption, false) {
        p.add("caption", "invalid", "say what the photo shows (1 to 300 characters on one line)");
    }
    if credit.trim().is_empty() || rules::char_len(credit) > 120 || rules::has_control_chars(credit, false) {
        p.add("credit", "invalid", "say who took the photo (1 to 120 characters)");
    }
    p
}

/// The size of a picture scaled so that its longest edge is at most `edge`.
pub fn fit(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= edge || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = f64::from(edge) / f64::from(long);
    (((f64::from(width) * scale).round() as u32).max(1), ((f64::from(height) * scale).round() as u32).max(1))
}

/// A short address-safe name for a story's title (for links that read well).
pub fn slug(title: &str) -> String {
    let latin = crate::translit::cyrillic_to_latin(title);
    let mut out = String::new();
    for c in latin.to_lowercase().chars() {
        let c = match c {
            'č' | 'ć' => 'c',
            'š' => 's',
            'ž' => 'z',
            'đ' => 'd',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    #[test]
    fn the_steps_offered_follow_the_rules() {
        let author = UserId(Uuid::from_u128(1));
        let reviewer = UserId(Uuid::from_u128(2));
        let mut s = story(StoryState::Draft, Level::Public);
        s.author = author;
        assert_eq!(available_steps(&s, author, true, false), [StoryStep::Submit]);
        assert!(available_steps(&s, reviewer, false, true).is_empty(), "a reviewer who may not write does not submit");
        s.state = StoryState::ReleaseReview;
        assert_eq!(available_steps(&s, reviewer, true, true), [StoryStep::Publish, StoryStep::Return]);
        assert_eq!(available_steps(&s, author, true, true), [StoryStep::Return], "never one's own story");
        assert!(available_steps(&s, author, true, false).is_empty());
        s.state = StoryState::Published;
        assert_eq!(available_steps(&s, reviewer, false, true), [StoryStep::Withdraw]);
        s.state = StoryState::Withdrawn;
        assert_eq!(available_steps(&s, author, true, false), [StoryStep::Redraft]);
        assert!(StoryStep::Return.needs_reason() && StoryStep::Withdraw.needs_reason() && !StoryStep::Publish.needs_reason());
    }

    #[test]
    fn step_names_are_the_api_names() {
        for st in StoryStep::ALL {
            assert_eq!(serde_json::to_value(st).unwrap(), st.code());
            assert_eq!(StoryStep::parse(st.code()), Some(st));
        }
        assert_eq!(StoryStep::parse("fly"), None);
    }

    fn story(state: StoryState, level: Level) -> Story {
        Story {
            id: StoryId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            language: "en".into(),
            title: "A conference in Kovačica".into(),
            summary: "Citizens asked about the partnership.".into(),
            body: "Text.".into(),
            items: vec![],
            activities: vec![],
            photos: vec![],
            state,
            reason: None,
            author: UserId(Uuid::from_u128(1)),
            author_name: "A".into(),
            reviewer: None,
            published_at: None,
            marking: Marking::new(level, &[], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn go(s: StoryStep, r: Option<&str>) -> StoryStepInput {
        StoryStepInput { step: s, reason: r.map(String::from) }
    }

    #[test]
    fn the_release_reviewer_is_not_the_author() {
        let author = UserId(Uuid::from_u128(1));
        let other = UserId(Uuid::from_u128(2));
        let s = story(StoryState::ReleaseReview, Level::Public);
        assert!(matches!(step(&s, &go(StoryStep::Publish, None), author, true), Err(StoryStepError::NotYours(_))));
        assert_eq!(step(&s, &go(StoryStep::Publish, None), other, true), Ok(StoryState::Published));
        assert!(matches!(step(&s, &go(StoryStep::Publish, None), other, false), Err(StoryStepError::NotYours(_))), "not a reviewer");
        let restricted = story(StoryState::ReleaseReview, Level::NatoUnclassified);
        assert!(matches!(step(&restricted, &go(StoryStep::Publish, None), other, true), Err(StoryStepError::Invalid(_))), "only public stories go out");
        assert!(matches!(step(&s, &go(StoryStep::Return, None), other, true), Err(StoryStepError::Invalid(_))), "sending back needs a reason");
        assert_eq!(step(&s, &go(StoryStep::Return, Some("Check the dates")), other, true), Ok(StoryState::Draft));
        let p = story(StoryState::Published, Level::Public);
        assert_eq!(step(&p, &go(StoryStep::Withdraw, Some("Wrong photo")), other, true), Ok(StoryState::Withdrawn));
        assert!(matches!(step(&p, &go(StoryStep::Submit, None), author, false), Err(StoryStepError::NotNow(_))));
        assert_eq!(step(&story(StoryState::Draft, Level::Public), &go(StoryStep::Submit, None), author, false), Ok(StoryState::ReleaseReview));
    }

    #[test]
    fn sizes_slugs_and_captions() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(300, 200, 1600), (300, 200));
        assert_eq!(fit(10, 5000, 400), (1, 400));
        assert_eq!(slug("Конференција у Ковачици — 2015!"), "konferencija-u-kovacici-2015");
        assert_eq!(slug("NATO & Serbia: what next?"), "nato-serbia-what-next");
        assert!(check_caption("", "MoD").errors().iter().any(|e| e.field == "caption"));
        assert!(check_caption("Students", "").errors().iter().any(|e| e.field == "credit"));
    }

    #[test]
    fn photo_uploads_have_limits_and_field_errors() {
        let code = |r: Result<(), ValidationErrors>| r.err().map(|e| e.0[0].code.clone()).unwrap_or_default();
        assert_eq!(code(check_photo_upload(0)), "empty");
        assert_eq!(code(check_photo_upload(MAX_PHOTO_BYTES + 1)), "too_large");
        assert!(check_photo_upload(MAX_PHOTO_BYTES).is_ok());
        assert!(pixels_allowed(8000, 5000));
        assert!(!pixels_allowed(8000, 5001));
        assert!(!pixels_allowed(0, 10));
        assert!(!pixels_allowed(100_000, 100_000));
        let e = ValidationErrors::from(PhotoRefusal::TooManyPixels);
        assert_eq!((e.0[0].field.as_str(), e.0[0].code.as_str()), ("file", "too_many_pixels"));
        assert_eq!(ValidationErrors::from(PhotoRefusal::Format).0[0].code, "type");
    }
}
