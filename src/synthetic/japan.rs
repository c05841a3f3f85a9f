//! Reference data for the synthetic economy: the 47 prefectures and 20 industry divisions.
//!
//! Sources (see also `docs/calibration.md`):
//! - Prefecture JIS codes, names and the coordinates of the prefectural capitals: the CC0 table
//!   `prefjp-utf8.csv` of code4fukui/localgovjp.
//! - Relative firm counts: rounded thousands of companies by head-office prefecture, in the
//!   spirit of the Economic Census for Business Activity (経済センサス‐活動調査); used only as
//!   weights, they give Tokyo ≈ 17%, Osaka ≈ 7%, Aichi ≈ 6% of firms.
//! - Regional blocs: the conventional eight-region division (八地方区分).

/// One prefecture.
///
/// ```
/// use tsunagime::synthetic::japan::PREFECTURES;
/// let ishikawa = PREFECTURES.iter().find(|p| p.code == 17);
/// assert_eq!(ishikawa.map(|p| (p.name, p.name_ja)), Some(("Ishikawa", "石川県")));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Prefecture {
    /// JIS X 0401 code, 1–47.
    pub code: u8,
    /// English name.
    pub name: &'static str,
    /// Japanese name.
    pub name_ja: &'static str,
    /// Regional bloc.
    pub bloc: &'static str,
    /// Latitude of the prefectural capital (government office).
    pub lat: f64,
    /// Longitude of the prefectural capital.
    pub lon: f64,
    /// Relative number of firms (thousands of companies, rounded).
    pub firms: f64,
    /// Spread of firm locations around the capital, in degrees of latitude.
    pub spread: f64,
}

#[allow(clippy::too_many_arguments)] // a row of the table below, named by position
pub(crate) const fn p(
    code: u8,
    name: &'static str,
    name_ja: &'static str,
    bloc: &'static str,
    lat: f64,
    lon: f64,
    firms: f64,
    spread: f64,
) -> Prefecture {
    Prefecture {
        code,
        name,
        name_ja,
        bloc,
        lat,
        lon,
        firms,
        spread,
    }
}

