//! A plan as a Word document (DOCX), written with [`docx_rs`] (a maintained writer of the Open
//! XML word-processing format) for ministries that circulate Word files. The banner of the
//! highest marking of what it holds is in every page's header and footer (with the page
//! number) and in the file's custom properties; then the plan's title, and its items in tree
//! order: the top levels as headings, the rest as paragraphs, each with its code, title,
//! description and its facts (status, due, lead).

use crate::plan_items::Line;
use docx_rs::{AlignmentType, Docx, Footer, Header, PageNum, Paragraph, Run, Style, StyleType};
use liaison_domain::text::UiLang;
use std::collections::HashMap;

/// The words the document needs, in its reader's language.
#[derive(Clone, Debug)]
pub struct Labels {
    pub status: String,
    pub due: String,
    pub lead: String,
    pub page: String,
    /// A status's words, by its code (`in_progress`); a code without words is shown as it is.
    pub statuses: HashMap<String, String>,
}

fn marked(banner: &str) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(banner).bold().size(20))
}

/// The plan's items as a DOCX document.
pub fn plan(title: &str, subtitle: &str, banner: &str, lines: &[Line], lang: UiLang, labels: &Labels) -> Result<Vec<u8>, String> {
    let header = Header::new().add_paragraph(marked(banner));
    let footer = Footer::new().add_paragraph(marked(banner)).add_paragraph(
        Paragraph::new().align(AlignmentType::Right).add_run(Run::new().add_text(format!("{} ", labels.page)).size(18)).add_page_num(PageNum::new()),
    );
    let mut doc = Docx::new()
        .header(header)
        .footer(footer)
        .custom_property("Marking", banner)
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").bold().size(40))
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").bold().size(32))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("Heading 2").bold().size(26))
        .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(title)))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(subtitle).italic()));
    // Depth from the parent codes (tree order puts parents first).
    let mut depth: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        let d = l.parent_code.as_deref().and_then(|p| depth.get(p)).map_or(0, |d| d + 1);
        depth.insert(l.code.as_str(), d);
        let head = format!("{} {}", l.code, l.title.show(lang));
        let p = match d {
            0 => Paragraph::new().style("Heading1").add_run(Run::new().add_text(head)),
            1 => Paragraph::new().style("Heading2").add_run(Run::new().add_text(head)),
            _ => Paragraph::new().indent(Some(360 * (d as i32 - 1)), None, None, None).add_run(Run::new().add_text(head).bold()),
        };
        doc = doc.add_paragraph(p);
        let indent = Some(360 * (d.saturating_sub(1) as i32));
        for para in l.description.show(lang).split("\n\n").map(str::trim).filter(|s| !s.is_empty()) {
            let mut p = Paragraph::new().indent(indent, None, None, None);
            for (k, line) in para.lines().enumerate() {
                let r = Run::new().add_text(line);
                p = p.add_run(if k > 0 { Run::new().add_break(docx_rs::BreakType::TextWrapping).add_text(line) } else { r });
            }
            doc = doc.add_paragraph(p);
        }
        let status = labels.statuses.get(l.status.code()).cloned().unwrap_or_else(|| l.status.code().to_string());
        let mut facts = vec![format!("{}: {status}", labels.status)];
        if let Some(d) = l.due {
            facts.push(format!("{}: {d}", labels.due));
        }
        if let Some(o) = &l.lead {
            facts.push(format!("{}: {o}", labels.lead));
        }
        facts.push(l.marking.clone());
        doc = doc.add_paragraph(Paragraph::new().indent(indent, None, None, None).add_run(Run::new().add_text(facts.join(" · ")).italic().size(18)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
