//! A column of strings packed in one buffer, the layout of an Arrow `large_string` array.
//!
//! Millions of firm ids as `Vec<String>` cost one allocation each to build and to drop; packed,
//! they cost two, and an Arrow column from pandas, pyarrow or polars arrives as a copy of two
//! buffers instead of millions of objects.

use crate::error::{reserve, Error, Result};
use serde::{Deserialize, Serialize};
use std::ops::Index;

/// Strings stored end to end: string `i` is `bytes[offsets[i]..offsets[i + 1]]`.
///
/// Serialized as a list of strings, so saved networks read the same as before the packing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Strings {
    offsets: Vec<usize>,
    bytes: String,
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            offsets: vec![0],
            bytes: String::new(),
        }
    }
}

impl Strings {
    /// An empty column with room for `n` strings of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Strings {
            offsets,
            bytes: String::with_capacity(bytes),
        }
    }

    /// A column from Arrow's buffers: `offsets` (`n + 1` positions, not decreasing) into
    /// `data` (UTF-8). The offsets may start after 0 (a sliced array).
    ///
    /// # Errors
    /// A message saying which offset is out of order or out of bounds, or where the bytes are
    /// not UTF-8.
    pub fn from_arrow(offsets: &[i64], data: &[u8]) -> Result<Self, String> {
        Self::from_arrow_chunks(&[(offsets, data)])
    }

    /// The column as Arrow `large_string` buffers: `n + 1` offsets into the UTF-8 bytes
    /// (handed to Python without a string object per row).
    ///
    /// ```
    /// use tsunagime::network::Strings;
    /// let s: Strings = ["ab", "", "c"].into_iter().collect();
    /// assert_eq!(s.to_arrow(), (vec![0, 2, 2, 3], &b"abc"[..]));
    /// ```
    pub fn to_arrow(&self) -> (Vec<i64>, &[u8]) {
        let offsets = self.offsets.iter().map(|&o| o as i64).collect();
        (offsets, self.bytes.as_bytes())
    }

    /// One column from the chunks of an Arrow chunked array, each as in
    /// [`from_arrow`](Self::from_arrow), end to end: a Parquet file read by pyarrow or polars
    /// arrives in chunks, and joining them here copies the bytes once instead of twice.
    ///
    /// # Errors
    /// As [`from_arrow`](Self::from_arrow), naming the chunk when there are several.
    pub fn from_arrow_chunks(chunks: &[(&[i64], &[u8])]) -> Result<Self, String> {
        let mut texts = Vec::with_capacity(chunks.len());
        for (c, &(offsets, data)) in chunks.iter().enumerate() {
            let named = |why: String| match chunks.len() {
                1 => why,
                _ => format!("chunk {c}: {why}"),
            };
            texts.push(arrow_text(offsets, data).map_err(named)?);
        }
        let n: usize = texts.iter().map(|(offsets, _)| offsets.len() - 1).sum();
        let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
        let mut out = Strings::with_capacity(n, bytes);
        for (offsets, text) in texts {
            let (base, first) = (out.bytes.len(), offsets[0]);
            out.offsets
                .extend(offsets[1..].iter().map(|&o| base + (o - first) as usize));
            out.bytes.push_str(text);
        }
        Ok(out)
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when there are no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// String `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<&str> {
        let (&from, &to) = (self.offsets.get(i)?, self.offsets.get(i + 1)?);
        Some(&self.bytes[from..to])
    }

    /// Appends one string.
    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.offsets.push(self.bytes.len());
    }

    /// Appends every string of `other`.
    pub fn append(&mut self, other: &Strings) {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.offsets
            .extend(other.offsets[1..].iter().map(|&o| base + o));
    }

    /// [`Strings::with_capacity`], or an out-of-memory error naming `what`.
    pub(crate) fn try_with_capacity(n: usize, bytes: usize, what: &'static str) -> Result<Self> {
        let mut out = Strings::default();
        out.try_reserve(n, bytes, what)?;
        Ok(out)
    }

    /// [`Strings::push`], growing fallibly (doubling, like a `Vec`).
    #[inline]
    pub(crate) fn try_push(&mut self, s: &str, what: &'static str) -> Result<()> {
        if self.offsets.len() == self.offsets.capacity()
            || self.bytes.capacity() - self.bytes.len() < s.len()
        {
            self.try_reserve(self.len().max(1024), self.bytes.len().max(s.len()), what)?;
        }
        self.push(s);
        Ok(())
    }

    /// [`Strings::append`], fallibly.
    pub(crate) fn try_append(&mut self, other: &Strings, what: &'static str) -> Result<()> {
        self.try_reserve(other.len(), other.bytes.len(), what)?;
        self.append(other);
        Ok(())
    }

    /// Room for `n` more strings of `bytes` more bytes.
    fn try_reserve(&mut self, n: usize, bytes: usize, what: &'static str) -> Result<()> {
        reserve(&mut self.offsets, n, what)?;
        self.bytes
            .try_reserve(bytes)
            .map_err(|_| Error::OutOfMemory {
                what,
                bytes: self.bytes.len().saturating_add(bytes) as u64,
            })
    }

    /// The strings in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.offsets.windows(2).map(|w| &self.bytes[w[0]..w[1]])
    }
}

