//! Making untrusted text (anything that came from AWS) safe to draw in a terminal.
//!
//! Nothing that could move the cursor, start an escape sequence, reorder text or
//! hide text reaches the terminal: such characters are replaced by visible stand-ins.
//! C0 controls and DEL become Unicode control pictures (ESC → `␛`, BEL → `␇`);
//! C1 controls, bidi controls and invisible format characters become `<U+XXXX>`.

use std::fmt::Write as _;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';
const TAB_STOP: usize = 4;

/// One terminal cell line: no control characters, escape sequences, bidi controls or
/// zero-width characters reach the terminal; they are shown visibly. The result's display
/// width (unicode-width) is at most `max_width`, ending with '…' when cut. Never splits a
/// wide character. Newlines and tabs are shown as visible symbols too (single line).
pub fn sanitize_line(text: &str, max_width: usize) -> String {
    let mut full = String::with_capacity(text.len());
    // Byte offset in `full` after each visible unit, and the unit's width.
    let mut units: Vec<(usize, usize)> = Vec::new();
    for c in text.chars() {
        let w = push_visible(&mut full, c);
        units.push((full.len(), w));
    }
    if full.width() <= max_width {
        return full;
    }
    if max_width == 0 {
        return String::new();
    }
    // Keep whole units while their widths fit beside the ellipsis. unicode-width
    // measures some sequences (e.g. emoji + VS16) wider than the sum of their
    // chars, so check the real width and, if needed, binary-search a shorter cut;
    // `cut(0)` ("…") always fits.
    let budget = max_width - 1;
    let mut used = 0;
    let mut keep: usize = 0;
    for &(_, w) in &units {
        if used + w > budget {
            break;
        }
        used += w;
        keep += 1;
    }
    let cut = |k: usize| {
        let end = k
            .checked_sub(1)
            .and_then(|i| units.get(i))
            .map_or(0, |u| u.0);
        let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
        out.push_str(full.get(..end).unwrap_or_default());
        out.push(ELLIPSIS);
        out
    };
    let (mut good, mut bad) = (0, keep + 1);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if cut(mid).width() <= max_width {
            good = mid;
        } else {
            bad = mid;
        }
    }
    cut(good)
}

/// Multi-line text for the detail view: keeps '\n', expands '\t' to spaces, makes everything
/// else safe as in `sanitize_line` (no width cap per line).
pub fn sanitize_block(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let spaces = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            _ => column += push_visible(&mut out, c),
        }
    }
    out
}

/// JSON for a terminal: `value` serialised, with every character that could steer a
/// terminal or hide text (DEL, C1 controls, bidi and invisible format characters)
/// written as a `\uXXXX` escape. serde_json already escapes C0 controls; what is
/// escaped here can only occur inside strings, so the JSON means the same.
pub fn json_for_terminal<T: serde::Serialize>(
    value: &T,
    pretty: bool,
) -> serde_json::Result<String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let code = u32::from(c);
        if code == 0x7F || is_hidden(code) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04X}");
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Appends the character itself if it is safe to draw, else a visible stand-in;
/// returns the display width of what was appended.
fn push_visible(out: &mut String, c: char) -> usize {
    let code = u32::from(c);
    if code <= 0x1F || code == 0x7F {
        // Control pictures: U+2400 + code, DEL → U+2421.
        let pic = if code == 0x7F { 0x2421 } else { 0x2400 + code };
        let pic = char::from_u32(pic).unwrap_or(char::REPLACEMENT_CHARACTER);
        out.push(pic);
        pic.width().unwrap_or(1)
    } else if is_hidden(code) {
        let start = out.len();
        // Writing to a String cannot fail.
        let _ = write!(out, "<U+{code:04X}>");
        out.len() - start
    } else {
        out.push(c);
        c.width().unwrap_or(0)
    }
}

