//! How a loss of production capacity travels through the supply network.
//!
//! A firm-level propagation model after Inoue & Todo ("Firm-level propagation of shocks
//! through supply-chain networks", Nature Sustainability 2:841–847, 2019), the dynamics of
//! ARIO (Hallegatte 2008) on a network of firms instead of sectors. Each day, for each firm
//! `i` with steady daily output `x_i`, input coefficients `a_ri = Z_ri / x_i` pooled by the
//! supplier's industry `r` (every supplier its own input without an industry partition) and
//! final demand `c_i = x_i − Σ_k Z_ik`:
//!
//! 1. **Demand** `D_i = Σ_k O_ik + c_i`: the orders its customers placed the day before and
//!    final demand, held at its steady level.
//! 2. **Production** `p_i = min(cap_i, D_i, min_r S_ri / a_ri)`: capacity
//!    `cap_i = x_i (1 − δ_i(t))`, where the damage `δ_i(t) = δ_i (1 − recovery)^t` heals a
//!    share `recovery` of what is left each day; demand; and the scarcest input pool (Leontief,
//!    no substitution between industries). With ARIO's `ψ` the last term is
//!    `S_ri / (ψ n a_ri)`: production falls as soon as a stock is below `ψ` of its target.
//! 3. **Rationing** when `p_i < D_i`: `Proportional` serves every order and final demand in
//!    the same share `p_i / D_i`; `FinalDemandLast` serves firms first (in proportion to their
//!    orders) and final demand with what is left (Inoue & Todo's two extreme rules);
//!    `Priority` serves whole orders one customer at a time, the largest usual buyer (steady
//!    amount `Z_ik`) first, then final demand (the priority rule of Pichler & Farmer,
//!    "Simultaneous supply and demand constraints in input–output networks", Economic Systems
//!    Research 34, 2022, ranked by the lasting relationship rather than the day's order).
//! 4. **Inventories** `S_ri += Σ_{j∈r} delivered_ji − a_ri p_i`.
//! 5. **Orders** for the next day, split among a pool's suppliers in their steady shares
//!    `Z_ji / Z_ri` or, with `substitution` `σ > 0`, in the shares
//!    `Z_ji (1 − σ (1 − r_j)) / Σ_{l∈r} Z_li (1 − σ (1 − r_l))`, where
//!    `r_j = min(x_j, cap_j, min_r S_rj / a_rj) / x_j` is the share of its usual output supplier
//!    `j` can make that day: customers move orders from a stricken supplier to the other
//!    suppliers of the same pool they already buy from (Inoue & Todo's substitution among
//!    existing suppliers; a pool per supplier leaves nothing to move to). Inoue & Todo's `max(0, a_ri D_i + (n a_ri D_i − S_ri) / τ)` (replace what
//!    demand uses and close the gap to a target of `n` days of inputs over `τ` days), or
//!    ARIO's `a_ri p_i + max(0, n a_ri p*_i − S_ri) / τ` with `p*_i = min(cap_i, D_i)`
//!    ([`Ordering`]). With [`Ordering::Ario`] and `ψ` the model is BoARIO's `ARIOPsiModel`
//!    (orders `"noalt"`, no overproduction) on firms; at sector level the tests check it
//!    against BoARIO's trajectory.
//!
//! At the steady state (`δ = 0`, `S_ri = n a_ri x_i`) every flow repeats itself, so with no
//! damage the economy stays where it is. Amounts are read as one day's flows: the model is
//! linear in the units, so annual amounts give the same shares.

mod engine;

pub use engine::simulate;

use serde::{Deserialize, Serialize};

/// Who is served first when a firm cannot meet all its demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Rationing {
    /// Every order and final demand in the same share.
    #[default]
    Proportional,
    /// Firms first, in proportion to their orders; final demand gets what is left.
    FinalDemandLast,
    /// Whole orders, the largest usual buyer first (ties: the earlier trade); final demand
    /// gets what is left.
    Priority,
}