/// The checked text of one Arrow string array: its offsets (from `offsets[0]`, not
/// decreasing, on character boundaries) and the UTF-8 bytes they point into.
fn arrow_text<'a>(offsets: &'a [i64], data: &'a [u8]) -> Result<(&'a [i64], &'a str), String> {
    let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
        return Err("no offsets (an Arrow string array has n + 1)".into());
    };
    if first < 0 || last < first || last as u64 > data.len() as u64 {
        return Err(format!(
            "offsets {first}..{last} outside the {} bytes of data",
            data.len()
        ));
    }
    if let Some(i) = offsets.windows(2).position(|w| w[1] < w[0]) {
        return Err(format!("offset {} is before offset {i}", i + 1));
    }
    let text = std::str::from_utf8(&data[first as usize..last as usize])
        .map_err(|e| format!("string data not UTF-8 at byte {}", e.valid_up_to()))?;
    if let Some(i) = offsets
        .iter()
        .position(|&o| !text.is_char_boundary((o - first) as usize))
    {
        return Err(format!("offset {i} splits a character"));
    }
    Ok((offsets, text))
}

impl Index<usize> for Strings {
    type Output = str;

    /// String `i` (panics past the end, like slice indexing).
    fn index(&self, i: usize) -> &str {
        &self.bytes[self.offsets[i]..self.offsets[i + 1]]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Strings {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut out = Strings::default();
        out.extend(iter);
        out
    }
}

impl<S: AsRef<str>> Extend<S> for Strings {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for s in iter {
            self.push(s.as_ref());
        }
    }
}

impl From<Vec<String>> for Strings {
    fn from(v: Vec<String>) -> Self {
        let mut out = Strings::with_capacity(v.len(), v.iter().map(String::len).sum());
        out.extend(&v);
        out
    }
}

impl From<Strings> for Vec<String> {
    fn from(s: Strings) -> Self {
        s.iter().map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Strings;

    #[test]
    fn packs_and_reads_back() {
        let s: Strings = ["a", "", "東京", "xyz"].into_iter().collect();
        assert_eq!(s.len(), 4);
        assert_eq!(&s[2], "東京");
        assert_eq!(s.get(1), Some(""));
        assert_eq!(s.get(4), None);
        assert_eq!(s.iter().collect::<Vec<_>>(), ["a", "", "東京", "xyz"]);
        assert_eq!(Vec::<String>::from(s.clone()).len(), 4);
    }

    #[test]
    fn arrow_buffers_are_checked() {
        let data = "xx東京ab".as_bytes();
        let s = Strings::from_arrow(&[2, 8, 9, 10], data).expect("valid");
        assert_eq!(s.iter().collect::<Vec<_>>(), ["東京", "a", "b"]);
        assert_eq!(s, ["東京", "a", "b"].into_iter().collect());
        for bad in [&[0, 3][..], &[0, 99], &[3, 2], &[], &[-1, 2]] {
            assert!(Strings::from_arrow(bad, data).is_err(), "{bad:?}");
        }
        assert!(Strings::from_arrow(&[0, 1], &[0xff]).is_err());
    }

    #[test]
    fn arrow_chunks_are_joined_end_to_end() {
        let (a, b) = ("xx東京ab".as_bytes(), "cde".as_bytes());
        let s =
            Strings::from_arrow_chunks(&[(&[2, 8, 9], a), (&[0], b), (&[1, 3], b)]).expect("valid");
        assert_eq!(s.iter().collect::<Vec<_>>(), ["東京", "a", "de"]);
        assert_eq!(s, ["東京", "a", "de"].into_iter().collect());
        assert_eq!(
            Strings::from_arrow_chunks(&[]).expect("none"),
            Strings::default()
        );
        let bad = Strings::from_arrow_chunks(&[(&[0, 1], b), (&[0, 3, 2], b)]).unwrap_err();
        assert!(
            bad.starts_with("chunk 1: offset 2 is before offset 1"),
            "{bad}"
        );
    }
}
