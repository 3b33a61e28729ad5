//! Serbian Cyrillic → Latin transliteration (deterministic, as the official Latin alphabet
//! maps one-to-one from Cyrillic). Latin → Cyrillic is ambiguous (`nj` may be `нј` or `њ`)
//! and is deliberately not offered.

/// Latin equivalent of one Serbian Cyrillic letter, in lower case; `None` for other characters.
fn lower_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "đ",
        'е' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "ć",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'џ' => "dž",
        'ш' => "š",
        _ => return None,
    })
}

fn upper_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Ђ' => "Đ",
        'Е' => "E",
        'Ж' => "Ž",
        'З' => "Z",
        'И' => "I",
        'Ј' => "J",
        'К' => "K",
        'Л' => "L",
        'Љ' => "Lj",
        'М' => "M",
        'Н' => "N",
        'Њ' => "Nj",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "Ć",
        'У' => "U",
        'Ф' => "F",
        'Х' => "H",
        'Ц' => "C",
        'Ч' => "Č",
        'Џ' => "Dž",
        'Ш' => "Š",
        _ => return None,
    })
}

/// Transliterate Serbian Cyrillic to Latin script. Other characters pass through unchanged.
///
/// The capital digraphs `Љ`, `Њ`, `Џ` become `LJ`, `NJ`, `DŽ` inside words written in
/// capitals (`ЉУБАВ` → `LJUBAV`, `КОЊ` → `KONJ`) and `Lj`, `Nj`, `Dž` otherwise
/// (`Љубав` → `Ljubav`).
pub fn cyrillic_to_latin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if let Some(l) = lower_latin(c) {
            out.push_str(l);
        } else if let Some(u) = upper_latin(c) {
            if matches!(c, 'Љ' | 'Њ' | 'Џ') && in_capitals(&chars, i) {
                out.push_str(&u.to_uppercase());
            } else {
                out.push_str(u);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the capital at `i` belongs to a word written in capitals: the next letter is a
/// capital, or there is no next letter in the word and the previous letter is a capital.
fn in_capitals(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some(n) if n.is_alphabetic() => n.is_uppercase(),
        _ => i > 0 && chars[i - 1].is_alphabetic() && chars[i - 1].is_uppercase(),
    }
}

/// Whether the text has any Serbian Cyrillic letter.
pub fn has_cyrillic(s: &str) -> bool {
    s.chars().any(|c| lower_latin(c).is_some() || upper_latin(c).is_some())
}

/// Fold text for search so that Cyrillic and Latin spellings, with or without diacritics,
/// meet: Latin script, lower case, `đ`→`dj`, `č`/`ć`→`c`, `š`→`s`, `ž`→`z`.
pub fn normalise_for_search(s: &str) -> String {
    let latin = cyrillic_to_latin(s).to_lowercase();
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        match c {
            'đ' => out.push_str("dj"),
            'č' | 'ć' => out.push('c'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whole_alphabet() {
        assert_eq!(cyrillic_to_latin("абвгдђежзијклљмнњопрстћуфхцчџш"), "abvgdđežzijklljmnnjoprstćufhcčdžš");
        assert_eq!(cyrillic_to_latin("АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"), "ABVGDĐEŽZIJKLLJMNNJOPRSTĆUFHCČDŽŠ");
    }

    #[test]
    fn digraph_capitals_follow_the_word() {
        assert_eq!(cyrillic_to_latin("Љубав"), "Ljubav");
        assert_eq!(cyrillic_to_latin("ЉУБАВ"), "LJUBAV");
        assert_eq!(cyrillic_to_latin("Њива"), "Njiva");
        assert_eq!(cyrillic_to_latin("ЊИВА"), "NJIVA");
        assert_eq!(cyrillic_to_latin("КОЊ"), "KONJ");
        assert_eq!(cyrillic_to_latin("Џеп и ЏЕП"), "Džep i DŽEP");
        assert_eq!(cyrillic_to_latin("Љ"), "Lj");
        assert_eq!(cyrillic_to_latin("(Џ)"), "(Dž)");
    }

    #[test]
    fn sentences_and_names() {
        assert_eq!(cyrillic_to_latin("Министарство одбране Републике Србије"), "Ministarstvo odbrane Republike Srbije");
        assert_eq!(cyrillic_to_latin("Ковачица, 2015."), "Kovačica, 2015.");
        assert_eq!(cyrillic_to_latin("Ђорђе Ћурчић"), "Đorđe Ćurčić");
    }

    #[test]
    fn latin_and_other_scripts_pass_through() {
        assert_eq!(cyrillic_to_latin("NATO – IPAP 2015"), "NATO – IPAP 2015");
        assert_eq!(cyrillic_to_latin("ёы"), "ёы");
    }

    #[test]
    fn search_folding_meets_across_scripts() {
        assert_eq!(normalise_for_search("Ковачица"), "kovacica");
        assert_eq!(normalise_for_search("Kovačica"), "kovacica");
        assert_eq!(normalise_for_search("Ђорђе"), normalise_for_search("Djordje"));
        assert!(has_cyrillic("abc д"));
        assert!(!has_cyrillic("abc đ"));
    }

    proptest! {
        #[test]
        fn output_never_has_serbian_cyrillic(s in "\\PC{0,40}") {
            prop_assert!(!has_cyrillic(&cyrillic_to_latin(&s)));
        }

        #[test]
        fn text_without_cyrillic_is_unchanged(s in "[a-zA-Z0-9 .,;:!?čćšžđČĆŠŽĐ-]{0,40}") {
            prop_assert_eq!(cyrillic_to_latin(&s), s);
        }
    }
}
