//! Geography both the synthetic economies and the recommender need: distances between
//! firms' coordinates.

/// Great-circle distance in kilometres (haversine, mean Earth radius).
///
/// ```
/// use tsunagime::network::distance_km;
/// let tokyo_osaka = distance_km(35.69, 139.69, 34.69, 135.52);
/// assert!((390.0..410.0).contains(&tokyo_osaka));
/// ```
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}
