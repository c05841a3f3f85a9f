//! Maximum-weight matching of one slot's meetings: the step both the constructive solver
//! ([`super::solver`]) and the Lagrangian bound ([`super::lagrange`]) take for every slot, kept
//! apart so that neither module depends on the other.

use petgraph::graph::UnGraph;

/// A maximum-weight matching of the weighted edges `(u, v, w)` (positive weights): exact
/// (Edmonds' blossom, rustworkx-core) up to `exact_limit` distinct vertices, greedy above.
/// Returns the indices of the chosen edges.
pub(crate) fn max_matching(edges: &[(u32, u32, i128)], exact_limit: usize) -> Vec<usize> {
    let mut node_of = rustc_hash::FxHashMap::default();
    for &(a, b, _) in edges {
        for v in [a, b] {
            let k = node_of.len();
            node_of.entry(v).or_insert(k);
        }
    }
    if node_of.len() <= exact_limit {
        let mut g: UnGraph<(), (usize, i128)> = UnGraph::with_capacity(node_of.len(), edges.len());
        for _ in 0..node_of.len() {
            g.add_node(());
        }
        for (k, &(a, b, w)) in edges.iter().enumerate() {
            g.add_edge(
                petgraph::graph::NodeIndex::new(node_of[&a]),
                petgraph::graph::NodeIndex::new(node_of[&b]),
                (k, w),
            );
        }
        let matched = rustworkx_core::max_weight_matching::max_weight_matching(
            &g,
            false,
            |e: petgraph::graph::EdgeReference<(usize, i128)>| {
                Ok::<i128, std::convert::Infallible>(e.weight().1)
            },
            false,
        );
        let matched = match matched {
            Ok(m) => m,
            Err(never) => match never {},
        };
        let mut out: Vec<usize> = matched
            .into_iter()
            .filter_map(|(x, y)| {
                g.find_edge(
                    petgraph::graph::NodeIndex::new(x),
                    petgraph::graph::NodeIndex::new(y),
                )
            })
            .map(|e| g[e].0)
            .collect();
        out.sort_unstable();
        out
    } else {
        let mut order: Vec<usize> = (0..edges.len()).collect();
        order.sort_by(|&x, &y| edges[y].2.cmp(&edges[x].2).then(x.cmp(&y)));
        let mut used = rustc_hash::FxHashSet::default();
        order
            .into_iter()
            .filter(|&k| {
                let (a, b, _) = edges[k];
                if used.contains(&a) || used.contains(&b) {
                    false
                } else {
                    used.insert(a);
                    used.insert(b);
                    true
                }
            })
            .collect()
    }
}