named!(Rationing, "rationing",
    "proportional" => Rationing::Proportional,
    "final_demand_last" => Rationing::FinalDemandLast,
    "priority" => Rationing::Priority,
);

/// How a firm orders inputs for the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Ordering {
    /// Inoue & Todo: `a D + (n a D − S) / τ`, at least 0 — what today's demand uses, plus a
    /// share of the gap to `n` days of it.
    #[default]
    InoueTodo,
    /// ARIO as BoARIO: `a p + max(0, n a p* − S) / τ` — what today's production used, plus a
    /// share of the shortfall from `n` days of the production it could sell
    /// (`p* = min(capacity, D)`); an excess stock is never sent back.
    Ario,
}

named!(Ordering, "orders",
    "inoue_todo" => Ordering::InoueTodo,
    "ario" => Ordering::Ario,
);

/// Options of [`simulate`].
///
/// ```
/// use tsunagime::shock::{simulate, Rationing, ShockOptions};
/// let net = tsunagime::network::example()?;
/// let o = ShockOptions {
///     days: 30,
///     rationing: Rationing::FinalDemandLast,
///     output: None,
///     ..Default::default()
/// };
/// let calm = simulate(&net, &vec![0.0; net.n_firms()], None, None, &o, &tsunagime::Quiet)?;
/// assert!(calm.loss.iter().all(|&l| l.abs() < 1e-9));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShockOptions {
    /// Days simulated, the day of the shock first (1 to 100,000).
    pub days: usize,
    /// Target inventory `n`, in days of each input (Inoue & Todo: about 15; > 0).
    pub inventory_days: f64,
    /// Days `τ` over which a firm restores its inventory target (Inoue & Todo: 6; ≥ 1).
    pub tau: f64,
    /// Who is served first when supply is short.
    pub rationing: Rationing,
    /// How firms order inputs.
    pub ordering: Ordering,
    /// `None`: production is limited by the inputs at hand, `S_r / a_r` (Inoue & Todo).
    /// `Some(ψ)`: by `S_r / (ψ n a_r)`, production falling as soon as a stock is below `ψ` times
    /// its target (ARIO's ψ, BoARIO's `psi_param`, 0.8 there; in (0, 1]).
    pub psi: Option<f64>,
    /// Share of the remaining damage repaired each day (0 to 1).
    pub recovery: f64,
    /// How far customers move orders from suppliers that cannot deliver to the other
    /// suppliers of the same input pool (0: never; 1: in proportion to what each can make).
    pub substitution: f64,
    /// The partition whose groups pool a firm's inputs (`Some("industry")`: inputs from
    /// suppliers of one industry substitute for each other), or `None` for a pool per
    /// supplier.
    pub industry: Option<String>,
    /// The attribute holding each firm's output (`Some("sales")`), or `None` for the observed
    /// trades. A firm's output is never taken below what it sells to firms or buys from them.
    pub output: Option<String>,
}

impl Default for ShockOptions {
    fn default() -> Self {
        ShockOptions {
            days: 100,
            inventory_days: 15.0,
            tau: 6.0,
            rationing: Rationing::Proportional,
            ordering: Ordering::InoueTodo,
            psi: None,
            recovery: 0.0,
            substitution: 0.0,
            industry: None,
            output: Some("sales".into()),
        }
    }
}

/// What a shock did: each firm's losses over the simulated days, and the economy's output
/// day by day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shock {
    /// Each firm's steady daily output `x_i`.
    pub baseline: Vec<f64>,
    /// Each firm's output lost over the days, `Σ_t (x_i − p_i(t))`.
    pub loss: Vec<f64>,
    /// The part of `loss` its own lost capacity explains, `Σ_t min(x_i − p_i, x_i − cap_i)`;
    /// the rest came through its suppliers and customers.
    pub direct: Vec<f64>,
    /// The economy's output on each day, `Σ_i p_i(t)`.
    pub output: Vec<f64>,
    /// Output of each group on each day, `days × groups` in reading order, when groups were
    /// given.
    pub group_output: Vec<f64>,
}