/// C1 controls, bidi controls and invisible format characters.
fn is_hidden(code: u32) -> bool {
    matches!(
        code,
        0x80..=0x9F            // C1 controls (0x9B is a one-byte CSI)
        | 0xAD                 // soft hyphen
        | 0x61C                // Arabic letter mark
        | 0x180E               // Mongolian vowel separator
        | 0x200B..=0x200F      // zero-width space/non-joiner/joiner, LRM, RLM
        | 0x2028 | 0x2029      // line and paragraph separators
        | 0x202A..=0x202E      // bidi embeddings and overrides
        | 0x2060..=0x206F      // word joiner, invisible operators, bidi isolates, deprecated
        | 0xFEFF               // zero-width no-break space / BOM
        | 0xFFF9..=0xFFFB      // interlinear annotation controls
        | 0xE0000..=0xE007F // tag characters (invisible "ASCII smuggling")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(c: char) -> bool {
        let x = u32::from(c);
        x <= 0x1F
            || (0x7F..=0x9F).contains(&x)
            || [0x61C, 0x200E, 0x200F, 0xFEFF, 0xAD].contains(&x)
            || (0x202A..=0x202E).contains(&x)
            || (0x2066..=0x2069).contains(&x)
            || (0x200B..=0x200D).contains(&x)
            || (0x2060..=0x2064).contains(&x)
            || (0xE0000..=0xE007F).contains(&x)
    }

    #[test]
    fn plain_ascii_unchanged() {
        let s = "GetSecretValue arn:aws:secretsmanager:eu-west-1:1:secret:x ~!@#$%^&*()";
        assert_eq!(sanitize_line(s, 200), s);
        assert_eq!(sanitize_block(s), s);
        assert_eq!(sanitize_line("", 0), "");
        assert_eq!(sanitize_line("abc", 3), "abc");
    }

    #[test]
    fn c0_and_del_become_control_pictures() {
        assert_eq!(sanitize_line("\x1b[2J", 80), "␛[2J");
        assert_eq!(
            sanitize_line("\x1b]52;c;ZXZpbA==\x07", 80),
            "␛]52;c;ZXZpbA==␇"
        );
        assert_eq!(sanitize_line("a\nb\tc\rd\0e\x7f", 80), "a␊b␉c␍d␀e␡");
        assert_eq!(sanitize_line("\x1f", 80), "\u{241F}");
    }

    #[test]
    fn c1_bidi_and_invisible_become_code_points() {
        assert_eq!(sanitize_line("\u{9b}31m", 80), "<U+009B>31m");
        assert_eq!(sanitize_line("\u{85}", 80), "<U+0085>");
        assert_eq!(
            sanitize_line("user\u{202E}txt.exe", 80),
            "user<U+202E>txt.exe"
        );
        for c in [
            '\u{61C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{2066}', '\u{2069}',
        ] {
            assert_eq!(
                sanitize_line(&c.to_string(), 80),
                format!("<U+{:04X}>", u32::from(c))
            );
        }
        assert_eq!(
            sanitize_line("a\u{200B}b\u{FEFF}", 80),
            "a<U+200B>b<U+FEFF>"
        );
        assert_eq!(
            sanitize_line("x\u{AD}\u{2060}\u{2064}", 80),
            "x<U+00AD><U+2060><U+2064>"
        );
        assert_eq!(sanitize_line("\u{E0041}", 80), "<U+E0041>");
    }

    #[test]
    fn cut_with_ellipsis() {
        assert_eq!(sanitize_line("abcdefghij", 5), "abcd…");
        assert_eq!(sanitize_line("abcdefghij", 1), "…");
        assert_eq!(sanitize_line("abcdefghij", 0), "");
        assert_eq!(sanitize_line("\x1b[2J", 3), "␛[…");
        // An escape stand-in is never split.
        assert_eq!(sanitize_line("ab\u{202E}cd", 6), "ab…");
    }

    #[test]
    fn wide_characters() {
        assert_eq!(sanitize_line("秘密の値", 8), "秘密の値");
        assert_eq!(sanitize_line("秘密の値", 7), "秘密の…");
        assert_eq!(sanitize_line("秘密の値", 6), "秘密…");
        assert_eq!(sanitize_line("秘密の値", 2), "…");
        assert_eq!(sanitize_line("秘密の値", 1), "…");
        assert_eq!(sanitize_line("a秘", 2), "a…");
        assert_eq!(sanitize_line("🔑 key", 6).width(), 6);
        assert_eq!(sanitize_line("🔑🔑🔑", 5), "🔑🔑…");
        // Emoji presentation sequence: str width exceeds the sum of char widths.
        let hearts = "\u{2764}\u{FE0F}".repeat(5);
        for w in 0..12 {
            assert!(sanitize_line(&hearts, w).width() <= w);
        }
    }

    #[test]
    fn block_keeps_newlines_and_expands_tabs() {
        assert_eq!(sanitize_block("a\tb\n\tc\n"), "a   b\n    c\n");
        assert_eq!(sanitize_block("abcd\te"), "abcd    e");
        assert_eq!(sanitize_block("x\x1b[31m\r\n\u{202E}"), "x␛[31m␍\n<U+202E>");
        let out = sanitize_block("{\n\t\"k\": \"\u{7}\u{9b}\"\n}");
        assert!(!out.chars().any(|c| c != '\n' && forbidden(c)));
    }

    #[test]
    fn json_for_a_terminal_escapes_what_could_steer_it_and_means_the_same() {
        let value = serde_json::json!({
            "a": "\x1b]0;t\x07 \u{7f}\u{9b}31m \u{202E}exe \u{200B} \u{E0041} 秘密 ok",
        });
        for pretty in [false, true] {
            let text = json_for_terminal(&value, pretty).expect("serialises");
            assert!(!text.chars().any(|c| c != '\n' && forbidden(c)), "{text}");
            assert!(text.contains("秘密 ok"), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(back, value);
        }
    }

    #[test]
    fn no_forbidden_output_on_many_inputs() {
        let mut pool: Vec<char> = (0u32..=0xFF).filter_map(char::from_u32).collect();
        pool.extend("\u{61C}\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2060}\u{2061}\u{2062}\u{2063}\u{2064}\u{2066}\u{2067}\u{2068}\u{2069}\u{FEFF}\u{E0001}\u{E007F}".chars());
        pool.extend("秘密🔑😀👍🏻\u{FE0F}\u{0301}\u{2764}لا\u{1F1EB}\u{1F1F7}…".chars());
        let mut inputs: Vec<String> = pool.iter().map(|c| c.to_string()).collect();
        inputs.push(pool.iter().collect());
        inputs.extend(
            [
                "\x1b[2J\x1b[H",
                "\x1b]52;c;aGk=\x07",
                "\u{9b}0m",
                "a\u{202E}gnp.exe",
                "👨\u{200D}👩",
                "",
            ]
            .map(String::from),
        );
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            let len = (seed % 40) as usize;
            let s: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    pool[(seed % pool.len() as u64) as usize]
                })
                .collect();
            inputs.push(s);
        }
        for input in &inputs {
            for max in [0, 1, 2, 3, 5, 8, 13, 40, 200] {
                let out = sanitize_line(input, max);
                assert!(!out.chars().any(forbidden), "{input:?} -> {out:?}");
                assert!(out.width() <= max, "{input:?} at {max} -> {out:?}");
            }
            let block = sanitize_block(input);
            assert!(
                !block.chars().any(|c| c != '\n' && forbidden(c)),
                "{block:?}"
            );
        }
    }
}
