//! The supplier → customer network of a country's firms.
//!
//! A [`TradeNetwork`] holds firms (ids, partitions such as prefecture or industry, numeric
//! attributes) and the distinct supplier → customer links between them, stored as compressed
//! sparse rows in both directions so that every measure can walk a firm's customers and its
//! suppliers without a search. Goods flow from supplier to customer; money flows the other way.
//! A network is immutable: views such as [`TradeNetwork::until`] build new networks.

mod builder;
mod csv_blocks;
mod csv_io;
mod file;
mod geo;
mod ids;
mod io_table;
mod report;
mod strings;
mod table;
mod text;
mod values;
mod visit;

pub use builder::{
    BuildOptions, Duplicates, NetworkBuilder, SelfLoops, UnknownFirms, SELF_AMOUNT, YEARS,
};
pub use csv_io::{write_csv, Column, CsvOptions, IdType};
pub use file::NetworkFile;
pub use geo::distance_km;
pub use ids::{canonical_int, FirmId, FirmIds};
pub use report::{LoadReport, Rejected};
pub use strings::Strings;
pub use table::{Attribute, CollaborationTable, FirmTable, Partition, TradeTable, MISSING};
pub use text::TextEncoding;
pub use values::Values;
pub use visit::{TradeRef, Trades};

use crate::error::{filled, Error, Result};
use builder::EdgeList;
use ids::IdIndex;
use report::RowOrigin;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Firms and the distinct supplier → customer links between them.
///
/// Links are numbered `0..n_trades()` in (supplier, customer) order; per-link columns
/// (`amounts`, `years`, `last_years`) use that numbering.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// let trades = TradeTable::new(vec![1, 2, 2], vec![2, 3, 1]);
/// let (net, _) = NetworkBuilder::new().trades(trades).build()?;
/// let two = net.require(&2.into())?;
/// assert_eq!(net.customers(two).len(), 2);
/// assert_eq!(net.suppliers(two).len(), 1);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TradeNetwork {
    firms: FirmTable,
    /// Built on the first lookup (a network opened from a file has none yet).
    index: std::sync::OnceLock<IdIndex>,
    out_offsets: Values<u64>,
    edge_supplier: Values<u32>,
    edge_customer: Values<u32>,
    in_offsets: Values<u64>,
    in_edges: Values<u32>,
    in_suppliers: Values<u32>,
    amount: Option<Values<f64>>,
    year: Option<Values<i32>>,
    last_year: Option<Values<i32>>,
    collab_a: Values<u32>,
    collab_b: Values<u32>,
    collab_year: Option<Values<i32>>,
    file: Option<NetworkFile>,
}

impl PartialEq for TradeNetwork {
    fn eq(&self, other: &Self) -> bool {
        self.firms == other.firms
            && self.edge_supplier == other.edge_supplier
            && self.edge_customer == other.edge_customer
            && self.amount == other.amount
            && self.year == other.year
            && self.last_year == other.last_year
            && self.collab_a == other.collab_a
            && self.collab_b == other.collab_b
            && self.collab_year == other.collab_year
    }
}

