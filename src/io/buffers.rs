//! Big text buffers handed back for reuse. A buffer of megabytes allocated afresh is
//! mapped afresh (glibc maps blocks above 1 MiB, see `main.rs`) and costs a page fault
//! per 4 KiB on first use: ~50k faults per 200 MB of text segments read, and as many
//! for the cleaned texts written. Buffers the pipeline is done with wait here instead.

use std::sync::Mutex;

#[derive(Default)]
pub struct BufferPool(Mutex<Vec<Vec<u8>>>);

impl BufferPool {
    /// Smaller buffers come from the heap's free lists anyway.
    pub const MIN_BYTES: usize = 1 << 20;
    /// A few at most: the stages hold one batch each, and memory must stay flat.
    const MAX_KEPT: usize = 2;

    /// Keep `buffer` for a later `take`, if it is big and few are waiting.
    pub fn give(&self, buffer: Vec<u8>) {
        if buffer.capacity() >= Self::MIN_BYTES {
            let mut kept = self.0.lock().expect("buffer pool");
            if kept.len() < Self::MAX_KEPT {
                kept.push(buffer);
            }
        }
    }

    /// An empty buffer with room for at least `MIN_BYTES`, if one is waiting.
    pub fn take(&self) -> Option<Vec<u8>> {
        let mut buffer = self.0.lock().expect("buffer pool").pop()?;
        buffer.clear();
        Some(buffer)
    }

    /// `take` as an empty `String`.
    pub fn take_string(&self) -> Option<String> {
        self.take().map(|b| String::from_utf8(b).expect("an empty buffer is valid UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_few_big_buffers_and_hands_them_back_empty() {
        let pool = BufferPool::default();
        pool.give(Vec::with_capacity(16)); // too small to keep
        assert!(pool.take().is_none());
        for _ in 0..3 {
            let mut big = Vec::with_capacity(BufferPool::MIN_BYTES);
            big.extend_from_slice(b"old text");
            pool.give(big);
        }
        let (a, b) = (pool.take().unwrap(), pool.take_string().unwrap());
        assert!(a.is_empty() && a.capacity() >= BufferPool::MIN_BYTES);
        assert!(b.is_empty() && b.capacity() >= BufferPool::MIN_BYTES);
        assert!(pool.take().is_none(), "at most two are kept");
    }
}
