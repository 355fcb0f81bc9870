//! What a lookup of one thing has said so far: nothing yet, that it does not exist, or
//! the thing.

/// A resource the account was asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Lookup<T> {
    /// No answer yet.
    #[default]
    Waiting,
    /// The account answered that it does not exist.
    Missing,
    Found(T),
}

impl<T> Lookup<T> {
    /// The answer to a lookup that says None for "does not exist".
    pub fn answered(found: Option<T>) -> Self {
        found.map_or(Lookup::Missing, Lookup::Found)
    }

    /// Whether it already holds this answer.
    pub fn says(&self, answer: Option<&T>) -> bool
    where
        T: PartialEq,
    {
        match (self, answer) {
            (Lookup::Found(held), Some(answer)) => held == answer,
            (Lookup::Missing, None) => true,
            _ => false,
        }
    }

    pub fn found(&self) -> Option<&T> {
        match self {
            Lookup::Found(t) => Some(t),
            Lookup::Waiting | Lookup::Missing => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lookup;

    #[test]
    fn an_answer_is_found_or_missing() {
        assert_eq!(Lookup::<u8>::default(), Lookup::Waiting);
        assert_eq!(Lookup::answered(Some(3)), Lookup::Found(3));
        assert_eq!(Lookup::<u8>::answered(None), Lookup::Missing);
        assert_eq!(Lookup::Found(3).found(), Some(&3));
        assert_eq!(Lookup::<u8>::Missing.found(), None);
        assert_eq!(Lookup::<u8>::Waiting.found(), None);
        assert!(Lookup::Found(3).says(Some(&3)));
        assert!(!Lookup::Found(3).says(Some(&4)));
        assert!(!Lookup::Found(3).says(None));
        assert!(Lookup::<u8>::Missing.says(None));
        assert!(!Lookup::<u8>::Waiting.says(None));
        assert!(!Lookup::<u8>::Waiting.says(Some(&3)));
    }
}