/// The 47 prefectures in JIS order.
pub const PREFECTURES: [Prefecture; 47] = [
    p(
        1,
        "Hokkaido",
        "北海道",
        "Hokkaido",
        43.063968,
        141.347899,
        62.0,
        0.60,
    ),
    p(
        2,
        "Aomori",
        "青森県",
        "Tohoku",
        40.824623,
        140.740593,
        13.0,
        0.25,
    ),
    p(
        3,
        "Iwate",
        "岩手県",
        "Tohoku",
        39.703531,
        141.152667,
        12.0,
        0.30,
    ),
    p(
        4,
        "Miyagi",
        "宮城県",
        "Tohoku",
        38.268839,
        140.872103,
        24.0,
        0.18,
    ),
    p(
        5,
        "Akita",
        "秋田県",
        "Tohoku",
        39.718600,
        140.102334,
        10.0,
        0.25,
    ),
    p(
        6,
        "Yamagata",
        "山形県",
        "Tohoku",
        38.240437,
        140.363634,
        13.0,
        0.22,
    ),
    p(
        7,
        "Fukushima",
        "福島県",
        "Tohoku",
        37.750299,
        140.467521,
        22.0,
        0.28,
    ),
    p(
        8,
        "Ibaraki",
        "茨城県",
        "Kanto",
        36.341813,
        140.446793,
        30.0,
        0.20,
    ),
    p(
        9,
        "Tochigi",
        "栃木県",
        "Kanto",
        36.565725,
        139.883565,
        22.0,
        0.18,
    ),
    p(
        10,
        "Gunma",
        "群馬県",
        "Kanto",
        36.391208,
        139.060156,
        24.0,
        0.18,
    ),
    p(
        11,
        "Saitama",
        "埼玉県",
        "Kanto",
        35.857428,
        139.648933,
        70.0,
        0.12,
    ),
    p(
        12,
        "Chiba",
        "千葉県",
        "Kanto",
        35.605058,
        140.123308,
        52.0,
        0.15,
    ),
    p(
        13,
        "Tokyo",
        "東京都",
        "Kanto",
        35.689521,
        139.691704,
        260.0,
        0.06,
    ),
    p(
        14,
        "Kanagawa",
        "神奈川県",
        "Kanto",
        35.447753,
        139.642514,
        88.0,
        0.09,
    ),
    p(
        15,
        "Niigata",
        "新潟県",
        "Chubu",
        37.902418,
        139.023221,
        28.0,
        0.30,
    ),
    p(
        16,
        "Toyama",
        "富山県",
        "Chubu",
        36.695290,
        137.211338,
        14.0,
        0.15,
    ),
    p(
        17,
        "Ishikawa",
        "石川県",
        "Chubu",
        36.594682,
        136.625573,
        15.0,
        0.18,
    ),
    p(
        18,
        "Fukui",
        "福井県",
        "Chubu",
        36.065219,
        136.221642,
        11.0,
        0.15,
    ),
    p(
        19,
        "Yamanashi",
        "山梨県",
        "Chubu",
        35.664158,
        138.568449,
        10.0,
        0.15,
    ),
    p(
        20,
        "Nagano",
        "長野県",
        "Chubu",
        36.651289,
        138.181224,
        26.0,
        0.30,
    ),
    p(
        21,
        "Gifu",
        "岐阜県",
        "Chubu",
        35.391227,
        136.722291,
        24.0,
        0.20,
    ),
    p(
        22,
        "Shizuoka",
        "静岡県",
        "Chubu",
        34.976978,
        138.383054,
        46.0,
        0.20,
    ),
    p(
        23,
        "Aichi",
        "愛知県",
        "Chubu",
        35.180188,
        136.906565,
        95.0,
        0.12,
    ),
    p(
        24,
        "Mie",
        "三重県",
        "Kinki",
        34.730283,
        136.508591,
        18.0,
        0.20,
    ),
    p(
        25,
        "Shiga",
        "滋賀県",
        "Kinki",
        35.004531,
        135.868590,
        12.0,
        0.15,
    ),
    p(
        26,
        "Kyoto",
        "京都府",
        "Kinki",
        35.021004,
        135.755608,
        30.0,
        0.15,
    ),
    p(
        27,
        "Osaka",
        "大阪府",
        "Kinki",
        34.686316,
        135.519711,
        110.0,
        0.07,
    ),
    p(
        28,
        "Hyogo",
        "兵庫県",
        "Kinki",
        34.691279,
        135.183025,
        54.0,
        0.18,
    ),
    p(
        29,
        "Nara",
        "奈良県",
        "Kinki",
        34.685333,
        135.832744,
        10.0,
        0.12,
    ),
    p(
        30,
        "Wakayama",
        "和歌山県",
        "Kinki",
        34.226034,
        135.167506,
        10.0,
        0.18,
    ),
    p(
        31,
        "Tottori",
        "鳥取県",
        "Chugoku",
        35.503869,
        134.237672,
        6.0,
        0.18,
    ),
    p(
        32,
        "Shimane",
        "島根県",
        "Chugoku",
        35.472297,
        133.050499,
        7.0,
        0.25,
    ),
    p(
        33,
        "Okayama",
        "岡山県",
        "Chugoku",
        34.661772,
        133.934675,
        20.0,
        0.18,
    ),
    p(
        34,
        "Hiroshima",
        "広島県",
        "Chugoku",
        34.396560,
        132.459622,
        36.0,
        0.20,
    ),
    p(
        35,
        "Yamaguchi",
        "山口県",
        "Chugoku",
        34.186121,
        131.470500,
        13.0,
        0.22,
    ),
    p(
        36,
        "Tokushima",
        "徳島県",
        "Shikoku",
        34.065770,
        134.559303,
        8.0,
        0.15,
    ),
    p(
        37,
        "Kagawa",
        "香川県",
        "Shikoku",
        34.340149,
        134.043444,
        12.0,
        0.10,
    ),
    p(
        38,
        "Ehime",
        "愛媛県",
        "Shikoku",
        33.841660,
        132.765362,
        16.0,
        0.22,
    ),
    p(
        39,
        "Kochi",
        "高知県",
        "Shikoku",
        33.559705,
        133.531080,
        8.0,
        0.25,
    ),
    p(
        40,
        "Fukuoka",
        "福岡県",
        "Kyushu-Okinawa",
        33.606785,
        130.418314,
        60.0,
        0.15,
    ),
    p(
        41,
        "Saga",
        "佐賀県",
        "Kyushu-Okinawa",
        33.249367,
        130.298822,
        8.0,
        0.12,
    ),
    p(
        42,
        "Nagasaki",
        "長崎県",
        "Kyushu-Okinawa",
        32.744839,
        129.873756,
        13.0,
        0.20,
    ),
    p(
        43,
        "Kumamoto",
        "熊本県",
        "Kyushu-Okinawa",
        32.789828,
        130.741667,
        18.0,
        0.20,
    ),
    p(
        44,
        "Oita",
        "大分県",
        "Kyushu-Okinawa",
        33.238194,
        131.612591,
        13.0,
        0.20,
    ),
    p(
        45,
        "Miyazaki",
        "宮崎県",
        "Kyushu-Okinawa",
        31.911090,
        131.423855,
        11.0,
        0.22,
    ),
    p(
        46,
        "Kagoshima",
        "鹿児島県",
        "Kyushu-Okinawa",
        31.560148,
        130.557981,
        18.0,
        0.30,
    ),
    p(
        47,
        "Okinawa",
        "沖縄県",
        "Kyushu-Okinawa",
        26.212401,
        127.680932,
        16.0,
        0.12,
    ),
];