fn offsets(n: usize, keys: impl Iterator<Item = u32>) -> Result<Vec<u64>> {
    let mut off = filled(n + 1, 0u64, "link offsets")?;
    for k in keys {
        off[k as usize + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    Ok(off)
}

impl TradeNetwork {
    /// Assembles the CSR arrays from edges already sorted by (supplier, customer), unique.
    fn from_sorted(
        firms: FirmTable,
        index: IdIndex,
        e: EdgeList,
        c: Option<EdgeList>,
    ) -> Result<Self> {
        let n = firms.ids.len();
        let out_offsets = offsets(n, e.a.iter().copied())?;
        let in_offsets = offsets(n, e.b.iter().copied())?;
        let mut next = filled(n, 0u64, "link offsets")?;
        next.copy_from_slice(&in_offsets[..n]);
        let mut in_edges = filled(e.a.len(), 0u32, "the suppliers of each firm")?;
        let mut in_suppliers = filled(e.a.len(), 0u32, "the suppliers of each firm")?;
        for (k, (&s, &t)) in e.a.iter().zip(&e.b).enumerate() {
            let slot = &mut next[t as usize];
            in_edges[*slot as usize] = k as u32;
            in_suppliers[*slot as usize] = s;
            *slot += 1;
        }
        let (collab_a, collab_b, collab_year) = match c {
            Some(c) => (c.a, c.b, c.year),
            None => (Vec::new(), Vec::new(), None),
        };
        Ok(TradeNetwork {
            firms,
            index: index.into(),
            out_offsets: out_offsets.into(),
            edge_supplier: e.a.into(),
            edge_customer: e.b.into(),
            in_offsets: in_offsets.into(),
            in_edges: in_edges.into(),
            in_suppliers: in_suppliers.into(),
            amount: e.amount.map(Values::from),
            year: e.year.map(Values::from),
            last_year: e.last_year.map(Values::from),
            collab_a: collab_a.into(),
            collab_b: collab_b.into(),
            collab_year: collab_year.map(Values::from),
            file: None,
        })
    }

    /// Number of firms.
    pub fn n_firms(&self) -> usize {
        self.firms.ids.len()
    }

    /// Number of distinct supplier → customer links.
    pub fn n_trades(&self) -> usize {
        self.edge_supplier.len()
    }

    /// Number of distinct collaborations.
    pub fn n_collaborations(&self) -> usize {
        self.collab_a.len()
    }

    /// The firm ids, in index order.
    pub fn firm_ids(&self) -> &FirmIds {
        &self.firms.ids
    }

    /// The firm table (ids, partitions, attributes).
    pub fn firms(&self) -> &FirmTable {
        &self.firms
    }

    /// The index of a firm id, if the network has it. Integer networks also accept the
    /// canonical decimal string of an id.
    pub fn index_of(&self, id: &FirmId) -> Option<u32> {
        self.index().get(id)
    }

    /// The id index, built on first use. Ids in a network are unique (checked when it is
    /// built or verified), so the build cannot meet a repeated id.
    fn index(&self) -> &IdIndex {
        self.index
            .get_or_init(|| IdIndex::build(&self.firms.ids).unwrap_or_default())
    }

    /// The index of a firm id, or an [`Error::UnknownFirm`] naming it.
    pub fn require(&self, id: &FirmId) -> Result<u32> {
        self.index_of(id).ok_or_else(|| Error::UnknownFirm {
            location: Box::new(crate::error::Location::table("firm ids")),
            id: crate::error::clip(&id.to_string()),
            more: String::new(),
        })
    }

    /// The links (edge numbers) from firm `i` to its customers.
    pub fn out_edges(&self, i: u32) -> Range<usize> {
        self.out_offsets[i as usize] as usize..self.out_offsets[i as usize + 1] as usize
    }

    /// The customers of firm `i`, ascending.
    pub fn customers(&self, i: u32) -> &[u32] {
        &self.edge_customer[self.out_edges(i)]
    }

    /// The suppliers of firm `i`, ascending.
    pub fn suppliers(&self, i: u32) -> &[u32] {
        let r = self.in_offsets[i as usize] as usize..self.in_offsets[i as usize + 1] as usize;
        &self.in_suppliers[r]
    }

    /// The link numbers from the suppliers of firm `i`, in the order of [`Self::suppliers`].
    pub fn in_edges(&self, i: u32) -> &[u32] {
        let r = self.in_offsets[i as usize] as usize..self.in_offsets[i as usize + 1] as usize;
        &self.in_edges[r]
    }

    /// Number of customers of each firm.
    pub fn out_degree(&self, i: u32) -> usize {
        self.out_edges(i).len()
    }

    /// Number of suppliers of each firm.
    pub fn in_degree(&self, i: u32) -> usize {
        (self.in_offsets[i as usize + 1] - self.in_offsets[i as usize]) as usize
    }

    /// The supplier of each link.
    pub fn edge_suppliers(&self) -> &[u32] {
        &self.edge_supplier
    }

    /// The customer of each link.
    pub fn edge_customers(&self) -> &[u32] {
        &self.edge_customer
    }

    /// Whether `supplier → customer` is a link (binary search in the supplier's row).
    pub fn has_trade(&self, supplier: u32, customer: u32) -> bool {
        self.customers(supplier).binary_search(&customer).is_ok()
    }

    /// Link amounts, if the trades had them.
    pub fn amounts(&self) -> Option<&[f64]> {
        self.amount.as_deref()
    }

    /// The amount of link `e`, or 1 when the network has no amounts.
    pub fn amount_or_one(&self, e: usize) -> f64 {
        self.amount.as_ref().map_or(1.0, |a| a[e])
    }

    /// First-observed year of each link, if known.
    pub fn years(&self) -> Option<&[i32]> {
        self.year.as_deref()
    }

    /// Last-observed year of each link, if known.
    pub fn last_years(&self) -> Option<&[i32]> {
        self.last_year.as_deref()
    }

    /// Collaborations as `(a, b)` index pairs with `a < b`.
    pub fn collaborations(&self) -> (&[u32], &[u32]) {
        (&self.collab_a, &self.collab_b)
    }

    /// First-observed year of each collaboration, if known.
    pub fn collaboration_years(&self) -> Option<&[i32]> {
        self.collab_year.as_deref()
    }

    /// All partitions.
    pub fn partitions(&self) -> &[Partition] {
        &self.firms.partitions
    }

    /// The partition called `name` (e.g. `"prefecture"`).
    pub fn partition(&self, name: &str) -> Result<&Partition> {
        self.firms
            .partitions
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::UnknownName {
                what: "partition",
                name: name.to_string(),
                known: names(self.firms.partitions.iter().map(|p| p.name.as_str())),
            })
    }

    /// All numeric attributes.
    pub fn attributes(&self) -> &[Attribute] {
        &self.firms.attributes
    }

    /// The numeric attribute called `name` (NaN = missing).
    pub fn attribute(&self, name: &str) -> Result<&[f64]> {
        self.firms
            .attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| &*a.values)
            .ok_or_else(|| Error::UnknownName {
                what: "attribute",
                name: name.to_string(),
                known: names(self.firms.attributes.iter().map(|a| a.name.as_str())),
            })
    }

    /// Latitudes and longitudes, when the firms have `lat` and `lon` attributes.
    pub fn coordinates(&self) -> Option<(&[f64], &[f64])> {
        Some((self.attribute("lat").ok()?, self.attribute("lon").ok()?))
    }

    /// The network as column-wise tables (ids as the user gave them); building from them gives
    /// an equal network.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::network::NetworkBuilder;
    /// let (firms, trades, collaborations) = net.to_tables();
    /// let (again, _) = NetworkBuilder::new().firms(firms).trades(trades).collaborations(collaborations).build()?;
    /// assert_eq!(again, net);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn to_tables(&self) -> (FirmTable, TradeTable, CollaborationTable) {
        let trades = TradeTable {
            supplier: self.firms.ids.select(&self.edge_supplier),
            customer: self.firms.ids.select(&self.edge_customer),
            amount: self.amount.as_deref().map(<[_]>::to_vec),
            year: self.year.as_deref().map(<[_]>::to_vec),
            last_year: self.last_year.as_deref().map(<[_]>::to_vec),
        };
        let collabs = CollaborationTable {
            a: self.firms.ids.select(&self.collab_a),
            b: self.firms.ids.select(&self.collab_b),
            year: self.collab_year.as_deref().map(<[_]>::to_vec),
        };
        (self.firms.clone(), trades, collabs)
    }

    /// The network as it stood at the end of `year`: links and collaborations first observed
    /// in or before `year` (last years capped at `year`); all firms are kept. Needs years.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// let past = net.until(2018)?;
    /// assert_eq!((past.n_firms(), past.n_trades()), (3, 1));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn until(&self, year: i32) -> Result<TradeNetwork> {
        let years = self.year.as_ref().ok_or_else(|| {
            Error::parameter(
                "year",
                "the trades have no year column, so there is no history to cut",
            )
        })?;
        let keep: Vec<usize> = (0..self.n_trades()).filter(|&e| years[e] <= year).collect();
        let collab_keep: Vec<usize> = match &self.collab_year {
            Some(y) => (0..self.n_collaborations())
                .filter(|&e| y[e] <= year)
                .collect(),
            None => (0..self.n_collaborations()).collect(),
        };
        self.restrict(None, &keep, &collab_keep, Some(year))
    }

    /// The network induced by the given firms (indices, in the order given): the links and
    /// collaborations among them. Repeated or out-of-range indices are an error.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// let pair = net.subgraph(&[2, 1])?; // c and b, in that order
    /// assert_eq!((pair.n_firms(), pair.edge_suppliers(), pair.edge_customers()), (2, &[1][..], &[0][..]));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn subgraph(&self, firms: &[u32]) -> Result<TradeNetwork> {
        let n = self.n_firms();
        let mut new_index = vec![u32::MAX; n];
        for (k, &f) in firms.iter().enumerate() {
            let slot = new_index.get_mut(f as usize).ok_or_else(|| {
                Error::parameter(
                    "firms",
                    format!("index {f} is out of range (the network has {n} firms)"),
                )
            })?;
            if *slot != u32::MAX {
                return Err(Error::parameter(
                    "firms",
                    format!("firm '{}' is listed twice", self.firms.ids.get(f as usize)),
                ));
            }
            *slot = k as u32;
        }
        let inside =
            |a: u32, b: u32| new_index[a as usize] != u32::MAX && new_index[b as usize] != u32::MAX;
        let keep: Vec<usize> = (0..self.n_trades())
            .filter(|&e| inside(self.edge_supplier[e], self.edge_customer[e]))
            .collect();
        let collab_keep: Vec<usize> = (0..self.n_collaborations())
            .filter(|&e| inside(self.collab_a[e], self.collab_b[e]))
            .collect();
        self.restrict(Some((firms, &new_index)), &keep, &collab_keep, None)
    }

    /// Keeps some firms (re-indexed), links and collaborations; used by `until` and `subgraph`.
    /// The network with only the given links and collaborations (by number), all firms kept.
    pub(crate) fn keep_links(&self, keep: &[usize], collab_keep: &[usize]) -> Result<TradeNetwork> {
        self.restrict(None, keep, collab_keep, None)
    }

    fn restrict(
        &self,
        firms: Option<(&[u32], &[u32])>,
        keep: &[usize],
        collab_keep: &[usize],
        cap_year: Option<i32>,
    ) -> Result<TradeNetwork> {
        let map = |i: u32| firms.map_or(i, |(_, m)| m[i as usize]);
        let pick = |v: &Option<Values<i32>>, idx: &[usize]| {
            v.as_ref()
                .map(|v| idx.iter().map(|&e| v[e]).collect::<Vec<_>>())
        };
        let e = EdgeList {
            a: keep.iter().map(|&k| map(self.edge_supplier[k])).collect(),
            b: keep.iter().map(|&k| map(self.edge_customer[k])).collect(),
            amount: self
                .amount
                .as_ref()
                .map(|v| keep.iter().map(|&k| v[k]).collect()),
            year: pick(&self.year, keep),
            last_year: pick(&self.last_year, keep).map(|v| match cap_year {
                Some(cap) => v.into_iter().map(|y| y.min(cap)).collect(),
                None => v,
            }),
            ..Default::default()
        };
        let pairs: Vec<(u32, u32)> = collab_keep
            .iter()
            .map(|&k| {
                let (a, b) = (map(self.collab_a[k]), map(self.collab_b[k]));
                (a.min(b), a.max(b))
            })
            .collect();
        let c = EdgeList {
            a: pairs.iter().map(|p| p.0).collect(),
            b: pairs.iter().map(|p| p.1).collect(),
            year: pick(&self.collab_year, collab_keep),
            ..Default::default()
        };
        let (table, index) = match firms {
            None => (self.firms.clone(), self.index().clone()),
            Some((list, _)) => {
                let table = FirmTable {
                    ids: self.firms.ids.select(list),
                    partitions: self
                        .firms
                        .partitions
                        .iter()
                        .map(|p| p.select(list))
                        .collect(),
                    attributes: self
                        .firms
                        .attributes
                        .iter()
                        .map(|a| a.select(list))
                        .collect(),
                };
                // Ids were unique in the parent, so they are unique here.
                let index = IdIndex::build(&table.ids).unwrap_or_default();
                (table, index)
            }
        };
        // Re-indexing by a permutation can break the (supplier, customer) order: sort again.
        let origin = RowOrigin::table("trades");
        let sorted = |mut l: EdgeList| -> Result<EdgeList> {
            l.row = (0..l.a.len() as u32).collect();
            Ok(builder::sort_and_merge(l, &origin, Duplicates::First)?.0)
        };
        TradeNetwork::from_sorted(table, index, sorted(e)?, Some(sorted(c)?))
    }

    /// Saves the network as compact bytes (postcard); [`TradeNetwork::from_bytes`] reads them.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// let bytes = net.to_bytes()?;
    /// assert_eq!(tsunagime::TradeNetwork::from_bytes(&bytes)?, net);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::Encode(e.to_string()))
    }

    /// Reads bytes written by [`TradeNetwork::to_bytes`], validating them like any input.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// assert_eq!(tsunagime::TradeNetwork::from_bytes(&net.to_bytes()?)?, net);
    /// assert!(tsunagime::TradeNetwork::from_bytes(b"not a network").is_err());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<TradeNetwork> {
        postcard::from_bytes(bytes).map_err(|e| Error::Decode(e.to_string()))
    }
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

