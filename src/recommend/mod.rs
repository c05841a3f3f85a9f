//! Partner recommendation for deals and joint research, learned from the network's history.
//!
//! A [`PartnerRecommender`] recommends new suppliers, new customers or joint-research
//! partners. Candidates come from the supplier/customer bipartite structure (the 3-hop
//! "firms that supply the firms like you", tier-2 suppliers, common partners), from the
//! collaboration graph, and from the most active firms of the markets (region × industry)
//! the firm's industry trades with. A logistic scoring of their features (paths, degrees,
//! industry-pair propensities, region, distance, local market share; see [`features`]) is
//! learned from the network itself: the links first seen in its last year are the
//! positives. With `reciprocal`, the partner's interest is scored by the other side's model
//! and the two are fused where that ranks held-out firms clearly better. Every
//! recommendation carries its evidence: shared partners, the industry pair's propensity,
//! the region relation and the distance.
//!
//! ```
//! use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request, SHARED_PARTNERS};
//! use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
//!
//! let net = synthetic_japan(&SyntheticConfig { n_firms: 3_000, ..Default::default() })?;
//! let fitted = PartnerRecommender::new(Options::new(Purpose::Supplier)).fit(&net)?;
//! let request = Request { firms: Some(vec![0, 1]), k: 5, ..Default::default() };
//! let recs = fitted.recommend(&net, &request)?;
//! assert!(recs.len() <= 10);
//! // Best first within each firm, with the evidence alongside.
//! assert_eq!(recs.rank[0], 1);
//! for r in 1..recs.len() {
//!     if recs.firm[r] == recs.firm[r - 1] {
//!         assert!(recs.score[r] <= recs.score[r - 1]);
//!     }
//! }
//! assert!(recs.shared_partners(0).len() <= SHARED_PARTNERS);
//! # Ok::<(), tsunagime::Error>(())
//! ```

mod baselines;
mod boost;
mod candidates;
mod context;
mod ease;
mod evaluate;
pub mod features;
mod fit;
mod model;
mod options;
mod record;
mod undirected;

#[allow(deprecated)]
pub use baselines::link_scores;
pub use baselines::{filter_scores, link_prediction_scores, Baseline, BASELINES};
pub use evaluate::{evaluate, evaluate_with, Evaluation, EvaluationOptions};
pub use fit::{prior, Labels, SideModel, Training, MIN_POSITIVES};
use model::Folded;
pub use model::Logistic;
pub use options::{Fusion, Options, Prefer, Purpose};

use crate::error::{Error, Result};
use crate::monitor::{in_blocks, Monitor, Quiet};
use crate::network::TradeNetwork;
use candidates::{gather, per_score, pool, Paths, Scratch};
use context::Context;
use features::row;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Most shared partners reported per recommendation.
pub const SHARED_PARTNERS: usize = 5;
/// Queries between two progress reports.
const BLOCK: usize = 1_024;
/// Training and evaluation queries between two progress reports (and Ctrl-C polls): each
/// builds the features of all its candidates, so a block costs more than a [`BLOCK`].
const QUERY_BLOCK: usize = 256;

/// A partner recommender before fitting: its options.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
/// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
/// let recs = fitted.recommend(&net, &Request { k: 5, ..Default::default() })?;
/// assert!(recs.len() <= 5 * net.n_firms());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerRecommender {
    /// What to recommend and how.
    pub options: Options,
}