/// One industry division (after the divisions of the Japan Standard Industrial
/// Classification, with manufacturing split in four and wholesale and retail apart).
///
/// ```
/// use tsunagime::synthetic::japan::INDUSTRIES;
/// assert_eq!(INDUSTRIES.len(), 20);
/// assert!((INDUSTRIES.iter().map(|i| i.share).sum::<f64>() - 100.0).abs() < 5.0);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Industry {
    /// Name.
    pub name: &'static str,
    /// Share of firms, in percent (rounded, for weights only).
    pub share: f64,
    /// How much more common the industry is in large urban prefectures (+) or in rural
    /// ones (−): the log-weight changes by `urban * (urbanity - 0.5)`.
    pub urban: f64,
    /// Propensity to do joint research (0–1).
    pub research: f64,
    /// Value added per employee, million yen (sets employees from sales).
    pub sales_per_employee: f64,
}

const fn ind(name: &'static str, share: f64, urban: f64, research: f64, spe: f64) -> Industry {
    Industry {
        name,
        share,
        urban,
        research,
        sales_per_employee: spe,
    }
}

/// The 20 industries; indices are used by [`SUPPLY`].
pub const INDUSTRIES: [Industry; 20] = [
    ind("Agriculture & forestry", 1.5, -2.0, 0.05, 12.0),
    ind("Fisheries", 0.3, -2.0, 0.02, 12.0),
    ind("Mining", 0.2, -1.0, 0.05, 40.0),
    ind("Construction", 16.0, -0.4, 0.05, 30.0),
    ind("Food manufacturing", 2.5, -0.5, 0.30, 30.0),
    ind("Materials manufacturing", 3.5, -0.3, 0.60, 45.0),
    ind("Machinery manufacturing", 4.5, -0.2, 0.80, 40.0),
    ind("Other manufacturing", 3.5, -0.2, 0.30, 28.0),
    ind("Utilities", 0.3, 0.0, 0.30, 80.0),
    ind("Information & communications", 3.5, 2.0, 0.70, 25.0),
    ind("Transport & postal", 4.0, 0.0, 0.05, 20.0),
    ind("Wholesale", 12.0, 0.8, 0.10, 70.0),
    ind("Retail", 13.0, 0.0, 0.02, 25.0),
    ind("Finance & insurance", 1.5, 1.0, 0.05, 40.0),
    ind("Real estate & rental", 10.0, 0.6, 0.02, 35.0),
    ind("Professional & technical services", 6.0, 1.2, 0.90, 18.0),
    ind("Accommodation & food services", 6.0, 0.2, 0.02, 8.0),
    ind("Personal services & amusement", 4.5, 0.2, 0.02, 10.0),
    ind("Medical, welfare & education", 4.0, 0.0, 0.40, 9.0),
    ind("Other services", 3.0, 0.3, 0.05, 12.0),
];

