//! # tsunagime — the seams of a regional economy
//!
//! `tsunagime` (つなぎ目, "the seam") builds the supplier → customer network of a country's
//! firms, split into regions, and measures how each firm links its region to the rest of the
//! economy. It is a Rust library with Python bindings (behind the `python` feature).
//!
//! ```
//! use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
//!
//! // Three firms in two prefectures; goods flow supplier → customer.
//! let firms = FirmTable::new(vec!["kanazawa-parts", "kanazawa-assembly", "tokyo-retail"])
//!     .with_partition("prefecture", [Some("Ishikawa"), Some("Ishikawa"), Some("Tokyo")]);
//! let trades = TradeTable::new(
//!     vec!["kanazawa-parts", "kanazawa-assembly"],
//!     vec!["kanazawa-assembly", "tokyo-retail"],
//! )
//! .with_amount(vec![40.0, 100.0]);
//! let (net, report) = NetworkBuilder::new().firms(firms).trades(trades).build()?;
//! assert_eq!(net.n_trades(), 2);
//! assert_eq!(report.trades_read, 2);
//!
//! // A seeded Japan-like economy for experiments.
//! let japan = tsunagime::synthetic::synthetic_japan(&tsunagime::synthetic::SyntheticConfig {
//!     n_firms: 2_000,
//!     ..Default::default()
//! })?;
//! assert_eq!(japan.n_firms(), 2_000);
//! # Ok::<(), tsunagime::Error>(())
//! ```

/// `FromStr` for an enum of named choices: the one way every string option is parsed, with an
/// error naming the parameter and listing the choices.
macro_rules! named {
    ($t:ty, $what:literal, $($name:literal => $v:expr),+ $(,)?) => {
        impl std::str::FromStr for $t {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                match s {
                    $($name => Ok($v),)+
                    _ => {
                        let choices: &[&str] = &[$($name),+];
                        Err($crate::Error::parameter(
                            $what,
                            format!("'{s}' is not one of '{}'", choices.join("', '")),
                        ))
                    }
                }
            }
        }
    };
}

pub mod error;
pub mod monitor;
pub mod network;
mod parallel;
pub mod recommend;
pub mod roles;
pub mod shock;
pub mod summit;
pub mod synthetic;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
pub use monitor::{Monitor, Quiet};
pub use network::TradeNetwork;

/// The README's Rust example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