impl PartnerRecommender {
    /// A recommender with these options.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let rec = PartnerRecommender::new(Options::new(Purpose::Research));
    /// assert!(rec.fit(&net).is_ok());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn new(options: Options) -> PartnerRecommender {
        PartnerRecommender { options }
    }

    /// Learns the scoring from `net`'s history (both sides when reciprocal).
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// assert_eq!(fitted.columns(&fitted.prepare(&net)?).0.as_deref(), Some("prefecture"));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn fit(&self, net: &TradeNetwork) -> Result<FittedRecommender> {
        self.fit_with(net, &Quiet)
    }

    /// [`Self::fit`] reporting progress to a [`Monitor`], which can also stop it.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let again = PartnerRecommender::new(Options::new(Purpose::Customer)).fit_with(&net, &tsunagime::Quiet)?;
    /// assert_eq!(again.to_bytes()?, fitted.to_bytes()?); // deterministic
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn fit_with(&self, net: &TradeNetwork, monitor: &dyn Monitor) -> Result<FittedRecommender> {
        let o = &self.options;
        o.validate()?;
        // Fail early on bad region/industry names or missing coordinates.
        Context::validate(net, o)?;
        let (firm, held) = fit::learn(net, o, o.purpose, &FxHashSet::default(), monitor)?;
        let checks = held.checks;
        // The partner's side learns without the links the fusion is judged on: it would
        // otherwise have learned them as its own positives, and the fusion would be judged
        // on links it has seen.
        let partner = match (o.reciprocal, o.purpose) {
            (true, Purpose::Supplier | Purpose::Customer) => {
                let unseen = held.links.iter().map(|&(q, p)| (p, q)).collect();
                Some(fit::learn(net, o, o.purpose.reverse(), &unseen, monitor)?.0)
            }
            _ => None,
        };
        // Fuse the two sides' interest only where that ranks the held-out firms' new links
        // clearly better than the firm's own score: a fusion chosen by a hair on a few dozen
        // firms follows chance, and then costs recall (see `fit::CLEAR`).
        let fuse = match &partner {
            Some(p) if !checks.is_empty() => {
                let (a, b) = (firm.model.folded(), p.model.folded());
                fit::clearly_better(
                    &checks,
                    |x| o.fusion.fuse(a.probability(x), b.probability(x)),
                    |x| a.probability(x),
                )
            }
            _ => o.reciprocal,
        };
        Ok(FittedRecommender {
            options: o.clone(),
            firm,
            partner,
            fuse,
        })
    }
}

/// What to recommend: for which firms, how many, among which firms, avoiding which pairs.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
/// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
/// let recs = fitted.recommend(&net, &Request { firms: Some(vec![0, 1]), k: 3, ..Default::default() })?;
/// assert!(recs.firm.iter().all(|&f| f < 2) && recs.rank.iter().all(|&r| (1..=3).contains(&r)));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The firms (indices) to recommend partners to; `None` = every firm.
    pub firms: Option<Vec<u32>>,
    /// Partners per firm.
    pub k: usize,
    /// Score exactly these firms as partners (e.g. a summit's participants).
    pub among: Option<Vec<u32>>,
    /// Pairs (either order) never recommended.
    pub forbidden: Vec<(u32, u32)>,
}

/// Recommendations, one row per (firm, partner), best first within a firm.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
/// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
/// let recs = fitted.recommend(&net, &Request { firms: Some(vec![0, 1]), k: 3, ..Default::default() })?;
/// assert_eq!(recs.rank[0], 1);
/// assert!(recs.score[0] >= recs.score[1] || recs.firm[0] != recs.firm[1]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recommendations {
    /// The firm (index).
    pub firm: Vec<u32>,
    /// The recommended partner (index).
    pub partner: Vec<u32>,
    /// 1 for the best partner of the firm.
    pub rank: Vec<u32>,
    /// The score ranked by: fused when reciprocal, else the firm's one-way score.
    pub score: Vec<f64>,
    /// The firm's one-way score (probability of the new link from its side).
    pub firm_score: Vec<f64>,
    /// The partner's one-way score (NaN when not reciprocal).
    pub partner_score: Vec<f64>,
    /// Offsets of each row's shared partners in `shared`.
    pub shared_offsets: Vec<usize>,
    /// Shared partners (indices), up to [`SHARED_PARTNERS`] per row, strongest first.
    pub shared: Vec<u32>,
    /// Industry-pair propensity: the share of the customer industry's purchases from the
    /// supplier industry (research: collaborations over chance). NaN without industries.
    pub propensity: Vec<f64>,
    /// Whether the partner is in the firm's region (`None` when unknown).
    pub same_region: Vec<Option<bool>>,
    /// Distance in km (NaN without coordinates).
    pub distance_km: Vec<f64>,
}

impl Recommendations {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.firm.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.firm.is_empty()
    }

    /// The shared partners of row `r`.
    pub fn shared_partners(&self, r: usize) -> &[u32] {
        &self.shared[self.shared_offsets[r]..self.shared_offsets[r + 1]]
    }
}

/// A fitted recommender: its options and the learned scoring of each side.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
/// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
/// let restored = tsunagime::recommend::FittedRecommender::from_bytes(&fitted.to_bytes()?)?;
/// assert_eq!(restored.recommend(&net, &Request { k: 2, ..Default::default() })?, fitted.recommend(&net, &Request { k: 2, ..Default::default() })?);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedRecommender {
    /// The options it was fitted with.
    pub options: Options,
    /// The scoring from the firm's side.
    pub firm: SideModel,
    /// The scoring from the partner's side (reciprocal supplier/customer purposes).
    pub partner: Option<SideModel>,
    /// Whether the ranking fuses both sides' scores (with `reciprocal`, when that ranked the
    /// held-out firms clearly better than the firm's own score: by more than two standard
    /// errors of the difference).
    pub fuse: bool,
}

