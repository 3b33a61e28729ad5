//! Markdown to HTML that is safe to put on a page: rendered by pulldown-cmark, then cleaned by
//! ammonia (no scripts, no event handlers, no `javascript:` links, no styles; links to other
//! sites get `rel="noopener noreferrer"`).

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer")).url_schemes(["http", "https", "mailto"].into_iter().collect()).clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_dangerous_html_does_not() {
        let out = to_safe_html("**Bold** and [a link](https://www.nato.int) and <script>alert(1)</script>");
        assert!(out.contains("<strong>Bold</strong>"));
        assert!(out.contains("rel=\"noopener noreferrer\""));
        assert!(!out.contains("<script"));
        let out = to_safe_html("[x](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"x\" style=\"color:red\">y</a>");
        assert!(!out.contains("javascript:") && !out.contains("onerror") && !out.contains("style="), "{out}");
        assert!(to_safe_html("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
        assert_eq!(to_safe_html(""), "");
    }
}
