//! What a word found in a text, remembered for the rest of one pass over the timeline.
//! The timeline keeps one copy of each repeated text (principals, user agents, addresses),
//! so a hundred thousand accesses name a few hundred texts: each is searched once per pass
//! and then known by its address. A pass borrows the timeline, so no text is freed (and
//! no address reused) while the memo lives.

use crate::access::Text;
use std::sync::Arc;

/// A direct-mapped table of text addresses and what was found in each; without slots
/// (`off`), it remembers nothing.
pub struct Memo {
    slots: Vec<(usize, bool)>,
}

/// Slots per word: a power of two, small enough to stay in the first-level cache.
const SLOTS: usize = 1024;

impl Memo {
    pub fn new() -> Memo {
        Memo {
            slots: vec![(0, false); SLOTS],
        }
    }

    pub fn off() -> Memo {
        Memo { slots: Vec::new() }
    }

    /// `found(text)`, or what it answered for this very text earlier in the pass.
    pub fn find(&mut self, text: &Text, found: impl FnOnce(&str) -> bool) -> bool {
        if self.slots.is_empty() {
            return found(text);
        }
        let address = Arc::as_ptr(text).cast::<u8>() as usize;
        // Allocations are at least 8-byte aligned: the low bits say nothing.
        let slot = &mut self.slots[(address >> 3) & (SLOTS - 1)];
        if slot.0 == address {
            return slot.1;
        }
        let answer = found(text);
        *slot = (address, answer);
        answer
    }
}