/// A fitted recommender ready for one network: the network facts read once.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
/// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
/// let prepared = fitted.prepare(&net)?;
/// let recs = fitted.recommend_prepared(&net, &prepared, &Request { k: 2, ..Default::default() }, &tsunagime::Quiet)?;
/// assert!(!recs.is_empty());
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub struct Prepared {
    ctx: Context,
}

impl FittedRecommender {
    /// Reads what the scoring needs from `net` once, for many [`Self::recommend_prepared`]
    /// calls.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let prepared = fitted.prepare(&net)?;
    /// assert_eq!(fitted.columns(&prepared).1.as_deref(), Some("industry"));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn prepare(&self, net: &TradeNetwork) -> Result<Prepared> {
        Ok(Prepared {
            ctx: Context::new(net, &self.options)?,
        })
    }

    /// The fitted recommender as bytes (postcard), for saving and pickling.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// assert!(!fitted.to_bytes()?.is_empty());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::Encode(e.to_string()))
    }

    /// A fitted recommender from [`Self::to_bytes`], checked so that no byte string can
    /// make it misbehave.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// use tsunagime::recommend::FittedRecommender;
    /// assert!(FittedRecommender::from_bytes(&fitted.to_bytes()?).is_ok());
    /// assert!(FittedRecommender::from_bytes(b"junk").is_err());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<FittedRecommender> {
        let f: FittedRecommender =
            postcard::from_bytes(bytes).map_err(|e| Error::Decode(e.to_string()))?;
        f.options
            .validate()
            .map_err(|e| Error::Decode(e.to_string()))?;
        let sides = [Some(&f.firm), f.partner.as_ref()];
        for side in sides.into_iter().flatten() {
            let m = &side.model;
            let d = features::names(side.training.purpose).len();
            let fine = [m.names.len(), m.coef.len(), m.mean.len(), m.scale.len()]
                .iter()
                .all(|&l| l == d)
                && m.coef.iter().chain(&m.mean).all(|x| x.is_finite())
                && m.scale.iter().all(|s| s.is_finite() && *s > 0.0)
                && m.intercept.is_finite()
                && boost::valid(&m.trees, d)
                && (m.gain.is_empty() || m.gain.len() == d)
                && m.gain.iter().all(|g| g.is_finite());
            if !fine {
                return Err(Error::Decode(
                    "the recommender's weights are inconsistent".into(),
                ));
            }
        }
        Ok(f)
    }

    /// The names of the partitions used as region and industry, if any.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let (region, industry) = fitted.columns(&fitted.prepare(&net)?);
    /// assert_eq!((region.as_deref(), industry.as_deref()), (Some("prefecture"), Some("industry")));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn columns(&self, prepared: &Prepared) -> (Option<String>, Option<String>) {
        (
            prepared.ctx.region_name.clone(),
            prepared.ctx.industry_name.clone(),
        )
    }

    /// Recommends partners on `net` (usually the network it was fitted on).
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let recs = fitted.recommend(&net, &Request { firms: Some(vec![0, 1]), k: 3, ..Default::default() })?;
    /// assert!(recs.partner.iter().zip(&recs.firm).all(|(p, f)| !net.has_trade(*f, *p)));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn recommend(&self, net: &TradeNetwork, request: &Request) -> Result<Recommendations> {
        let prepared = self.prepare(net)?;
        self.recommend_prepared(net, &prepared, request, &Quiet)
    }

    /// The scoring of both sides, ready for many rows.
    fn scorer(&self) -> Scorer {
        Scorer {
            firm: self.firm.model.folded(),
            partner: self.partner.as_ref().map(|p| p.model.folded()),
            reciprocal: self.options.reciprocal,
            fuse: self.fuse,
            fusion: self.options.fusion,
        }
    }

    /// [`Self::recommend`] with the network facts read beforehand, reporting progress.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let prepared = fitted.prepare(&net)?;
    /// let request = Request { firms: Some(vec![3]), k: 4, ..Default::default() };
    /// let recs = fitted.recommend_prepared(&net, &prepared, &request, &tsunagime::Quiet)?;
    /// assert!(recs.firm.iter().all(|&f| f == 3));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn recommend_prepared(
        &self,
        net: &TradeNetwork,
        prepared: &Prepared,
        request: &Request,
        monitor: &dyn Monitor,
    ) -> Result<Recommendations> {
        let ctx = &prepared.ctx;
        ctx.check(net)?;
        let n = net.n_firms() as u32;
        if request.k == 0 {
            return Err(Error::parameter("k", "must be at least 1"));
        }
        let check = |list: &[u32], what: &'static str| match list.iter().find(|&&i| i >= n) {
            Some(i) => Err(Error::parameter(
                what,
                format!("index {i} is out of range (the network has {n} firms)"),
            )),
            None => Ok(()),
        };
        let all: Vec<u32>;
        let firms = match &request.firms {
            Some(f) => {
                check(f, "firms")?;
                f.as_slice()
            }
            None => {
                all = (0..n).collect();
                &all
            }
        };
        if let Some(a) = &request.among {
            check(a, "among")?;
        }
        let forbidden: FxHashSet<(u32, u32)> = request
            .forbidden
            .iter()
            .map(|&(a, b)| (a.min(b), a.max(b)))
            .collect();
        let mut out = Recommendations {
            shared_offsets: vec![0],
            ..Default::default()
        };
        let pool = pool(n as usize);
        let job = Job {
            ctx,
            net,
            scorer: self.scorer(),
            request,
            forbidden,
        };
        in_blocks(firms, BLOCK, "recommending", monitor, |_, block| {
            let parts: Vec<Vec<Pick>> = block
                .par_iter()
                .map(|&q| pool.with(|scratch| self.one(&job, q, scratch)))
                .collect();
            for (&q, picks) in block.iter().zip(parts) {
                for (rank, pick) in picks.into_iter().enumerate() {
                    self.push(ctx, &mut out, q, rank as u32 + 1, pick);
                }
            }
        })?;
        Ok(out)
    }

    /// Whether the options' region and distance filters let `v` partner `q`.
    fn allowed(&self, ctx: &Context, q: u32, v: u32) -> bool {
        let o = &self.options;
        if let (Some(p), Some(r)) = (o.prefer, &ctx.regions) {
            let same = r.same(q, v);
            if same != (p == Prefer::InRegion) || !r.known(q) || !r.known(v) {
                return false;
            }
        }
        match o.max_distance_km {
            Some(max) => ctx.distance(q, v).is_some_and(|d| d <= max),
            None => true,
        }
    }

    /// The best partners of firm `q`, best first.
    fn one(&self, job: &Job, q: u32, scratch: &mut Scratch) -> Vec<Pick> {
        let Job {
            ctx,
            net,
            scorer,
            request,
            forbidden,
        } = job;
        gather(
            ctx,
            net,
            &self.options,
            q,
            request.among.as_deref(),
            per_score(request.k),
            scratch,
        );
        let purpose = self.options.purpose;
        features::warm(ctx, &scratch.out);
        let kept: Vec<&Paths> = scratch
            .out
            .iter()
            .filter(|c| {
                self.allowed(ctx, q, c.firm) && !forbidden.contains(&(q.min(c.firm), q.max(c.firm)))
            })
            .collect();
        let rows: Vec<features::Row> = kept.iter().map(|c| row(ctx, net, purpose, q, c)).collect();
        let firms: Vec<u32> = kept.iter().map(|c| c.firm).collect();
        let scored = scorer.best(&rows, &firms, request.k);
        let tops: Vec<u32> = scored.iter().map(|t| t.3).collect();
        let shared = scratch.shared_partners(&tops, SHARED_PARTNERS);
        scored
            .into_iter()
            .zip(shared)
            .map(
                |((score, firm_score, partner_score, partner), shared)| Pick {
                    partner,
                    score,
                    firm_score,
                    partner_score,
                    shared,
                },
            )
            .collect()
    }

    /// Appends the row of `pick`, the `rank`-th partner of `q`, with its evidence.
    fn push(&self, ctx: &Context, out: &mut Recommendations, q: u32, rank: u32, pick: Pick) {
        let v = pick.partner;
        out.firm.push(q);
        out.partner.push(v);
        out.rank.push(rank);
        out.score.push(pick.score);
        out.firm_score.push(pick.firm_score);
        out.partner_score.push(pick.partner_score);
        out.shared.extend(pick.shared);
        out.shared_offsets.push(out.shared.len());
        out.propensity
            .push(propensity(ctx, self.options.purpose, q, v));
        out.same_region.push(
            ctx.regions
                .as_ref()
                .filter(|g| g.known(q) && g.known(v))
                .map(|g| g.same(q, v)),
        );
        out.distance_km.push(ctx.distance(q, v).unwrap_or(f64::NAN));
    }
}

