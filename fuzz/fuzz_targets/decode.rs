//! Saved bytes (pickles, files) decoded from arbitrary input: a network or a fitted
//! recommender comes back valid or not at all, never a panic or a huge allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagime::recommend::FittedRecommender;
use tsunagime::TradeNetwork;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(net) = TradeNetwork::from_bytes(bytes) {
        let again = TradeNetwork::from_bytes(&net.to_bytes().expect("encode")).expect("decode");
        assert_eq!(again, net);
    }
    let _ = FittedRecommender::from_bytes(bytes);
});