/// The serialized form: plain tables, so that decoding re-validates everything and a
/// corrupted or hand-made state cannot produce an inconsistent network.
#[derive(Serialize, Deserialize)]
struct NetworkState {
    firms: FirmTable,
    supplier: Values<u32>,
    customer: Values<u32>,
    amount: Option<Values<f64>>,
    year: Option<Values<i32>>,
    last_year: Option<Values<i32>>,
    collab_a: Values<u32>,
    collab_b: Values<u32>,
    collab_year: Option<Values<i32>>,
}

impl NetworkState {
    /// The network's tables, sharing its arrays.
    fn of(net: &TradeNetwork) -> NetworkState {
        NetworkState {
            firms: net.firms.clone(),
            supplier: net.edge_supplier.clone(),
            customer: net.edge_customer.clone(),
            amount: net.amount.clone(),
            year: net.year.clone(),
            last_year: net.last_year.clone(),
            collab_a: net.collab_a.clone(),
            collab_b: net.collab_b.clone(),
            collab_year: net.collab_year.clone(),
        }
    }
}

impl Serialize for TradeNetwork {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        NetworkState::of(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for TradeNetwork {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = NetworkState::deserialize(d)?;
        TradeNetwork::from_state(s).map_err(serde::de::Error::custom)
    }
}

impl TradeNetwork {
    fn from_state(s: NetworkState) -> Result<TradeNetwork> {
        let origin = RowOrigin::table("saved firms");
        let firms = builder::validate_firms(s.firms, &origin)?;
        let n = firms.table.ids.len() as u32;
        let trades = saved_edges(
            n,
            (&s.supplier, &s.customer),
            (
                s.amount.as_deref(),
                s.year.as_deref(),
                s.last_year.as_deref(),
            ),
            "saved trades",
        )?;
        let collabs = saved_edges(
            n,
            (&s.collab_a, &s.collab_b),
            (None, s.collab_year.as_deref(), None),
            "saved collaborations",
        )?;
        if collabs.a.iter().zip(&collabs.b).any(|(a, b)| a > b) {
            return Err(Error::Decode(
                "saved collaborations: pairs not in (smaller, larger) order".into(),
            ));
        }
        let (net, _) = builder::assemble(
            firms,
            trades,
            &RowOrigin::table("saved trades"),
            Some((collabs, RowOrigin::table("saved collaborations"))),
            SAVED,
            LoadReport::default(),
        )?;
        Ok(net)
    }
}

/// Saved networks hold distinct pairs and no self-loops: anything else is corruption.
const SAVED: BuildOptions = BuildOptions {
    duplicates: Duplicates::Error,
    self_loops: SelfLoops::Error,
    unknown_firms: UnknownFirms::Error,
};

type Columns<'a> = (Option<&'a [f64]>, Option<&'a [i32]>, Option<&'a [i32]>);

