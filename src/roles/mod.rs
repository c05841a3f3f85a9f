//! Linkage roles of firms in their regional economy: connector hubs, Gould–Fernandez
//! brokerage, Guimerà–Amaral cartography, firm-level ripple multipliers and METI-style
//! leading-firm selection. Every function takes the region as the name of a partition
//! (`"prefecture"`, `"bloc"`, …), so hierarchies are just several columns.
//!
//! Firms whose region is missing form one group of their own (as a missing class does in R's
//! `sna`); the results say so by their region label `None`.

pub mod brokerage;
pub mod cartography;
pub mod linkage;
pub mod ripple;
pub mod selection;

pub use brokerage::{
    brokerage, brokerage_of, brokerage_weighted, brokerage_with, Brokerage, BrokerageMoments, Role,
    ROLES,
};
pub use cartography::{cartography, Cartography, CartographyOptions, Direction, CARTOGRAPHY_ROLES};
pub use linkage::{linkage, linkage_of, Linkage, LinkageRole, LinkageThresholds};
pub use ripple::{ripple, ripple_of, Ripple, RippleOptions};
pub use selection::{
    meti_2019_indicators, select, select_leading_firms, Indicator, Selection, SelectionRule,
};

use crate::error::{Error, Result};
use crate::network::{TradeNetwork, MISSING};

/// The groups of one partition as dense codes, the missing value being a group of its own
/// (the last one) when any firm lacks a label.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::Groups;
/// let g = Groups::of(&net, "region")?;
/// assert_eq!((g.code.clone(), g.n_groups), (vec![0, 0, 1], 2));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Groups {
    /// Group of each firm.
    pub code: Vec<u32>,
    /// Number of groups (labels, plus one when some firm is missing).
    pub n_groups: usize,
    /// Group labels; `None` for the missing group.
    pub labels: Vec<Option<String>>,
}

impl Groups {
    /// The groups of partition `name`.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert_eq!(g.labels[1].as_deref(), Some("Y"));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn of(net: &TradeNetwork, name: &str) -> Result<Groups> {
        let p = net.partition(name)?;
        let k = p.labels.len() as u32;
        let any_missing = p.codes.contains(&MISSING);
        let code = p
            .codes
            .iter()
            .map(|&c| if c == MISSING { k } else { c })
            .collect();
        let mut labels: Vec<Option<String>> = p.labels.iter().cloned().map(Some).collect();
        if any_missing {
            labels.push(None);
        }
        Ok(Groups {
            code,
            n_groups: labels.len(),
            labels,
        })
    }

    /// Number of groups.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert_eq!(g.len(), 2);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.n_groups
    }

    /// Whether there are no groups.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert!(!g.is_empty());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.n_groups == 0
    }

    /// Whether firm `i` has a label.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert!(g.known(0));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn known(&self, i: u32) -> bool {
        self.labels[self.code[i as usize] as usize].is_some()
    }

    /// Whether two firms have the same known label.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert!(g.same(0, 1) && !g.same(1, 2));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn same(&self, a: u32, b: u32) -> bool {
        self.known(a) && self.code[a as usize] == self.code[b as usize]
    }

    /// Number of firms in each group.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert_eq!(g.sizes(), vec![2, 1]);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn sizes(&self) -> Vec<u64> {
        let mut n = vec![0u64; self.n_groups];
        for &c in &self.code {
            n[c as usize] += 1;
        }
        n
    }

    /// Whether each group holds one of the firms `firms` (every group when `None`).
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::Groups;
    /// let g = Groups::of(&net, "region")?;
    /// assert_eq!(g.holding(Some(&[2])), vec![false, true]);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn holding(&self, firms: Option<&[u32]>) -> Vec<bool> {
        match firms {
            None => vec![true; self.n_groups],
            Some(f) => {
                let mut held = vec![false; self.n_groups];
                for &i in f {
                    held[self.code[i as usize] as usize] = true;
                }
                held
            }
        }
    }
}

/// Checks that `firms` (the positions a `*_of` function is asked for) are firms of `net`.
pub(crate) fn check_firms(net: &TradeNetwork, firms: Option<&[u32]>) -> Result<()> {
    let n = net.n_firms();
    match firms.and_then(|f| f.iter().find(|&&b| b as usize >= n)) {
        Some(&bad) => Err(Error::parameter(
            "firms",
            format!("position {bad} is not below the {n} firms"),
        )),
        None => Ok(()),
    }
}

/// The rows `firms` of a per-firm column, in their order (the whole column when `None`).
pub(crate) fn rows<T: Copy>(column: Vec<T>, firms: Option<&[u32]>) -> Vec<T> {
    match firms {
        None => column,
        Some(f) => f.iter().map(|&i| column[i as usize]).collect(),
    }
}
