//! Column-wise input tables: what a builder, a CSV reader or a DataFrame hands to the network.

use super::ids::FirmIds;
use super::values::Values;
use serde::{Deserialize, Serialize};

/// Code of a missing value in a [`Partition`].
pub const MISSING: u32 = u32::MAX;

/// A categorical column of the firms: each firm belongs to one group (prefecture, bloc,
/// industry, …) or to none ([`MISSING`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    /// The column's name, e.g. `"prefecture"`.
    pub name: String,
    /// The group labels; `codes` index into it.
    pub labels: Vec<String>,
    /// One code per firm, `MISSING` for no group.
    pub codes: Values<u32>,
}

impl Partition {
    /// Builds a partition from one optional label per firm, keeping labels in order of first
    /// appearance. Empty labels count as missing.
    pub fn from_labels<'a, I>(name: &str, values: I) -> Partition
    where
        I: IntoIterator<Item = Option<&'a str>>,
    {
        let mut lookup: rustc_hash::FxHashMap<&'a str, u32> = Default::default();
        let mut labels = Vec::new();
        let codes = values
            .into_iter()
            .map(|v| match v {
                Some(s) if !s.is_empty() => *lookup.entry(s).or_insert_with(|| {
                    labels.push(s.to_string());
                    (labels.len() - 1) as u32
                }),
                _ => MISSING,
            })
            .collect();
        Partition {
            name: name.to_string(),
            labels,
            codes,
        }
    }

    /// The label of firm `i`, or `None` when missing.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.codes
            .get(i)
            .and_then(|&c| self.labels.get(c as usize))
            .map(String::as_str)
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.labels.len()
    }

    /// The partition restricted to the given firms (labels kept, so codes stay comparable).
    pub(crate) fn select(&self, positions: &[u32]) -> Partition {
        Partition {
            name: self.name.clone(),
            labels: self.labels.clone(),
            codes: positions.iter().map(|&p| self.codes[p as usize]).collect(),
        }
    }
}

/// A numeric column of the firms (`sales`, `employees`, `lat`, …); NaN means missing.
/// Two attributes are equal when their names and values are, missing values matching.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attribute {
    /// The column's name.
    pub name: String,
    /// One value per firm, NaN for missing.
    pub values: Values<f64>,
}

impl PartialEq for Attribute {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.values.len() == other.values.len()
            && self
                .values
                .iter()
                .zip(&other.values)
                .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    }
}

impl Attribute {
    /// A named numeric column.
    pub fn new(name: &str, values: Vec<f64>) -> Self {
        Attribute {
            name: name.to_string(),
            values: values.into(),
        }
    }

    pub(crate) fn select(&self, positions: &[u32]) -> Attribute {
        Attribute {
            name: self.name.clone(),
            values: positions.iter().map(|&p| self.values[p as usize]).collect(),
        }
    }
}

/// The firms: ids plus any number of partitions and attributes, all of the same length.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FirmTable {
    /// One id per firm, unique.
    pub ids: FirmIds,
    /// Categorical columns.
    pub partitions: Vec<Partition>,
    /// Numeric columns (`lat` and `lon` are plain attributes with those names).
    pub attributes: Vec<Attribute>,
}

impl FirmTable {
    /// Appends firms known only from trades (`unknown_firms = Add`): every partition missing,
    /// every attribute NaN. Integer-id tables take only integer ids.
    pub(crate) fn add_unknown(
        &mut self,
        ids: Vec<String>,
        origin: &super::report::RowOrigin,
    ) -> crate::Result<()> {
        match &mut self.ids {
            FirmIds::Str(v) => v.extend(ids),
            FirmIds::Int(v) => {
                for id in ids {
                    let n = super::ids::canonical_int(&id).ok_or_else(|| {
                        crate::Error::input(
                            origin.location.clone(),
                            format!(
                                "unknown firm id '{}' cannot be added: the firm ids are integers",
                                crate::error::clip(&id)
                            ),
                        )
                    })?;
                    v.push(n);
                }
            }
        }
        let n = self.ids.len();
        for p in &mut self.partitions {
            p.codes = padded(std::mem::take(&mut p.codes), n, MISSING);
        }
        for a in &mut self.attributes {
            a.values = padded(std::mem::take(&mut a.values), n, f64::NAN);
        }
        Ok(())
    }

    /// A table of bare ids.
    pub fn new(ids: impl Into<FirmIds>) -> Self {
        FirmTable {
            ids: ids.into(),
            ..Default::default()
        }
    }

    /// Adds a partition from one optional label per firm.
    pub fn with_partition<'a>(
        mut self,
        name: &str,
        labels: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Self {
        self.partitions.push(Partition::from_labels(name, labels));
        self
    }

    /// Adds a numeric attribute.
    pub fn with_attribute(mut self, name: &str, values: Vec<f64>) -> Self {
        self.attributes.push(Attribute::new(name, values));
        self
    }
}

/// Supplier → customer trades (goods flow from supplier to customer; money the other way).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TradeTable {
    /// The selling firm of each trade.
    pub supplier: FirmIds,
    /// The buying firm of each trade.
    pub customer: FirmIds,
    /// Optional amount (≥ 0, finite), e.g. yearly sales of the supplier to the customer.
    pub amount: Option<Vec<f64>>,
    /// Optional year the link is first observed.
    pub year: Option<Vec<i32>>,
    /// Optional last year the link is observed (≥ `year`).
    pub last_year: Option<Vec<i32>>,
}

impl TradeTable {
    /// Trades without amounts or years.
    pub fn new(supplier: impl Into<FirmIds>, customer: impl Into<FirmIds>) -> Self {
        TradeTable {
            supplier: supplier.into(),
            customer: customer.into(),
            ..Default::default()
        }
    }

    /// Adds amounts.
    pub fn with_amount(mut self, amount: Vec<f64>) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Adds first-observed years.
    pub fn with_year(mut self, year: Vec<i32>) -> Self {
        self.year = Some(year);
        self
    }

    /// Adds last-observed years.
    pub fn with_last_year(mut self, last_year: Vec<i32>) -> Self {
        self.last_year = Some(last_year);
        self
    }
}

/// Undirected firm–firm collaborations (joint research, co-patenting).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CollaborationTable {
    /// One side of each tie.
    pub a: FirmIds,
    /// The other side.
    pub b: FirmIds,
    /// Optional year the tie is first observed.
    pub year: Option<Vec<i32>>,
}

impl CollaborationTable {
    /// Ties without years.
    pub fn new(a: impl Into<FirmIds>, b: impl Into<FirmIds>) -> Self {
        CollaborationTable {
            a: a.into(),
            b: b.into(),
            year: None,
        }
    }

    /// Adds years.
    pub fn with_year(mut self, year: Vec<i32>) -> Self {
        self.year = Some(year);
        self
    }
}

/// `v` lengthened to `n` with `fill` (moved, not copied, when `v` is owned alone).
fn padded<T: arrow_buffer::ArrowNativeType>(v: Values<T>, n: usize, fill: T) -> Values<T> {
    let mut v = v.into_vec();
    v.resize(n, fill);
    v.into()
}
