//! A seeded, Japan-like regional economy for examples, tests and benchmarks.
//!
//! [`synthetic_japan`] places firms in the 47 real prefectures (in proportion to real firm
//! counts, around the prefectural capitals), gives them one of 20 industries, Pareto sizes and
//! a four-year panel of sales, employees and operating profit, and wires them into a
//! supplier → customer network whose shape follows what studies of Japan's nation-wide
//! production network report: heavy-tailed degrees (customer counts heavier than supplier
//! counts), mostly local trade, disassortative mixing, few triangles but many 4-cycles, and
//! yearly link turnover. New links in later years form by the same mechanisms, so that a
//! temporal hold-out has real signal. Every target, its source and the measured figure are in
//! `docs/calibration.md`; [`calibration`] measures them on any network.

mod calibration;
mod generator;
pub mod japan;
pub mod korea;
mod sampling;

pub use calibration::{calibration, calibration_with, Calibration};
pub use generator::{synthetic_japan, synthetic_japan_with, synthetic_korea};

/// The country whose regions the synthetic economy uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Country {
    /// Japan's 47 prefectures: partitions `prefecture`, `prefecture_code`, `bloc`.
    #[default]
    Japan,
    /// Korea's 17 시도: partitions `province`, `province_code`, `bloc`.
    Korea,
}

named!(Country, "country", "jp" => Country::Japan, "kr" => Country::Korea);

impl Country {
    /// The regions, with codes, names, seats and firm weights.
    pub fn regions(self) -> &'static [japan::Prefecture] {
        match self {
            Country::Japan => &japan::PREFECTURES,
            Country::Korea => &korea::PROVINCES,
        }
    }

    /// The name of the region partition: `prefecture` or `province`.
    pub fn region(self) -> &'static str {
        match self {
            Country::Japan => "prefecture",
            Country::Korea => "province",
        }
    }
}

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Parameters of the synthetic economy. `Default` gives the calibrated values.
///
/// ```
/// use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// let net = synthetic_japan(&SyntheticConfig { n_firms: 1_000, seed: 7, ..Default::default() })?;
/// assert_eq!(net.n_firms(), 1_000);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyntheticConfig {
    /// Number of firms.
    pub n_firms: usize,
    /// Random seed: the same seed gives the same economy.
    pub seed: u64,
    /// First year of the panel.
    pub start_year: i32,
    /// Last year of the panel (inclusive).
    pub end_year: i32,
    /// Trade rows (links ever observed) per firm over the whole panel.
    pub mean_degree: f64,
    /// Probability that a link active in one year is still active the next.
    pub survival: f64,
    /// Probability that a firm looks for a supplier in its own prefecture first.
    pub local_share: f64,
    /// Share of initial links formed by copying a peer's supplier (closing 4-cycles).
    pub copy_share: f64,
    /// Share of new links in later years formed by copying a peer's supplier.
    pub copy_share_new: f64,
    /// Joint-research collaborations per firm.
    pub collaboration_rate: f64,
    /// Whose regions.
    #[serde(default)]
    pub country: Country,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            n_firms: 10_000,
            seed: 0,
            start_year: 2016,
            end_year: 2019,
            mean_degree: 5.0,
            survival: 0.92,
            local_share: 0.85,
            copy_share: 0.5,
            copy_share_new: 0.6,
            collaboration_rate: 0.02,
            country: Country::Japan,
        }
    }
}

impl SyntheticConfig {
    /// Checks every parameter, naming the first one out of range.
    ///
    /// ```
    /// use tsunagime::synthetic::SyntheticConfig;
    /// assert!(SyntheticConfig::default().validate().is_ok());
    /// assert!(SyntheticConfig { survival: 1.5, ..Default::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let unit = |name: &'static str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::parameter(name, format!("{v} is not in [0, 1]")))
            }
        };
        if self.n_firms == 0 || self.n_firms > 50_000_000 {
            return Err(Error::parameter(
                "n_firms",
                format!("{} is not in 1..=50,000,000", self.n_firms),
            ));
        }
        let years = crate::network::YEARS;
        if !years.contains(&self.start_year) || !years.contains(&self.end_year) {
            return Err(Error::parameter(
                "start_year",
                format!("years must be in {}..={}", years.start(), years.end()),
            ));
        }
        if self.end_year < self.start_year || self.end_year - self.start_year > 50 {
            return Err(Error::parameter(
                "end_year",
                format!(
                    "{} must be from start_year {} to 50 years later",
                    self.end_year, self.start_year
                ),
            ));
        }
        if !(self.mean_degree > 0.0 && self.mean_degree <= 100.0) {
            return Err(Error::parameter(
                "mean_degree",
                format!("{} is not in (0, 100]", self.mean_degree),
            ));
        }
        unit("survival", self.survival)?;
        unit("local_share", self.local_share)?;
        unit("copy_share", self.copy_share)?;
        unit("copy_share_new", self.copy_share_new)?;
        if !(0.0..=10.0).contains(&self.collaboration_rate) {
            return Err(Error::parameter(
                "collaboration_rate",
                format!("{} is not in [0, 10]", self.collaboration_rate),
            ));
        }
        Ok(())
    }
}
