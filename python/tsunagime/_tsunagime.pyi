"""Type stubs of the native module (built from Rust with PyO3)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "Network",
    "Print",
    "Recommender",
    "Schedule",
    "__version__",
    "_register_errors",
    "brokerage",
    "calibration",
    "cartography",
    "default_options",
    "describe_report",
    "evaluate",
    "feature_names",
    "fit_recommender",
    "known_encoding",
    "link_prediction_scores",
    "linkage",
    "meti_2019_indicators",
    "prefectures",
    "random_instance",
    "ripple",
    "schedule",
    "select",
    "simulate_shock",
    "synthetic_japan",
]

__version__: str

def _register_errors(classes: Mapping[str, type[Exception]]) -> None: ...

_Ids: TypeAlias = npt.NDArray[np.int64] | list[str]
# Arrow large_string buffers: int64 offsets and UTF-8 bytes.
_IdsIn: TypeAlias = _Ids | list[tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]]

@final
class Network:
    @staticmethod
    def from_columns(
        firm_ids: _IdsIn | None,
        partitions: list[tuple[str, list[str], npt.NDArray[np.int64]]],
        attributes: list[tuple[str, npt.NDArray[np.float64]]],
        supplier: _IdsIn,
        customer: _IdsIn,
        amount: npt.NDArray[np.float64] | None = None,
        year: npt.NDArray[np.int32] | None = None,
        last_year: npt.NDArray[np.int32] | None = None,
        collab_a: _IdsIn | None = None,
        collab_b: _IdsIn | None = None,
        collab_year: npt.NDArray[np.int32] | None = None,
        duplicates: str = "sum",
        self_loops: str = "error",
        unknown_firms: str = "error",
        names: tuple[str, str, str] = ...,
    ) -> tuple[Network, str]: ...
    @staticmethod
    def from_io_table(
        z: npt.NDArray[np.float64],
        output: npt.NDArray[np.float64],
        regions: list[str],
        sectors: list[str],
    ) -> tuple[Network, str]: ...
    @staticmethod
    def read_csv(
        firms: str | None,
        trades: str,
        collaborations: str | None,
        firm_id: str,
        supplier: str,
        customer: str,
        amount: tuple[str | None, bool],
        year: tuple[str | None, bool],
        last_year: tuple[str | None, bool],
        collaboration_columns: tuple[str, str],
        partitions: list[str],
        attributes: list[str],
        id_type: str,
        delimiter: str,
        duplicates: str,
        self_loops: str,
        encoding: str = "auto",
        thousands: str | None = None,
        unknown_firms: str = "error",
        progress: Callable[[str, int, int], object] | None = None,
    ) -> tuple[Network, str]: ...
    def write_csv(self, firms: str, trades: str, collaborations: str | None = None) -> None: ...
    @property
    def n_firms(self) -> int: ...
    @property
    def n_trades(self) -> int: ...
    @property
    def n_collaborations(self) -> int: ...
    def firm_ids(self) -> _Ids: ...
    def partitions(self) -> list[tuple[str, list[str], npt.NDArray[np.int64]]]: ...
    def attributes(self) -> list[tuple[str, npt.NDArray[np.float64]]]: ...
    def trades(self) -> dict[str, npt.NDArray[Any]]: ...
    def collaborations(self) -> dict[str, npt.NDArray[Any]]: ...
    def index_of(self, ids: _IdsIn) -> npt.NDArray[np.uint32]: ...
    def until(self, year: int) -> Network: ...
    def subgraph(self, indices: npt.NDArray[np.uint32]) -> Network: ...
    def save(self, path: str, overwrite: bool = False) -> None: ...
    @staticmethod
    def open(path: str, verify: bool = False) -> Network: ...
    @property
    def file(self) -> tuple[str, str] | None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Network: ...
    def degrees(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]: ...

def synthetic_japan(
    n_firms: int,
    seed: int,
    start_year: int,
    end_year: int,
    mean_degree: float,
    survival: float,
    local_share: float,
    copy_share: float,
    copy_share_new: float,
    collaboration_rate: float,
    country: str = "jp",
    progress: Callable[[str, int, int], object] | None = None,
) -> Network: ...
def calibration(
    net: Network,
    max_cycle_trades: int,
    seed: int,
    progress: Callable[[str, int, int], object] | None = None,
) -> dict[str, Any]: ...
def prefectures(country: str = "jp") -> dict[str, list[Any]]: ...
def linkage(
    net: Network,
    region: str,
    hub_threshold: float,
    connector_threshold: float,
    firms: list[int] | None = None,
) -> dict[str, Any]: ...
def brokerage(
    net: Network,
    region: str,
    weighted: bool,
    progress: Callable[[str, int, int], object] | None = None,
    firms: list[int] | None = None,
) -> dict[str, Any]: ...
def cartography(
    net: Network,
    module: str,
    direction: str,
    weighted: bool,
    hub_z: float,
    non_hub_p: list[float],
    hub_p: list[float],
) -> dict[str, Any]: ...
def ripple(
    net: Network,
    region: str,
    output: str | None,
    tolerance: float,
    max_sweeps: int,
    clip: float | None,
    firms: list[int] | None = None,
) -> dict[str, Any]: ...
def meti_2019_indicators(
    net: Network, region: str, year: int | None = None
) -> list[tuple[str, npt.NDArray[np.float64], float]]: ...
def select(
    net: Network,
    region: str,
    indicators: list[tuple[str, npt.NDArray[np.float64], float]],
    rule: tuple[str, float],
    nominated: npt.NDArray[np.uint32],
    within_region: bool,
) -> dict[str, Any]: ...

@final
class Print:
    def __new__(
        cls,
        title: str,
        start: str | None = None,
        minutes: int = 20,
        language: str = "en",
        people: list[tuple[str, str, str, str]] = ...,
        tables_per_page: int = 8,
        zone: tuple[str, int] | None = None,
        sessions: list[tuple[str, str, int, int]] | None = None,
    ) -> Print: ...
    def slot_label(self, s: int) -> str | None: ...

@final
class Schedule:
    def columns(self) -> dict[str, Any]: ...
    def ids(self) -> list[str]: ...
    def tables(self) -> list[int]: ...
    def unmet_wishes(self) -> list[tuple[int, str, str, str, str, str]]: ...
    def changes(
        self,
    ) -> list[tuple[str, str, str, tuple[int, int] | None, tuple[int, int] | None, str]]: ...
    def csv(self, print: Print) -> str: ...
    def json(self) -> str: ...
    def ics(self, print: Print, v: int | None = None) -> str: ...
    def html(self, print: Print, v: int | None = None) -> str: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Schedule: ...

def schedule(
    participants: list[tuple[str, str | None, int, int | None, int | None]],
    scores: list[tuple[str, str, float]],
    slots: int,
    tables: list[int],
    unavailable: list[tuple[str, int]],
    must_meet: list[tuple[str, str]],
    forbidden: list[tuple[str, str]],
    fixed: list[tuple[str, str, int]],
    wishes: list[tuple[str, str, str]] = ...,
    time_limit: float | None = None,
    seed: int = 0,
    progress: Callable[[str, int, int], object] | None = None,
    compact: bool = True,
    published: list[tuple[str, str, int, int]] = ...,
    idle_tolerance: float = ...,
) -> Schedule: ...
def known_encoding(label: str) -> bool: ...
def describe_report(report: str) -> str: ...
def random_instance(
    n: int, slots: int, tables: int, partners: int, unavailable: float, seed: int
) -> tuple[list[str], list[tuple[str, str, float]], list[tuple[str, int]]]: ...

@final
class Recommender:
    def recommend(
        self,
        firms: npt.NDArray[np.uint32] | None,
        k: int,
        among: npt.NDArray[np.uint32] | None,
        forbidden_a: npt.NDArray[np.uint32],
        forbidden_b: npt.NDArray[np.uint32],
        progress: Callable[[str, int, int], object] | None = None,
    ) -> npt.NDArray[np.uint8]: ...
    def sides(self) -> list[dict[str, Any]]: ...
    def fused(self) -> bool: ...
    def columns(self) -> tuple[str | None, str | None]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(net: Network, data: bytes) -> Recommender: ...

def fit_recommender(
    net: Network,
    params: dict[str, Any],
    progress: Callable[[str, int, int], object] | None = None,
) -> Recommender: ...
def evaluate(
    net: Network,
    params: dict[str, Any],
    split_year: int | None,
    horizon: int,
    holdout: float,
    min_partners: int,
    seed: int,
    ks: list[int],
    baselines: bool,
    max_queries: int,
    progress: Callable[[str, int, int], object] | None = None,
) -> dict[str, Any]: ...
def link_prediction_scores(
    net: Network,
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    purpose: str | None = None,
) -> list[npt.NDArray[np.float64]]: ...
def default_options() -> str: ...
def feature_names(purpose: str) -> list[str]: ...
def simulate_shock(
    net: Network,
    damage: npt.NDArray[np.float64],
    demand: npt.NDArray[np.float64] | None,
    groups: npt.NDArray[np.uint32],
    n_groups: int,
    days: int,
    inventory_days: float,
    tau: float,
    rationing: str,
    orders: str,
    psi: float | None,
    recovery: float,
    substitution: float,
    industry: str | None,
    output: str | None,
    progress: Callable[[str, int, int], object] | None = None,
) -> dict[str, Any]: ...
