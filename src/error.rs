//! The crate's one error type.
//!
//! Every error that bad input can cause says *what* went wrong and *where*: the file (or the
//! in-memory table) and, when it applies, the row and the column. The Python bindings map each
//! variant to the matching Python exception (`ValueError`, `KeyError`, `OSError`, …).

use std::fmt;
use std::path::PathBuf;

/// Where in the user's input a problem was found.
///
/// ```
/// use tsunagime::error::Location;
/// let at = Location::table("trades").row(3).column("amount");
/// assert_eq!(at.to_string(), "trades, row 3, column 'amount'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file path, or the name of the in-memory table (`"trades"`, `"firms"`, …).
    pub source: Source,
    /// For files, the line number as an editor shows it (the header is line 1); for in-memory
    /// tables, the 0-based row position (`iloc`).
    pub row: Option<u64>,
    /// The column's name, when one column is to blame.
    pub column: Option<String>,
}

/// The origin of a table: a file on disk or an in-memory table.
///
/// ```
/// use tsunagime::error::{Location, Source};
/// let at = Location::of(Source::File("trades.csv".into())).row(2);
/// assert_eq!(at.to_string(), "trades.csv, line 2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file: rows are reported as line numbers.
    File(PathBuf),
    /// An in-memory table (DataFrame, arrays): rows are 0-based positions.
    Table(String),
}

impl Location {
    /// A whole table or file.
    ///
    /// ```
    /// use tsunagime::error::{Location, Source};
    /// assert_eq!(Location::of(Source::Table("firms".into())), Location::table("firms"));
    /// ```
    pub fn of(source: Source) -> Self {
        Location {
            source,
            row: None,
            column: None,
        }
    }

    /// A location in an in-memory table.
    ///
    /// ```
    /// use tsunagime::error::Location;
    /// assert_eq!(Location::table("firms").to_string(), "firms");
    /// ```
    pub fn table(name: &str) -> Self {
        Location::of(Source::Table(name.to_string()))
    }

    /// The same source with a row.
    ///
    /// ```
    /// use tsunagime::error::Location;
    /// assert_eq!(Location::table("firms").row(0).row, Some(0));
    /// ```
    pub fn row(&self, row: u64) -> Self {
        Location {
            row: Some(row),
            ..self.clone()
        }
    }

