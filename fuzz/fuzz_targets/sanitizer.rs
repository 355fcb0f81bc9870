//! Any text at any width: the sanitised line fits the width and holds nothing that
//! could steer a terminal or hide text; the block keeps only its newlines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secretwatch::text::sanitize::{sanitize_block, sanitize_line};
use unicode_width::UnicodeWidthStr;

fn forbidden(c: char) -> bool {
    let x = u32::from(c);
    x <= 0x1F
        || (0x7F..=0x9F).contains(&x)
        || [0x61C, 0x200E, 0x200F, 0xFEFF, 0xAD, 0x2028, 0x2029].contains(&x)
        || (0x202A..=0x202E).contains(&x)
        || (0x2066..=0x2069).contains(&x)
        || (0x200B..=0x200D).contains(&x)
        || (0x2060..=0x2064).contains(&x)
        || (0xE0000..=0xE007F).contains(&x)
}

fuzz_target!(|data: &[u8]| {
    let Some((&width, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let max = usize::from(width);
    let line = sanitize_line(&text, max);
    assert!(line.width() <= max, "{text:?} at {max}: {line:?}");
    assert!(!line.chars().any(forbidden), "{text:?}: {line:?}");
    let block = sanitize_block(&text);
    assert!(
        !block.chars().any(|c| c != '\n' && forbidden(c)),
        "{text:?}: {block:?}"
    );
});
