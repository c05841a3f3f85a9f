//! Recommendations as one Arrow record batch: the shape handed to Python and to any Arrow
//! reader (pyarrow, polars), so that the columns are listed here once and not again in each
//! binding.

use super::Recommendations;
use crate::error::{Error, Result};
use arrow_array::types::{Float64Type, UInt32Type};
use arrow_array::{ArrayRef, BooleanArray, LargeListArray, PrimitiveArray, RecordBatch};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field};
use std::sync::Arc;

fn encode(e: arrow_schema::ArrowError) -> Error {
    Error::Encode(format!("recommendations as Arrow: {e}"))
}

impl Recommendations {
    /// The rows as one Arrow record batch, a column per field and named as the field:
    /// `firm`, `partner`, `rank` (`uint32`), `score`, `firm_score`, `partner_score`
    /// (`float64`), `shared` (a `large_list<uint32>` of the shared partners), `propensity`
    /// (`float64`), `same_region` (`bool`, null when a region is unknown) and `distance_km`
    /// (`float64`). The numeric columns are the vectors' buffers, not copies.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let recs = fitted.recommend(&net, &Request { firms: Some(vec![0, 1]), k: 3, ..Default::default() })?;
    /// let batch = recs.clone().into_record_batch()?;
    /// assert_eq!(batch.num_rows(), recs.len());
    /// assert_eq!(batch.schema().field(0).name(), "firm");
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn into_record_batch(self) -> Result<RecordBatch> {
        let ids = |v: Vec<u32>| -> ArrayRef { Arc::new(PrimitiveArray::<UInt32Type>::from(v)) };
        let reals = |v: Vec<f64>| -> ArrayRef { Arc::new(PrimitiveArray::<Float64Type>::from(v)) };
        let offsets: Vec<i64> = self.shared_offsets.iter().map(|&o| o as i64).collect();
        let item = Arc::new(Field::new("item", DataType::UInt32, false));
        let shared = LargeListArray::try_new(
            item,
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            Arc::new(PrimitiveArray::<UInt32Type>::from(self.shared)),
            None,
        )
        .map_err(encode)?;
        let columns: [(&str, ArrayRef); 10] = [
            ("firm", ids(self.firm)),
            ("partner", ids(self.partner)),
            ("rank", ids(self.rank)),
            ("score", reals(self.score)),
            ("firm_score", reals(self.firm_score)),
            ("partner_score", reals(self.partner_score)),
            ("shared", Arc::new(shared)),
            ("propensity", reals(self.propensity)),
            (
                "same_region",
                Arc::new(BooleanArray::from(self.same_region)),
            ),
            ("distance_km", reals(self.distance_km)),
        ];
        RecordBatch::try_from_iter(columns).map_err(encode)
    }

    /// The rows as an Arrow IPC stream of one record batch ([`Self::into_record_batch`]):
    /// the bytes pyarrow (`pyarrow.ipc.open_stream`) and polars read without copying.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
    /// use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
    /// let fitted = PartnerRecommender::new(Options::new(Purpose::Customer)).fit(&net)?;
    /// let recs = fitted.recommend(&net, &Request { firms: Some(vec![0]), k: 3, ..Default::default() })?;
    /// assert!(!recs.into_arrow_ipc()?.is_empty());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn into_arrow_ipc(self) -> Result<Vec<u8>> {
        let batch = self.into_record_batch()?;
        let mut writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema())
            .map_err(encode)?;
        writer.write(&batch).map_err(encode)?;
        writer.finish().map_err(encode)?;
        writer.into_inner().map_err(encode)
    }
}
