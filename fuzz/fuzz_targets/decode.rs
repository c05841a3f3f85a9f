//! Saved bytes (pickles, files) decoded from arbitrary input: a network, a fitted
//! recommender or a schedule comes back valid or not at all, never a panic or a huge
//! allocation; a schedule that decodes can be printed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagime::recommend::FittedRecommender;
use tsunagime::summit::export::{agenda_html, Print};
use tsunagime::summit::Schedule;
use tsunagime::TradeNetwork;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(net) = TradeNetwork::from_bytes(bytes) {
        let again = TradeNetwork::from_bytes(&net.to_bytes().expect("encode")).expect("decode");
        assert_eq!(again, net);
    }
    let _ = FittedRecommender::from_bytes(bytes);
    if let Ok(plan) = Schedule::from_bytes(bytes) {
        for v in 0..plan.ids.len().min(4) {
            agenda_html(&plan, v, &Print::default()).expect("a checked schedule prints");
        }
    }
});
