//! The slots of one query's firms: firm → index into the query's buffers.
//!
//! A query reaches a few thousand firms of a network of up to millions. A firm-indexed
//! array answers in one load, but that load misses the cache on a national network (4 MB per
//! thread at 1M firms, visited at random), once for every list entry read. An open-addressing
//! table sized to the firms actually reached stays in the fastest caches.

const EMPTY: u32 = u32::MAX;

/// Firm → slot, for the firms of one query; cleared between queries.
#[derive(Debug, Clone)]
pub(crate) struct Slots {
    keys: Vec<u32>,
    values: Vec<u32>,
    /// Positions taken, so that clearing costs the keys held, not the table's size.
    used: Vec<u32>,
}

impl Default for Slots {
    fn default() -> Self {
        Slots {
            keys: vec![EMPTY; 1024],
            values: vec![0; 1024],
            used: Vec::new(),
        }
    }
}

impl Slots {
    /// Where `key` is (or goes) in the table. Fibonacci hashing spreads consecutive ids.
    fn position(&self, key: u32) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) as usize >> 20 & mask;
        while self.keys[i] != EMPTY && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        i
    }

    /// The slot of `key`, if it has one.
    pub fn get(&self, key: u32) -> Option<u32> {
        let i = self.position(key);
        (self.keys[i] == key).then(|| self.values[i])
    }

    /// The slot of `key`, given `next` (and returned) if it had none.
    pub fn get_or_insert(&mut self, key: u32, next: u32) -> u32 {
        let i = self.position(key);
        if self.keys[i] == key {
            return self.values[i];
        }
        if 2 * (self.used.len() + 1) > self.keys.len() {
            self.grow();
            return self.get_or_insert(key, next);
        }
        self.keys[i] = key;
        self.values[i] = next;
        self.used.push(i as u32);
        next
    }

    fn grow(&mut self) {
        let size = self.keys.len() * 2;
        let keys = std::mem::replace(&mut self.keys, vec![EMPTY; size]);
        let values = std::mem::replace(&mut self.values, vec![0; size]);
        self.used.clear();
        for (k, v) in keys.into_iter().zip(values) {
            if k != EMPTY {
                let i = self.position(k);
                self.keys[i] = k;
                self.values[i] = v;
                self.used.push(i as u32);
            }
        }
    }

    /// Forgets every key, keeping the table's size.
    pub fn clear(&mut self) {
        for &i in &self.used {
            self.keys[i as usize] = EMPTY;
        }
        self.used.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a firm-indexed array, across growth and clearing.
    #[test]
    fn slots_agree_with_an_array() {
        let mut slots = Slots::default();
        for round in 0..3u32 {
            let mut array = vec![EMPTY; 100_000];
            let mut next = 0;
            for k in 0..20_000u32 {
                let key = (k * 7_919 + round * 13) % 100_000;
                let got = slots.get_or_insert(key, next);
                if array[key as usize] == EMPTY {
                    array[key as usize] = next;
                    next += 1;
                }
                assert_eq!(got, array[key as usize]);
            }
            for (key, &slot) in array.iter().enumerate() {
                let want = (slot != EMPTY).then_some(slot);
                assert_eq!(slots.get(key as u32), want);
            }
            slots.clear();
        }
    }
}
