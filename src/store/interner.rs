//! One copy of each repeated text in the timeline. A day of accesses has a handful of
//! principals, user agents, secrets and regions, and a hundred thousand events that name them.

use crate::access::Text;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Interner {
    pool: HashSet<Text>,
    /// Pool size after the last sweep; the next sweep waits until it has doubled.
    swept_at: usize,
}

impl Interner {
    /// Points `text` at the pooled copy of its value, pooling it if it is new.
    pub fn intern(&mut self, text: &mut Text) {
        match self.pool.get(&**text) {
            Some(pooled) => *text = Arc::clone(pooled),
            None => {
                self.pool.insert(Arc::clone(text));
                if self.pool.len() >= 2 * self.swept_at.max(1024) {
                    self.sweep();
                }
            }
        }
    }

    /// Lets go of values no event names any more (the pool holds the only reference).
    /// Amortised: it runs when the pool has doubled since the last sweep.
    fn sweep(&mut self) {
        self.pool.retain(|t| Arc::strong_count(t) > 1);
        self.swept_at = self.pool.len();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.pool.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let mut pool = Interner::default();
        let mut a: Text = "arn:aws:iam::123456789012:user/alice".into();
        let mut b: Text = "arn:aws:iam::123456789012:user/alice".into();
        pool.intern(&mut a);
        pool.intern(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn values_nobody_names_are_let_go() {
        let mut pool = Interner::default();
        let mut kept: Text = "kept".into();
        pool.intern(&mut kept);
        for i in 0..5000 {
            let mut gone: Text = format!("agent-{i}").into();
            pool.intern(&mut gone);
        }
        assert!(
            pool.len() < 5000,
            "the pool grew without bound: {}",
            pool.len()
        );
        let mut again: Text = "kept".into();
        pool.intern(&mut again);
        assert!(
            Arc::ptr_eq(&kept, &again),
            "a value still in use was let go"
        );
    }
}
