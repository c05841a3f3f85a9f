//! Sector-level networks from input–output tables: each (region, sector) is a node, each
//! intermediate flow `Z[i, j]` a trade from node `i` to node `j`, and the diagonal (a sector
//! buying from itself) is kept as the node's `self_amount` — the network regional
//! economists use most, on which [`crate::roles::ripple()`] gives the Leontief multipliers.

use super::builder::{BuildOptions, NetworkBuilder, SelfLoops};
use super::report::LoadReport;
use super::table::{FirmTable, TradeTable};
use super::TradeNetwork;
use crate::error::{Error, Result};
use ndarray::{ArrayView1, ArrayView2};

impl TradeNetwork {
    /// A network of `(region, sector)` nodes from an input–output table: `z[[i, j]]` is what
    /// node `i` sells to node `j` (intermediate use), `output[i]` node `i`'s total output
    /// (the attribute `output`), `regions[i]` and `sectors[i]` its partitions `region` and
    /// `sector`. Node ids are `"region/sector"`. Zero flows are no trade; the diagonal is kept
    /// as `self_amount` ([`SelfLoops::Keep`]).
    ///
    /// Complexity: O(n²) to scan the table, O(m log m) for the m non-zero flows.
    ///
    /// ```
    /// use ndarray::array;
    /// use tsunagime::roles::{ripple, RippleOptions};
    /// use tsunagime::TradeNetwork;
    /// // Two sectors of one region: A = Z / x = [[0.2, 0.3], [0.1, 0.4]].
    /// let z = array![[20.0, 60.0], [10.0, 80.0]];
    /// let x = array![100.0, 200.0];
    /// let r = ["X".to_string(), "X".to_string()];
    /// let s = ["farm".to_string(), "food".to_string()];
    /// let (net, _) = TradeNetwork::from_io_table(z.view(), x.view(), &r, &s)?;
    /// let o = RippleOptions { output: Some("output".into()), ..Default::default() };
    /// let m = ripple(&net, "region", &o)?.multiplier;
    /// // Column sums of (I − A)⁻¹ = [[0.8, −0.3], [−0.1, 0.6]]⁻¹ = [[0.6, 0.3], [0.1, 0.8]] / 0.45.
    /// assert!((m[0] - 0.7 / 0.45).abs() < 1e-10 && (m[1] - 1.1 / 0.45).abs() < 1e-10);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn from_io_table(
        z: ArrayView2<'_, f64>,
        output: ArrayView1<'_, f64>,
        regions: &[String],
        sectors: &[String],
    ) -> Result<(TradeNetwork, LoadReport)> {
        let n = output.len();
        if z.nrows() != n || z.ncols() != n {
            return Err(Error::parameter(
                "Z",
                format!("a {}×{} table for {n} outputs", z.nrows(), z.ncols()),
            ));
        }
        for (name, len) in [("regions", regions.len()), ("sectors", sectors.len())] {
            if len != n {
                return Err(Error::parameter(
                    name,
                    format!("{len} labels for {n} nodes"),
                ));
            }
        }
        let ids: Vec<String> = regions
            .iter()
            .zip(sectors)
            .map(|(r, s)| format!("{r}/{s}"))
            .collect();
        // A missing output (a sector absent from the outputs, NaN) would make every multiplier
        // through it NaN, far from where it went wrong.
        if let Some((i, v)) = output
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return Err(Error::parameter(
                "output",
                format!("{v} for '{}' is not an output (finite, ≥ 0)", ids[i]),
            ));
        }
        let (mut supplier, mut customer, mut amount) = (Vec::new(), Vec::new(), Vec::new());
        for ((i, j), &v) in z.indexed_iter() {
            if v != 0.0 {
                supplier.push(ids[i].clone());
                customer.push(ids[j].clone());
                amount.push(v);
            }
        }
        let firms = FirmTable::new(ids)
            .with_partition("region", regions.iter().map(|r| Some(r.as_str())))
            .with_partition("sector", sectors.iter().map(|s| Some(s.as_str())))
            .with_attribute("output", output.to_vec());
        let trades = TradeTable::new(supplier, customer).with_amount(amount);
        NetworkBuilder::new()
            .firms(firms)
            .trades(trades)
            .options(BuildOptions {
                self_loops: SelfLoops::Keep,
                ..BuildOptions::default()
            })
            .build()
    }
}
