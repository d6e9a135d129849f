//! Enums kept in the store under stable names.

/// Gives an enum `ALL`, `as_str` and `parse` from one list of variant ⇄ stored name,
/// so that the two directions can never disagree.
#[macro_export]
macro_rules! stored_names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: [$ty; [$($name),*].len()] = [$($ty::$variant),*];

            /// The stable name kept in the store.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),*
                }
            }

            pub fn parse(s: &str) -> Option<$ty> {
                match s {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }
    };
}
