//! petgraph's graph traits on [`TradeNetwork`], so that a Rust application runs petgraph's
//! algorithms (strongly connected components, Dijkstra on amounts, topological order, DFS and
//! BFS, dominators, …) on a network directly, without copying it into a `petgraph::Graph`.
//!
//! Nodes are firm numbers (`u32`), edges are link numbers (`usize`, supplier → customer, in
//! [`TradeNetwork::edge_suppliers`] order) weighted by their amount (1 when the trades had
//! none). Outgoing neighbours are customers, incoming ones suppliers. Collaborations are not
//! edges of this view.
//!
//! ```
//! # let net = tsunagime::network::example()?;
//! use petgraph::algo::{dijkstra, kosaraju_scc};
//! use petgraph::visit::EdgeRef;
//! assert_eq!(kosaraju_scc(&net).len(), net.n_firms()); // no cycle: one firm per component
//! let cost = dijkstra(&net, 0, None, |e| *e.weight());
//! assert_eq!(cost[&2], 1.0); // a → c directly (amount 1) beats a → b → c (4 + 2)
//! # Ok::<(), tsunagime::Error>(())
//! ```

use super::TradeNetwork;
use fixedbitset::FixedBitSet;
use petgraph::visit::{
    Data, EdgeCount, EdgeIndexable, EdgeRef, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges,
    IntoEdgesDirected, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers,
    NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use petgraph::{Directed, Direction};
use std::iter::Copied;
use std::ops::Range;
use std::slice::Iter;

/// The weight of every link of a network without amounts.
static ONE: f64 = 1.0;

/// One trade as petgraph sees an edge: link number, supplier, customer and amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TradeRef<'a> {
    link: usize,
    supplier: u32,
    customer: u32,
    amount: &'a f64,
}

impl EdgeRef for TradeRef<'_> {
    type NodeId = u32;
    type EdgeId = usize;
    type Weight = f64;

    fn source(&self) -> u32 {
        self.supplier
    }
    fn target(&self) -> u32 {
        self.customer
    }
    fn weight(&self) -> &f64 {
        self.amount
    }
    fn id(&self) -> usize {
        self.link
    }
}

/// Trades by link number: a contiguous run (all links, or a supplier's) or a firm's list of
/// incoming links.
#[derive(Debug, Clone)]
pub struct Trades<'a> {
    net: &'a TradeNetwork,
    links: Links<'a>,
}

#[derive(Debug, Clone)]
enum Links<'a> {
    Run(Range<usize>),
    Listed(Iter<'a, u32>),
}

impl<'a> Iterator for Trades<'a> {
    type Item = TradeRef<'a>;

    fn next(&mut self) -> Option<TradeRef<'a>> {
        let link = match &mut self.links {
            Links::Run(r) => r.next()?,
            Links::Listed(l) => *l.next()? as usize,
        };
        Some(TradeRef {
            link,
            supplier: self.net.edge_suppliers()[link],
            customer: self.net.edge_customers()[link],
            amount: self.net.amounts().map_or(&ONE, |a| &a[link]),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.links {
            Links::Run(r) => r.size_hint(),
            Links::Listed(l) => l.size_hint(),
        }
    }
}

impl GraphBase for TradeNetwork {
    type NodeId = u32;
    type EdgeId = usize;
}

impl Data for TradeNetwork {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl GraphProp for TradeNetwork {
    type EdgeType = Directed;
}

impl NodeCount for TradeNetwork {
    fn node_count(&self) -> usize {
        self.n_firms()
    }
}

impl EdgeCount for TradeNetwork {
    fn edge_count(&self) -> usize {
        self.n_trades()
    }
}

impl NodeIndexable for TradeNetwork {
    fn node_bound(&self) -> usize {
        self.n_firms()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for TradeNetwork {}

impl EdgeIndexable for TradeNetwork {
    fn edge_bound(&self) -> usize {
        self.n_trades()
    }
    fn to_index(&self, a: usize) -> usize {
        a
    }
    fn from_index(&self, i: usize) -> usize {
        i
    }
}

impl Visitable for TradeNetwork {
    type Map = FixedBitSet;
    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.n_firms())
    }
    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.n_firms());
    }
}

impl<'a> IntoNeighbors for &'a TradeNetwork {
    type Neighbors = Copied<Iter<'a, u32>>;
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.customers(a).iter().copied()
    }
}

impl<'a> IntoNeighborsDirected for &'a TradeNetwork {
    type NeighborsDirected = Copied<Iter<'a, u32>>;
    fn neighbors_directed(self, a: u32, d: Direction) -> Self::NeighborsDirected {
        match d {
            Direction::Outgoing => self.customers(a).iter().copied(),
            Direction::Incoming => self.suppliers(a).iter().copied(),
        }
    }
}

impl IntoNodeIdentifiers for &TradeNetwork {
    type NodeIdentifiers = Range<u32>;
    fn node_identifiers(self) -> Range<u32> {
        0..self.n_firms() as u32
    }
}

impl<'a> IntoEdgeReferences for &'a TradeNetwork {
    type EdgeRef = TradeRef<'a>;
    type EdgeReferences = Trades<'a>;
    fn edge_references(self) -> Trades<'a> {
        Trades {
            net: self,
            links: Links::Run(0..self.n_trades()),
        }
    }
}

impl<'a> IntoEdges for &'a TradeNetwork {
    type Edges = Trades<'a>;
    fn edges(self, a: u32) -> Trades<'a> {
        Trades {
            net: self,
            links: Links::Run(self.out_edges(a)),
        }
    }
}

impl<'a> IntoEdgesDirected for &'a TradeNetwork {
    type EdgesDirected = Trades<'a>;
    fn edges_directed(self, a: u32, dir: Direction) -> Trades<'a> {
        let links = match dir {
            Direction::Outgoing => Links::Run(self.out_edges(a)),
            Direction::Incoming => Links::Listed(self.in_edges(a).iter()),
        };
        Trades { net: self, links }
    }
}