/// Supply propensity: `SUPPLY[c]` lists `(supplier industry, weight)` for a customer of
/// industry `c`. Stylised from the structure of Japan's input–output tables: manufacturers buy
/// materials and parts, wholesale sits between makers and retailers, services buy from
/// wholesale, information and professional services. Every pair also gets a small background
/// weight ([`BACKGROUND`]) so that no industry pair is impossible.
pub const SUPPLY: [&[(usize, f64)]; 20] = [
    &[(11, 3.0), (5, 2.0), (6, 1.0), (10, 1.0), (0, 1.0)],
    &[(11, 3.0), (6, 1.5), (10, 1.0), (5, 1.0)],
    &[(6, 2.0), (11, 2.0), (10, 1.5), (3, 1.0), (8, 1.0)],
    &[
        (3, 4.0),
        (5, 3.0),
        (11, 4.0),
        (6, 1.0),
        (7, 1.0),
        (10, 1.0),
        (15, 1.0),
        (14, 0.5),
    ],
    &[
        (0, 3.0),
        (1, 1.5),
        (11, 3.0),
        (4, 2.0),
        (5, 1.0),
        (10, 1.0),
        (7, 0.5),
    ],
    &[
        (2, 1.0),
        (5, 3.0),
        (11, 3.0),
        (8, 1.0),
        (10, 1.0),
        (6, 0.5),
        (15, 0.5),
    ],
    &[
        (5, 3.0),
        (6, 4.0),
        (7, 1.5),
        (11, 2.5),
        (10, 1.0),
        (9, 0.5),
        (15, 0.5),
    ],
    &[(5, 2.0), (7, 2.0), (11, 3.0), (6, 0.5), (10, 0.5), (0, 0.5)],
    &[(2, 1.0), (3, 2.0), (6, 2.0), (11, 2.0), (15, 1.0), (9, 0.5)],
    &[
        (9, 4.0),
        (15, 2.0),
        (11, 1.0),
        (14, 0.5),
        (19, 0.5),
        (6, 0.5),
    ],
    &[
        (6, 1.5),
        (11, 2.0),
        (10, 3.0),
        (8, 0.5),
        (14, 0.5),
        (19, 0.5),
    ],
    &[
        (4, 2.0),
        (5, 2.0),
        (6, 2.0),
        (7, 2.0),
        (0, 1.0),
        (1, 0.5),
        (11, 3.0),
        (10, 1.5),
    ],
    &[(11, 5.0), (4, 1.5), (7, 1.0), (0, 0.5), (10, 0.5), (9, 0.3)],
    &[(9, 3.0), (15, 2.0), (14, 1.0), (19, 1.0), (13, 1.0)],
    &[(3, 3.0), (15, 1.5), (13, 1.0), (19, 1.0), (11, 0.5)],
    &[(9, 2.0), (15, 3.0), (11, 1.0), (14, 1.0), (19, 0.5)],
    &[
        (11, 3.0),
        (4, 2.0),
        (0, 1.0),
        (1, 0.5),
        (12, 0.5),
        (17, 0.3),
        (14, 0.5),
    ],
    &[
        (11, 2.0),
        (14, 1.0),
        (9, 1.0),
        (7, 0.5),
        (15, 0.5),
        (19, 0.5),
    ],
    &[
        (11, 3.0),
        (15, 1.0),
        (14, 1.0),
        (19, 1.0),
        (6, 0.5),
        (9, 0.5),
    ],
    &[(11, 2.0), (9, 1.0), (15, 1.0), (14, 1.0), (10, 0.5)],
];

/// Background supply weight between any two industries.
pub const BACKGROUND: f64 = 0.05;

/// Great-circle distance in kilometres (haversine, mean Earth radius).
///
/// ```
/// use tsunagime::synthetic::japan::distance_km;
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
