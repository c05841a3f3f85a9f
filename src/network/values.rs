//! A read-only column of numbers: owned, or a view into a mapped network file.
//!
//! The network's big arrays (links both ways, amounts, years, partition codes, attributes)
//! are [`Values`] so that [`TradeNetwork::open`](super::TradeNetwork::open) can hand out the
//! pages of an Arrow IPC file without copying them, while a network built in memory owns its
//! vectors. Both are Arrow buffers (reference-counted, 64-byte aligned when owned), and read
//! as plain slices.

use arrow_buffer::{ArrowNativeType, ScalarBuffer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// Read-only values that deref to `&[T]`; cloning them shares the values.
#[derive(Clone, PartialEq)]
pub struct Values<T: ArrowNativeType>(ScalarBuffer<T>);

impl<T: ArrowNativeType> Values<T> {
    /// The Arrow buffer behind the column (shared, not copied).
    pub fn buffer(&self) -> &ScalarBuffer<T> {
        &self.0
    }

    /// The values as an owned vector: moved out when this column owns them alone, copied
    /// otherwise.
    pub fn into_vec(self) -> Vec<T> {
        self.0.into()
    }
}

impl<T: ArrowNativeType> Deref for Values<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: ArrowNativeType> AsRef<[T]> for Values<T> {
    fn as_ref(&self) -> &[T] {
        &self.0
    }
}

impl<T: ArrowNativeType> Default for Values<T> {
    fn default() -> Self {
        Values(Vec::new().into())
    }
}

impl<T: ArrowNativeType> From<Vec<T>> for Values<T> {
    fn from(v: Vec<T>) -> Self {
        Values(v.into())
    }
}

impl<T: ArrowNativeType> From<ScalarBuffer<T>> for Values<T> {
    fn from(v: ScalarBuffer<T>) -> Self {
        Values(v)
    }
}

impl<T: ArrowNativeType> FromIterator<T> for Values<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Values(iter.into_iter().collect::<Vec<T>>().into())
    }
}

impl<'a, T: ArrowNativeType> IntoIterator for &'a Values<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: ArrowNativeType> fmt::Debug for Values<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<T: ArrowNativeType + PartialEq> PartialEq<Vec<T>> for Values<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == **other
    }
}

impl<T: ArrowNativeType + PartialEq, const N: usize> PartialEq<[T; N]> for Values<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        **self == *other
    }
}

impl<T: ArrowNativeType + Eq> Eq for Values<T> {}

/// Serialized as a plain sequence, so saved bytes read the same as before columns existed.
impl<T: ArrowNativeType + Serialize> Serialize for Values<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de, T: ArrowNativeType + Deserialize<'de>> Deserialize<'de> for Values<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(Values::from)
    }
}
