//! Firm ids as the user gave them (integers or strings) and their interning to dense indices.

use super::strings::Strings;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::BuildHasher;

/// One firm id: an integer or a string, exactly as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FirmId {
    /// An integer id (e.g. a corporate number).
    Int(i64),
    /// A string id.
    Str(String),
}

impl fmt::Display for FirmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FirmId::Int(v) => write!(f, "{v}"),
            FirmId::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for FirmId {
    fn from(v: i64) -> Self {
        FirmId::Int(v)
    }
}

impl From<&str> for FirmId {
    fn from(v: &str) -> Self {
        FirmId::Str(v.to_string())
    }
}

impl From<String> for FirmId {
    fn from(v: String) -> Self {
        FirmId::Str(v)
    }
}

/// A column of firm ids, all of one kind. Stored column-wise so that a million ids cost one
/// allocation (integers) and so that they convert to numpy without a per-element object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirmIds {
    /// Integer ids.
    Int(Vec<i64>),
    /// String ids, packed in one buffer.
    Str(Strings),
}

impl Default for FirmIds {
    fn default() -> Self {
        FirmIds::Int(Vec::new())
    }
}

impl FirmIds {
    /// Number of ids.
    pub fn len(&self) -> usize {
        match self {
            FirmIds::Int(v) => v.len(),
            FirmIds::Str(v) => v.len(),
        }
    }

    /// True when there are no ids.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id at position `i` (panics when out of range, like slice indexing).
    pub fn get(&self, i: usize) -> FirmId {
        match self {
            FirmIds::Int(v) => FirmId::Int(v[i]),
            FirmIds::Str(v) => FirmId::Str(v[i].to_string()),
        }
    }

    /// The ids at the given positions, in that order.
    pub fn select(&self, positions: &[u32]) -> FirmIds {
        match self {
            FirmIds::Int(v) => FirmIds::Int(positions.iter().map(|&p| v[p as usize]).collect()),
            FirmIds::Str(v) => FirmIds::Str(positions.iter().map(|&p| &v[p as usize]).collect()),
        }
    }

    /// True for integer ids.
    pub fn is_int(&self) -> bool {
        matches!(self, FirmIds::Int(_))
    }
}

impl From<Vec<i64>> for FirmIds {
    fn from(v: Vec<i64>) -> Self {
        FirmIds::Int(v)
    }
}

impl From<Vec<String>> for FirmIds {
    fn from(v: Vec<String>) -> Self {
        FirmIds::Str(v.into())
    }
}

impl From<Vec<&str>> for FirmIds {
    fn from(v: Vec<&str>) -> Self {
        FirmIds::Str(v.into_iter().collect())
    }
}

/// Id → dense index. Integer ids hash as integers; string ids are positions into a packed copy
/// of the ids, so that the index costs no allocation per firm and loading millions of trades
/// allocates nothing per row.
#[derive(Debug, Clone, Default)]
pub(crate) enum IdIndex {
    #[default]
    Empty,
    Int(FxHashMap<i64, u32>),
    /// Integer ids within a span of at most four slots per firm (row numbers, sequential
    /// codes): the index of id `first + k` is `slots[k]` (`u32::MAX` for a gap). One lookup
    /// is one read from an array of 4 bytes a slot, where a hash map costs a cache miss into
    /// 16 bytes a bucket; loading millions of trades is mostly these lookups.
    Dense {
        first: i64,
        slots: Vec<u32>,
    },
    Str(StrTable),
}

/// A slot of [`IdIndex::Dense`] no id holds.
const GAP: u32 = u32::MAX;

