"""``tsunagime demo``: the main job on the embedded synthetic economy, written to a folder."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd

from . import datasets, roles
from ._network import TradeNetwork
from .recommend import PartnerRecommender
from .summit import Schedule, pair_scores, schedule_meetings

SUMMARY_FILES = (
    "firms.csv, trades.csv, collaborations.csv — the economy\n"
    "calibration.csv — its shape figures\n"
    "roles.csv — linkage, brokerage, cartography and ripple figures per firm\n"
    "brokerage_summary.csv — network-level brokerage against sna's null model\n"
    "leading_firms.csv — METI-2019-style selection, top 5 per prefecture, with reasons\n"
    "recommendations.csv — for each leading firm, new customers outside its prefecture, new "
    "suppliers inside it and research partners, with the evidence\n"
    "prefectures/*.md — a one-page summary per prefecture\n"
    "summit/ — a summit of the leading firms: meetings.csv/.xlsx, schedule.html (grid pages "
    "and agendas), schedule.ics, agendas/ (a page and a calendar per firm), summary.txt\n"
    "figures/ — connector hubs, brokerage roles, cartography, regional trade, the summit grid "
    "(PNG; needs matplotlib)"
)


def run(out: Path, n_firms: int, seed: int, country: str = "jp") -> list[str]:
    """Builds the economy (``country`` ``"jp"``: prefectures; ``"kr"``: provinces), computes
    every result, writes the folder; returns summary lines."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    net = datasets.synthetic_japan(n_firms, seed=seed, country=country)  # type: ignore[arg-type]
    region = "prefecture" if country == "jp" else "province"
    built = time.perf_counter() - start
    net.to_csv(out / "firms.csv", out / "trades.csv", out / "collaborations.csv")
    figures = datasets.calibration(net, seed=seed)
    figures.to_frame().to_csv(out / "calibration.csv", index_label="figure")

    start = time.perf_counter()
    table = role_table(net, region)
    summary = roles.brokerage_summary(net, region)
    chosen = roles.select_leading_firms(net, region, per_region=5)
    analysed = time.perf_counter() - start
    table.to_csv(out / "roles.csv")
    summary.to_csv(out / "brokerage_summary.csv")
    chosen.to_csv(out / "leading_firms.csv")
    leaders = chosen.index[chosen["selected"]]
    start = time.perf_counter()
    recs = recommendations(net, leaders, region=region)
    recs.to_csv(out / "recommendations.csv", index=False)
    pages = out / f"{region}s"
    pages.mkdir(exist_ok=True)
    firms = net.firms
    for code, name in (
        firms[[f"{region}_code", region]]
        .drop_duplicates()
        .sort_values(f"{region}_code")
        .itertuples(index=False)
    ):
        members = firms.index[firms[region] == name]
        page = prefecture_page(
            name, table.loc[members], chosen.loc[members], recs[recs["firm_id"].isin(members)]
        ).replace("prefecture", region)
        (pages / f"{code}-{name}.md").write_text(page)

    scores = pair_scores(net, leaders, region=region)
    recommended = time.perf_counter() - start
    participants = pd.DataFrame(
        {
            "participant": leaders,
            "name": demo_names(leaders, net.firms.loc[leaders, "industry"]),
            "prefecture": net.firms.loc[leaders, region].to_numpy(),
        }
    )
    plan = schedule_meetings(participants, scores, slots=8, tables=60, min_meetings=2, seed=seed)
    folder = out / "summit"
    if folder.exists():
        shutil.rmtree(folder)  # the demo's own output of an earlier run
    plan.write(folder, title="Leading firms summit", start="2026-04-20 10:00", minutes=20)

    drawn = draw_figures(net, plan, out / "figures", region)

    report = {
        "network": repr(net),
        "seed": seed,
        "seconds_to_build": round(built, 3),
        "seconds_for_roles": round(analysed, 3),
        "leading_firms": int(chosen["selected"].sum()),
        "seconds_for_recommendations": round(recommended, 3),
        "recommendations": len(recs),
        "calibration": {k: (v if isinstance(v, str) else float(v)) for k, v in figures.items()},
    }
    (out / "summary.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"tsunagime demo: a seeded {'Japan' if country == 'jp' else 'Korea'}-like economy",
        "",
        repr(net),
        f"built in {built:.2f} s, roles and selection in {analysed:.2f} s (seed {seed})",
        f"{int(chosen['selected'].sum())} leading firms selected (top 5 per {region})",
        f"{len(recs):,} partner recommendations for them in {recommended:.2f} s "
        f"(customers outside, suppliers inside the {region}, research partners)",
        f"summit: {plan!r}",
        f"figures: {drawn}",
        "",
        "brokerage against sna's null model:",
        *("  " + line for line in summary.round(2).to_string().splitlines()),
        "",
        "calibration figures:",
        *(
            f"  {k:<30} {v if isinstance(v, str) else f'{float(v):.4g}'}"
            for k, v in figures.items()
        ),
        "",
        "files:",
        *("  " + line for line in SUMMARY_FILES.splitlines()),
    ]
    (out / "summary.txt").write_text("\n".join(lines) + "\n")
    return lines


STEMS = ("Aoba", "Asahi", "Chitose", "Daiichi", "Fuji", "Hikari", "Hokuto", "Kaede", "Midori",
         "Minato", "Nishiki", "Sakura", "Shinwa", "Taiyo", "Tokiwa", "Yamato")  # fmt: skip