/// One recommended partner of a query, as its thread found it.
struct Pick {
    partner: u32,
    score: f64,
    firm_score: f64,
    partner_score: f64,
    shared: Vec<u32>,
}

/// What every query of one recommend call shares.
struct Job<'a> {
    ctx: &'a Context,
    net: &'a TradeNetwork,
    scorer: Scorer,
    request: &'a Request,
    forbidden: FxHashSet<(u32, u32)>,
}

/// Both sides' scorings, folded for speed.
struct Scorer {
    firm: Folded,
    partner: Option<Folded>,
    reciprocal: bool,
    fuse: bool,
    fusion: Fusion,
}

impl Scorer {
    /// For each pair's row: the score ranked by, and the one-way scores from the firm's and
    /// the partner's side (NaN for the partner when not reciprocal).
    fn scores(&self, rows: &[features::Row]) -> Vec<(f64, f64, f64)> {
        self.scored(rows, self.reciprocal)
    }

    /// [`Self::scores`], the partner's side only `with_partner` (else NaN, and the firm's
    /// own score ranks).
    fn scored(&self, rows: &[features::Row], with_partner: bool) -> Vec<(f64, f64, f64)> {
        let mut a = vec![0.0; rows.len()];
        self.firm.probabilities(rows, &mut a);
        let b = match with_partner {
            true => self.partner_scores(rows, &a),
            false => vec![f64::NAN; rows.len()],
        };
        a.into_iter()
            .zip(b)
            .map(|(a, b)| {
                let score = if with_partner && self.fuse {
                    self.fusion.fuse(a, b)
                } else {
                    a
                };
                (score, a, b)
            })
            .collect()
    }