fn hash(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

impl IdIndex {
    /// Builds the index of `ids`; on a repeated id returns its two positions.
    pub(crate) fn build(ids: &FirmIds) -> Result<IdIndex, (usize, usize)> {
        match ids {
            FirmIds::Int(v) => match dense_span(v) {
                Some((first, span)) => {
                    let mut slots = vec![GAP; span];
                    first_duplicate(v, |id, i| {
                        let prev = std::mem::replace(&mut slots[id.abs_diff(first) as usize], i);
                        (prev != GAP).then_some(prev)
                    })?;
                    Ok(IdIndex::Dense { first, slots })
                }
                None => {
                    let mut map = FxHashMap::with_capacity_and_hasher(v.len(), Default::default());
                    first_duplicate(v, |id, i| map.insert(id, i))?;
                    Ok(IdIndex::Int(map))
                }
            },
            FirmIds::Str(v) => StrTable::build(v).map(IdIndex::Str),
        }
    }

    /// The index of an integer id. String-keyed networks look up its decimal form.
    pub(crate) fn get_int(&self, id: i64) -> Option<u32> {
        match self {
            IdIndex::Empty => None,
            IdIndex::Int(m) => m.get(&id).copied(),
            IdIndex::Dense { first, slots } => id
                .checked_sub(*first)
                .and_then(|k| slots.get(usize::try_from(k).ok()?))
                .copied()
                .filter(|&i| i != GAP),
            IdIndex::Str(..) => self.get_str(&id.to_string()),
        }
    }

    /// Whether the ids are integers: a lookup is one array or hash-map read, cheap to make
    /// as each id is parsed.
    pub(crate) fn is_int(&self) -> bool {
        matches!(self, IdIndex::Int(_) | IdIndex::Dense { .. })
    }

    /// The index of a string id. Integer-keyed networks accept its canonical decimal form only
    /// (`"7"`, not `"07"` or `"+7"`), so that two spellings never name one firm silently.
    pub(crate) fn get_str(&self, id: &str) -> Option<u32> {
        match self {
            IdIndex::Empty => None,
            IdIndex::Int(_) | IdIndex::Dense { .. } => {
                canonical_int(id).and_then(|v| self.get_int(v))
            }
            IdIndex::Str(table) => table.get(id),
        }
    }

    /// The indices of `ids[first..first + out.len()]` into `out` (`u32::MAX` when unknown),
    /// as [`Self::get_str`] gives them one by one.
    pub(crate) fn get_strs(&self, ids: &Strings, first: usize, out: &mut [u32]) {
        match self {
            IdIndex::Str(table) => table.get_many(ids, first, out),
            _ => {
                for (k, slot) in out.iter_mut().enumerate() {
                    *slot = self.get_str(&ids[first + k]).unwrap_or(GAP);
                }
            }
        }
    }

    /// The index of any id.
    pub(crate) fn get(&self, id: &FirmId) -> Option<u32> {
        match id {
            FirmId::Int(v) => self.get_int(*v),
            FirmId::Str(s) => self.get_str(s),
        }
    }
}

/// Bytes of a string id held in the table itself: up to 19 (`F000000001`, a 13-digit
/// corporate number, a UUID's first groups), a lookup reads one slot of 24 bytes.
const INLINE: usize = 19;

/// Ids whose first slots a batched lookup reads before probing any of them.
const AHEAD: usize = 16;

/// One slot of a [`StrTable`]: the firm's index ([`GAP`] when empty), the id's length
/// (255 for 255 bytes or more) and its first [`INLINE`] bytes, zero-padded.
#[derive(Debug, Clone, Copy)]
struct Slot {
    index: u32,
    len: u8,
    bytes: [u8; INLINE],
}

const EMPTY_SLOT: Slot = Slot {
    index: GAP,
    len: 0,
    bytes: [0; INLINE],
};

/// String id → index, by linear probing in a table at most half full whose slots hold the
/// ids' bytes. Loading a trade table is one lookup per row into a million-firm index; with
/// the id in the slot, a lookup is one cache miss, where a table of positions into the
/// packed ids costs three (slot, offsets, bytes). Ids longer than [`INLINE`] bytes are
/// compared in full against a copy of the ids, kept only then.
#[derive(Debug, Clone)]
pub(crate) struct StrTable {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a hash's top bits pick the first slot.
    shift: u32,
    long: Option<Strings>,
}

impl StrTable {
    /// The table of `ids`; on a repeated id, its two positions.
    fn build(ids: &Strings) -> Result<StrTable, (usize, usize)> {
        let size = (ids.len().max(1) * 2).next_power_of_two();
        let long = ids.iter().any(|id| id.len() > INLINE).then(|| ids.clone());
        let mut table = StrTable {
            slots: vec![EMPTY_SLOT; size],
            shift: 64 - size.trailing_zeros(),
            long,
        };
        for (i, id) in ids.iter().enumerate() {
            match table.probe(id, table.start(id)) {
                Ok(prev) => return Err((table.slots[prev].index as usize, i)),
                Err(free) => {
                    let (len, bytes) = key(id);
                    table.slots[free] = Slot {
                        index: i as u32,
                        len,
                        bytes,
                    };
                }
            }
        }
        Ok(table)
    }

    /// The index of `id`.
    fn get(&self, id: &str) -> Option<u32> {
        self.probe(id, self.start(id))
            .ok()
            .map(|s| self.slots[s].index)
    }

    /// [`Self::get`] of `ids[first..first + out.len()]` into `out` ([`GAP`] when unknown).
    /// The first slots of [`AHEAD`] ids are read before any of them is probed, so that
    /// their cache misses overlap instead of following one another (a prefetch without
    /// unsafe code): about twice as fast on a million firms.
    fn get_many(&self, ids: &Strings, first: usize, out: &mut [u32]) {
        let mut starts = [0; AHEAD];
        for (c, chunk) in out.chunks_mut(AHEAD).enumerate() {
            let base = first + c * AHEAD;
            let mut touched = 0;
            for (j, s) in starts[..chunk.len()].iter_mut().enumerate() {
                *s = self.start(&ids[base + j]);
                touched ^= self.slots[*s].index;
            }
            std::hint::black_box(touched);
            for (j, slot) in chunk.iter_mut().enumerate() {
                *slot = self
                    .probe(&ids[base + j], starts[j])
                    .map_or(GAP, |s| self.slots[s].index);
            }
        }
    }

    /// The slot where the probe for `id` starts.
    fn start(&self, id: &str) -> usize {
        (hash(id).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The slot holding `id`, or the empty slot where it would go, probing from `s`.
    fn probe(&self, id: &str, mut s: usize) -> Result<usize, usize> {
        let (len, bytes) = key(id);
        let mask = self.slots.len() - 1;
        loop {
            let slot = &self.slots[s];
            if slot.index == GAP {
                return Err(s);
            }
            if slot.len == len
                && slot.bytes == bytes
                && (id.len() <= INLINE
                    || self
                        .long
                        .as_ref()
                        .is_some_and(|ids| &ids[slot.index as usize] == id))
            {
                return Ok(s);
            }
            s = (s + 1) & mask;
        }
    }
}

/// An id's length tag and first [`INLINE`] bytes, as held in a [`Slot`].
fn key(id: &str) -> (u8, [u8; INLINE]) {
    let mut bytes = [0; INLINE];
    let n = id.len().min(INLINE);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    (id.len().min(255) as u8, bytes)
}

/// Inserts every id with its position; `insert` returns the position an id already held. The
/// first repeat is an error naming both positions.
fn first_duplicate(
    ids: &[i64],
    mut insert: impl FnMut(i64, u32) -> Option<u32>,
) -> Result<(), (usize, usize)> {
    for (i, &id) in ids.iter().enumerate() {
        if let Some(prev) = insert(id, i as u32) {
            return Err((prev as usize, i));
        }
    }
    Ok(())
}

/// The smallest id and the span of slots from it to the largest, when the span is at most
/// four slots per id (and at least one id): then a [`IdIndex::Dense`] table is smaller than a
/// hash map.
fn dense_span(ids: &[i64]) -> Option<(i64, usize)> {
    let (&min, &max) = (ids.iter().min()?, ids.iter().max()?);
    let span = usize::try_from(max.abs_diff(min)).ok()?.checked_add(1)?;
    (span <= ids.len().saturating_mul(4)).then_some((min, span))
}

/// Parses `s` as an integer only when it is written canonically (no sign `+`, no leading zeros,
/// no spaces), so that formatting the integer gives `s` back.
pub fn canonical_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s).as_bytes();
    let canonical = match digits {
        [] => false,
        [b'0'] => s.len() == 1,
        [first, ..] => *first != b'0' && digits.iter().all(u8::is_ascii_digit),
    };
    if canonical {
        s.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical_int, FirmIds, IdIndex, Strings};

    #[test]
    fn dense_and_sparse_integer_ids_are_found_alike() {
        let dense = vec![105, 101, 103, 102];
        let sparse = vec![i64::MIN, 7, i64::MAX, -3];
        let index = IdIndex::build(&FirmIds::Int(dense.clone())).expect("distinct");
        assert!(matches!(index, IdIndex::Dense { first: 101, .. }));
        for (i, &id) in dense.iter().enumerate() {
            assert_eq!(index.get_int(id), Some(i as u32));
            assert_eq!(index.get_str(&id.to_string()), Some(i as u32));
        }
        for missing in [100, 104, 106, 0, -101, i64::MIN, i64::MAX] {
            assert_eq!(index.get_int(missing), None, "{missing}");
        }
        assert_eq!(index.get_str("0105"), None);
        let index = IdIndex::build(&FirmIds::Int(sparse.clone())).expect("distinct");
        assert!(matches!(index, IdIndex::Int(_)));
        for (i, &id) in sparse.iter().enumerate() {
            assert_eq!(index.get_int(id), Some(i as u32));
        }
        assert_eq!(index.get_int(8), None);
        for (ids, twice) in [
            (vec![5, 6, 5], (0, 2)),
            (vec![i64::MAX, 1, i64::MAX], (0, 2)),
        ] {
            assert_eq!(IdIndex::build(&FirmIds::Int(ids)).unwrap_err(), twice);
        }
    }

    #[test]
    fn string_ids_of_every_length_are_found_and_repeats_named() -> Result<(), (usize, usize)> {
        let long = "x".repeat(300);
        let ids = vec![
            "F000000001",
            "",
            "1234567890123",
            "abcdefghijklmnopqrs",  // exactly the inline bytes
            "abcdefghijklmnopqrst", // one more: compared in full
            "abcdefghijklmnopqrsu",
            "a\0",
            "a",
            "東京都千代田区の会社",
            long.as_str(),
        ];
        let index = IdIndex::build(&FirmIds::from(ids.clone()))?;
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get_str(id), Some(i as u32), "{id:?}");
        }
        let longer = "x".repeat(301);
        for missing in [
            "F00000000",
            "abcdefghijklmnopqrsv",
            "a\0\0",
            longer.as_str(),
            "F",
        ] {
            assert_eq!(index.get_str(missing), None, "{missing:?}");
        }
        let many: Vec<String> = (0..5_000).map(|i| format!("F{i:09}")).collect();
        let index = IdIndex::build(&FirmIds::from(many.clone()))?;
        assert!(many
            .iter()
            .enumerate()
            .all(|(i, id)| index.get_str(id) == Some(i as u32)));
        let asked: Strings = (0..1_000).map(|i| format!("F{:09}", i * 7)).collect();
        let mut batch = vec![0; 990];
        index.get_strs(&asked, 5, &mut batch);
        for (k, &got) in batch.iter().enumerate() {
            assert_eq!(got, index.get_str(&asked[5 + k]).unwrap_or(u32::MAX));
        }
        for (ids, twice) in [
            (vec!["a", "b", "a"], (0, 2)),
            (vec![long.as_str(), "b", long.as_str()], (0, 2)),
            (vec!["", "c", "d", ""], (0, 3)),
        ] {
            assert_eq!(IdIndex::build(&FirmIds::from(ids)).err(), Some(twice));
        }
        Ok(())
    }

    #[test]
    fn canonical_integers_only() {
        for (s, v) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("-7", Some(-7)),
            ("9223372036854775807", Some(i64::MAX)),
        ] {
            assert_eq!(canonical_int(s), v, "{s}");
        }
        for s in [
            "",
            "-",
            "-0",
            "007",
            "+7",
            " 7",
            "7 ",
            "1e3",
            "9223372036854775808",
            "x",
        ] {
            assert_eq!(canonical_int(s), None, "{s}");
        }
    }
}