KINDS = ("Kogyo", "Seisakusho", "Shoji", "Denki", "Seiki", "Kasei", "Sangyo", "Giken")


def demo_names(firm_ids: Any, industries: Any) -> list[str]:
    """Readable synthetic firm names, e.g. ``Sakura Seiki 17``: a stem and a kind drawn from
    the firm id, the industry in brackets, unique by the number."""
    return [
        f"{STEMS[int(f) % len(STEMS)]} {KINDS[(int(f) // len(STEMS)) % len(KINDS)]} "
        f"{int(f) % 1000} ({industry})"
        for f, industry in zip(firm_ids, industries, strict=True)
    ]


def draw_figures(net: TradeNetwork, plan: Schedule, folder: Path, region: str) -> str:
    """Draws the five figures of :mod:`tsunagime.plot` into ``folder`` when matplotlib is
    installed; says what it did."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return "skipped (pip install matplotlib to draw them)"
    from . import plot

    paths = plot.save_all(net, folder, schedule=plan, region=region, dpi=80)
    return f"{len(paths)} PNG files in figures/"


#: The recommendations the demo makes to each leading firm: (label, purpose, prefer).
PURPOSES = (
    ("new customers outside the prefecture (connector)", "customer", "out_region"),
    ("new suppliers inside the prefecture (hub)", "supplier", "in_region"),
    ("joint-research partners", "research", None),
)


def recommendations(
    net: TradeNetwork, firms: pd.Index, k: int = 5, region: str = "prefecture"
) -> pd.DataFrame:
    """For each firm, its ``k`` best new out-of-region customers, in-region suppliers and
    research partners, with their evidence; shared partners joined by ``;`` for CSV."""
    frames = []
    for label, purpose, prefer in PURPOSES:
        rec = PartnerRecommender(purpose, region=region, prefer=prefer, seed=0).fit(net)
        recs = rec.recommend(firms, k=k)
        recs.insert(0, "purpose", purpose)
        recs.insert(1, "looking_for", label)
        frames.append(recs)
    table = pd.concat(frames, ignore_index=True)
    table["shared_partners"] = table["shared_partners"].map(lambda ids: ";".join(map(str, ids)))
    return table


def role_table(net: TradeNetwork, region: str = "prefecture") -> pd.DataFrame:
    """Linkage, brokerage (counts and z), cartography and ripple figures side by side."""
    link = roles.linkage(net, region)
    brok = roles.brokerage(net, region)
    names = list(roles.ROLE_NAMES)
    carto = roles.cartography(net, region)
    rip = roles.ripple(net, region)
    table: pd.DataFrame = pd.concat(
        [
            link,
            brok[names + [f"z_{r}" for r in names]],
            carto[["participation", "within_module_z", "role_name"]].rename(
                columns={"role_name": "cartography_role"}
            ),
            rip[["multiplier", "leakage", "pull"]],
        ],
        axis=1,
    )
    return table


def prefecture_page(
    name: str, table: pd.DataFrame, chosen: pd.DataFrame, recs: pd.DataFrame
) -> str:
    """A one-page Markdown summary of one prefecture."""
    n = len(table)
    sold_out = table["sales_out"].sum() / max(
        table["sales_in"].sum() + table["sales_out"].sum(), 1e-300
    )
    bought_in = table["purchases_in"].sum() / max(
        table["purchases_in"].sum() + table["purchases_out"].sum(), 1e-300
    )
    roles_count = table["role"].value_counts()

    def top(frame: pd.DataFrame, column: str, k: int = 5) -> str:
        rows = frame.nlargest(k, column)
        return "\n".join(
            f"| {i} | {row[column]:.4g} | {row['role']} |" for i, row in rows.iterrows()
        )

    selected = chosen[chosen["selected"]]
    lines = [
        f"# {name}",
        "",
        f"{n:,} firms. Of their sales, {sold_out:.1%} go to customers outside {name}; of their "
        f"purchases, {bought_in:.1%} come from suppliers inside it. Median in-region output "
        f"multiplier: {table['multiplier'].median():.3f}.",
        "",
        "Roles: " + ", ".join(f"{k} {v:,}" for k, v in roles_count.items()),
        "",
        "## Largest out-of-region sellers (share of the prefecture's out-of-region sales)",
        "",
        "| firm | connector share | role |",
        "|---|---|---|",
        top(table, "connector_share"),
        "",
        "## Representatives: carry in-region supply out (brokerage z-score)",
        "",
        "| firm | z representative | role |",
        "|---|---|---|",
        top(table, "z_representative"),
        "",
        "## Regional pull: in-region output induced by the outside demand they bring in",
        "",
        "| firm | pull | role |",
        "|---|---|---|",
        top(table, "pull"),
        "",
        "## Leading firms (METI 2019 indicators, top 5)",
        "",
        "| firm | composite | reason |",
        "|---|---|---|",
        *(f"| {i} | {row['composite']:.1f} | {row['reason']} |" for i, row in selected.iterrows()),
        "",
        "## Their best recommended partners",
        "",
        "| firm | looking for | partner | partner industry | km | shared partners |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r.firm_id} | {r.looking_for} | {r.partner_id} | {r.partner_industry} | "
            f"{r.distance_km:.0f} | {r.shared_partners or '—'} |"
            for r in recs[recs["rank"] == 1].itertuples()
        ),
        "",
    ]
    return "\n".join(lines)