    /// The partner side's scores of `rows`, whose firm-side scores are `firm`: without a
    /// partner model (research), the firm's own.
    fn partner_scores(&self, rows: &[features::Row], firm: &[f64]) -> Vec<f64> {
        let Some(p) = &self.partner else {
            return firm.to_vec();
        };
        let mut b = vec![0.0; rows.len()];
        p.probabilities(rows, &mut b);
        b
    }

    /// The best `k` rows of `firms` as [`Self::scores`] ranks them (ties by firm), best
    /// first, with the partner. When the ranking is the firm's own score, the partner's
    /// side scores those `k` rows only.
    fn best(&self, rows: &[features::Row], firms: &[u32], k: usize) -> Vec<(f64, f64, f64, u32)> {
        let later = self.reciprocal && !self.fuse;
        let mut best: Vec<(f64, f64, f64, u32, usize)> = self
            .scored(rows, self.reciprocal && self.fuse)
            .into_iter()
            .zip(firms)
            .enumerate()
            .map(|(i, ((s, a, b), &f))| (s, a, b, f, i))
            .collect();
        let order = |x: &(f64, f64, f64, u32, usize), y: &(f64, f64, f64, u32, usize)| {
            y.0.total_cmp(&x.0).then(x.3.cmp(&y.3))
        };
        if best.len() > k {
            best.select_nth_unstable_by(k, order);
            best.truncate(k);
        }
        best.sort_unstable_by(order);
        if later {
            let picked: Vec<features::Row> = best.iter().map(|t| rows[t.4]).collect();
            let own: Vec<f64> = best.iter().map(|t| t.1).collect();
            let b = self.partner_scores(&picked, &own);
            best.iter_mut().zip(b).for_each(|(t, b)| t.2 = b);
        }
        best.into_iter()
            .map(|(s, a, b, f, _)| (s, a, b, f))
            .collect()
    }
}

/// The industry-pair propensity of the pair, as reported in the evidence.
fn propensity(ctx: &Context, purpose: Purpose, q: u32, v: u32) -> f64 {
    let Some(ind) = &ctx.industries else {
        return f64::NAN;
    };
    let k = ind.k();
    let (a, b) = (ind.of(q) as usize, ind.of(v) as usize);
    match purpose {
        Purpose::Supplier => ind.supply[a * k + b],
        Purpose::Customer => ind.supply[b * k + a],
        Purpose::Research => ind.research[a * k + b],
    }
}