    /// The same source and row with a column.
    ///
    /// ```
    /// use tsunagime::error::Location;
    /// let at = Location::table("firms").row(0).column("id");
    /// assert_eq!(at.column.as_deref(), Some("id"));
    /// ```
    pub fn column(&self, column: &str) -> Self {
        Location {
            column: Some(column.to_string()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::File(p) => {
                write!(f, "{}", p.display())?;
                if let Some(r) = self.row {
                    write!(f, ", line {r}")?;
                }
            }
            Source::Table(name) => {
                write!(f, "{name}")?;
                if let Some(r) = self.row {
                    write!(f, ", row {r}")?;
                }
            }
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in tsunagime.
///
/// ```
/// use tsunagime::network::{NetworkBuilder, TradeTable};
/// let loop_ = TradeTable::new(vec![1], vec![1]);
/// let err = NetworkBuilder::new().trades(loop_).build().unwrap_err();
/// assert!(matches!(err, tsunagime::Error::Input { .. }));
/// assert!(err.to_string().starts_with("trades, row 0: self-loop"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value in the input is malformed or not allowed (NaN amount, self-loop, empty id, …).
    #[error("{location}: {message}")]
    Input {
        /// Where the value is.
        location: Box<Location>,
        /// Why it is rejected.
        message: String,
    },
    /// A table lacks a column that the call needs.
    #[error("{location}: missing column '{column}' (columns present: {present})")]
    MissingColumn {
        /// The table.
        location: Box<Location>,
        /// The column asked for.
        column: String,
        /// The columns the table has, comma-separated.
        present: String,
    },
    /// A firm id that the network does not know.
    #[error("{location}: unknown firm id '{id}'{more}")]
    UnknownFirm {
        /// Where the id was met.
        location: Box<Location>,
        /// The id as the user wrote it.
        id: String,
        /// How many other unknown ids there are, if any (", and N more unknown ids").
        more: String,
    },
    /// A name that the network does not know: partition, attribute, …
    #[error("unknown {what} '{name}' (known: {known})")]
    UnknownName {
        /// What kind of name ("partition", "attribute").
        what: &'static str,
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: String,
    },
    /// A parameter of a call is out of range or inconsistent.
    #[error("invalid parameter '{name}': {message}")]
    Parameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is invalid.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Saved network bytes could not be decoded.
    #[error("cannot decode saved data: {0}")]
    Decode(String),
    /// Data could not be written in its format (serialising a network, recommender or
    /// schedule, or a CSV record); failures of the file itself are [`Error::Io`].
    #[error("cannot encode data: {0}")]
    Encode(String),
    /// The caller asked the computation to stop (Ctrl-C in Python).
    #[error("interrupted")]
    Interrupted,
    /// A large buffer could not be allocated (Python: `MemoryError`). The big buffers of a
    /// load grow fallibly, so that running out of memory is an error, not an abort.
    #[error("out of memory: could not allocate {bytes} bytes for {what}")]
    OutOfMemory {
        /// What the buffer was for.
        what: &'static str,
        /// Bytes asked for.
        bytes: u64,
    },
}

/// A user's value as error messages show it: whole when short, else its first 40 characters
/// and its length, so that a 10 MB cell does not become a 10 MB message.
pub(crate) fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n > 40 {
        format!(
            "{}… ({n} characters)",
            s.chars().take(40).collect::<String>()
        )
    } else {
        s.to_string()
    }
}

/// Makes room for `additional` more elements, or an [`Error::OutOfMemory`] naming `what`.
pub(crate) fn reserve<T>(v: &mut Vec<T>, additional: usize, what: &'static str) -> Result<()> {
    v.try_reserve(additional).map_err(|_| Error::OutOfMemory {
        what,
        bytes: (v.len().saturating_add(additional)).saturating_mul(std::mem::size_of::<T>()) as u64,
    })
}

/// Pushes `x`, doubling the capacity fallibly when full.
#[inline]
pub(crate) fn push<T>(v: &mut Vec<T>, x: T, what: &'static str) -> Result<()> {
    if v.len() == v.capacity() {
        reserve(v, v.len().max(1024), what)?;
    }
    v.push(x);
    Ok(())
}

/// A copy of `s` in one fallible allocation (its exact length, so that `into_boxed_str`
/// does not reallocate).
pub(crate) fn owned(s: &str, what: &'static str) -> Result<String> {
    let mut out = String::new();
    out.try_reserve_exact(s.len())
        .map_err(|_| Error::OutOfMemory {
            what,
            bytes: s.len() as u64,
        })?;
    out.push_str(s);
    Ok(out)
}

/// A copy of `v` in one fallible allocation.
pub(crate) fn copied<T: Clone>(v: &[T], what: &'static str) -> Result<Vec<T>> {
    let mut out = Vec::new();
    reserve(&mut out, v.len(), what)?;
    out.extend_from_slice(v);
    Ok(out)
}

/// `n` copies of `x` in one fallible allocation.
pub(crate) fn filled<T: Clone>(n: usize, x: T, what: &'static str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    reserve(&mut v, n, what)?;
    v.resize(n, x);
    Ok(v)
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A rejected value at `location`.
    ///
    /// ```
    /// use tsunagime::error::{Error, Location};
    /// let e = Error::input(Location::table("firms").row(4), "empty firm id");
    /// assert_eq!(e.to_string(), "firms, row 4: empty firm id");
    /// ```
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location: Box::new(location),
            message: message.into(),
        }
    }

    /// An invalid parameter.
    ///
    /// ```
    /// use tsunagime::Error;
    /// let e = Error::parameter("k", "0 is not positive");
    /// assert_eq!(e.to_string(), "invalid parameter 'k': 0 is not positive");
    /// ```
    pub fn parameter(name: &'static str, message: impl Into<String>) -> Self {
        Error::Parameter {
            name,
            message: message.into(),
        }
    }

    /// The location the error names, if any.
    ///
    /// ```
    /// use tsunagime::error::{Error, Location};
    /// let e = Error::input(Location::table("firms").row(4), "empty firm id");
    /// assert_eq!(e.location().and_then(|l| l.row), Some(4));
    /// assert!(Error::Interrupted.location().is_none());
    /// ```
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Input { location, .. }
            | Error::MissingColumn { location, .. }
            | Error::UnknownFirm { location, .. } => Some(location),
            _ => None,
        }
    }
}
