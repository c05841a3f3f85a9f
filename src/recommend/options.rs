//! What a recommender is asked to do: the purpose, region and distance constraints, how the
//! two sides' interests are fused.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// What partners are recommended to a firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// New suppliers for the firm (it buys from them).
    Supplier,
    /// New customers for the firm (it sells to them).
    Customer,
    /// Joint-research partners (undirected).
    Research,
}

impl Purpose {
    /// The name used in options and tables.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Supplier => "supplier",
            Purpose::Customer => "customer",
            Purpose::Research => "research",
        }
    }

    /// The purpose seen from the partner's side: a firm's new supplier gains a customer.
    pub fn reverse(self) -> Purpose {
        match self {
            Purpose::Supplier => Purpose::Customer,
            Purpose::Customer => Purpose::Supplier,
            Purpose::Research => Purpose::Research,
        }
    }
}

/// Where the partners should be, relative to the firm's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Prefer {
    /// Only partners in the firm's region (local procurement: the hub function).
    InRegion,
    /// Only partners outside the firm's region (outside demand: the connector function).
    OutRegion,
}

/// How the firm's and the partner's one-way scores make one reciprocal score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fusion {
    /// 2ab / (a + b): high only when both sides are interested.
    Harmonic,
    /// √(ab).
    Geometric,
    /// min(a, b).
    Min,
    /// ab: the probability that both are interested, if independent.
    Product,
}

impl Fusion {
    /// The fused score of two one-way scores in [0, 1].
    pub fn fuse(self, a: f64, b: f64) -> f64 {
        match self {
            Fusion::Harmonic if a + b > 0.0 => 2.0 * a * b / (a + b),
            Fusion::Harmonic => 0.0,
            Fusion::Geometric => (a * b).sqrt(),
            Fusion::Min => a.min(b),
            Fusion::Product => a * b,
        }
    }
}

named!(Purpose, "purpose", "supplier" => Purpose::Supplier, "customer" => Purpose::Customer,
    "research" => Purpose::Research);
named!(Prefer, "prefer", "in_region" => Prefer::InRegion, "out_region" => Prefer::OutRegion);
named!(Fusion, "fusion", "harmonic" => Fusion::Harmonic, "geometric" => Fusion::Geometric,
    "min" => Fusion::Min, "product" => Fusion::Product);

/// List entries read for all the firms of a network when no budget is given.
pub(crate) const NETWORK_WORK: usize = 2_000_000_000;
/// The least and the most a query's automatic work budget can be.
pub(crate) const AUTO_BUDGET: (usize, usize) = (2_000, 2_000_000);
/// The smallest work budget a query can be given.
pub(crate) const MIN_BUDGET: usize = 1_000;

/// The recommender's parameters (scikit-learn style: set at construction, learned state apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// What partners to recommend.
    pub purpose: Purpose,
    /// Partition naming regions; `None` uses `prefecture` when the network has it.
    pub region: Option<String>,
    /// Partition naming industries; `None` uses `industry` when the network has it.
    pub industry: Option<String>,
    /// Keep only partners inside (or outside) the firm's region.
    pub prefer: Option<Prefer>,
    /// Keep only partners at most this far (needs `lat`/`lon` attributes).
    pub max_distance_km: Option<f64>,
    /// Leave out firms that already are partners of that kind.
    pub exclude_existing: bool,
    /// Score both sides' interest and fuse them where that ranks held-out firms clearly
    /// better ([`FittedRecommender::fuse`](super::FittedRecommender::fuse)); else the
    /// firm's side only.
    pub reciprocal: bool,
    /// How the two sides are fused.
    pub fusion: Fusion,
    /// Seed of every sampling choice (training queries, negatives, hold-out links).
    pub seed: u64,
    /// Most query firms used to learn the scoring.
    pub max_train_queries: usize,
    /// L2 penalty of the logistic scoring (on standardised features).
    pub l2: f64,
    /// Most list entries read per query firm when gathering candidates: exact below it,
    /// sampled beyond (see the `candidates` module). `None` bounds the work of the whole
    /// network instead (see [`Options::budget_for`]).
    pub budget: Option<usize>,
    /// EASE's penalty λ (Steck 2019), for its feature and baseline.
    pub ease_l2: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            purpose: Purpose::Supplier,
            region: None,
            industry: None,
            prefer: None,
            max_distance_km: None,
            exclude_existing: true,
            reciprocal: true,
            fusion: Fusion::Harmonic,
            seed: 0,
            max_train_queries: 4_000,
            l2: 1.0,
            budget: None,
            ease_l2: 50.0,
        }
    }
}

impl Options {
    /// Options for a purpose, the rest default.
    pub fn new(purpose: Purpose) -> Options {
        Options {
            purpose,
            ..Default::default()
        }
    }

    /// The work budget of one query on a network of `n_firms` firms: the one given, else
    /// 2·10⁹ list entries shared by all the firms, between 2,000 and 2,000,000 a query.
    /// Up to 1M firms, every firm's recommendations together then read at most about 2·10⁹
    /// list entries: exact on networks of up to 1,000 firms, and on the larger ones whose 3-step neighbourhoods
    /// fit (each peer's list is read once, so a query never reads much more than twice the
    /// trades); sampled on the hubs of national networks (2,000 entries a firm at 1M firms).
    ///
    /// ```
    /// use tsunagime::recommend::{Options, Purpose};
    /// let o = Options::new(Purpose::Supplier);
    /// assert_eq!((o.budget_for(20_000), o.budget_for(1_000_000)), (100_000, 2_000));
    /// let fixed = Options { budget: Some(5_000), ..o };
    /// assert_eq!(fixed.budget_for(1_000_000), 5_000);
    /// ```
    pub fn budget_for(&self, n_firms: usize) -> usize {
        self.budget
            .unwrap_or_else(|| (NETWORK_WORK / n_firms.max(1)).clamp(AUTO_BUDGET.0, AUTO_BUDGET.1))
    }

    /// Checks the numeric parameters.
    pub fn validate(&self) -> Result<()> {
        if let Some(d) = self.max_distance_km {
            if d.is_nan() || d < 0.0 {
                return Err(Error::parameter(
                    "max_distance_km",
                    format!("{d} is not a distance ≥ 0"),
                ));
            }
        }
        if self.max_train_queries == 0 {
            return Err(Error::parameter("max_train_queries", "must be at least 1"));
        }
        if let Some(b) = self.budget.filter(|&b| b < MIN_BUDGET) {
            return Err(Error::parameter(
                "budget",
                format!("{b} is too small: give at least {MIN_BUDGET} list entries"),
            ));
        }
        if !(self.ease_l2 > 0.0 && self.ease_l2.is_finite()) {
            return Err(Error::parameter(
                "ease_l2",
                format!("{} is not a finite penalty > 0", self.ease_l2),
            ));
        }
        if !(self.l2 >= 0.0 && self.l2.is_finite()) {
            return Err(Error::parameter(
                "l2",
                format!("{} is not a finite penalty ≥ 0", self.l2),
            ));
        }
        Ok(())
    }
}