/// Checks saved edge columns as strictly as user input.
fn saved_edges(
    n: u32,
    (a, b): (&[u32], &[u32]),
    (amount, year, last_year): Columns,
    name: &str,
) -> Result<EdgeList> {
    let origin = RowOrigin::table(name);
    let lens = [
        Some(b.len()),
        amount.map(<[_]>::len),
        year.map(<[_]>::len),
        last_year.map(<[_]>::len),
    ];
    if lens.iter().flatten().any(|&l| l != a.len()) {
        return Err(Error::Decode(format!(
            "{name}: columns of different lengths"
        )));
    }
    let mut out = EdgeList::with_columns(amount.is_some(), year.is_some(), last_year.is_some());
    for i in 0..a.len() {
        if a[i] >= n || b[i] >= n {
            return Err(Error::Decode(format!(
                "{name}: firm index out of range at row {i}"
            )));
        }
        let v = (
            amount.map(|v| v[i]),
            year.map(|v| v[i]),
            last_year.map(|v| v[i]),
        );
        if let Some(x) = v.0 {
            builder::check_amount(x, || origin.at(i).column("amount"))?;
        }
        builder::check_years(v.1, v.2, || origin.at(i))?;
        out.push(a[i], b[i], v, i, SAVED.self_loops, || origin.at(i))?;
    }
    Ok(out)
}

/// The three-firm network of the documentation's examples: `a → b`, `a → c`, `b → c`
/// (amounts 4, 1, 2; years 2018, 2019, 2019), regions `X X Y`, with `lat` and `lon`.
#[doc(hidden)]
pub fn example() -> Result<TradeNetwork> {
    let firms = FirmTable::new(vec!["a", "b", "c"])
        .with_partition("region", [Some("X"), Some("X"), Some("Y")])
        .with_attribute("lat", vec![35.0, 35.1, 36.0])
        .with_attribute("lon", vec![139.0, 139.1, 136.0]);
    let trades = TradeTable::new(vec!["a", "a", "b"], vec!["b", "c", "c"])
        .with_amount(vec![4.0, 1.0, 2.0])
        .with_year(vec![2018, 2019, 2019]);
    Ok(NetworkBuilder::new().firms(firms).trades(trades).build()?.0)
}
