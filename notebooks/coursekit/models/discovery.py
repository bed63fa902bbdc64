"""Drug discovery with stem-cell disease models: screening plates, the Z'-factor, Hill curves, differentiation signals.

Science sources (see coursekit/data/facts.csv): Z'-factor, Zhang, Chung & Oldenburg 1999 J Biomol Screen 4:67;
4-parameter logistic (Hill) equation as in the GraphPad Prism guide; plate formats from the NIH Assay Guidance
Manual; which differentiation signals are proteins and which are small molecules from Yang 2008, Lian 2012,
Chambers 2009 and Zhou 2010 (coursekit/data/04_stem_cells_in_drug_discovery/discovery_signals.csv).

Simulator choices (not facts, stated where they are used): which columns hold the controls, and how strongly a
truly active candidate moves the signal.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import facts
from ..paths import DATA_DIR
from ..tables import read_table
from .validation import check_choice, check_range

# --------------------------------------------------------------------------------------------------------------
# Screening plates and the Z'-factor
# --------------------------------------------------------------------------------------------------------------
# rows, columns, control columns on EACH side (simulator layout: negative controls in the left edge columns,
# positive controls in the right edge columns, a common way to lay out a screening plate).
PLATE_GEOMETRY = {96: (8, 12, 1), 384: (16, 24, 2), 1536: (32, 48, 4)}
PLATE_FORMAT_KEYS = {96: "disc_microplate_96_wells", 384: "disc_microplate_384_wells",
                     1536: "disc_microplate_1536_wells"}
NEGATIVE_CONTROL_MEAN = 100.0  # signal units of untreated disease cells (an arbitrary zero point)
HIT_SD_MULTIPLIER = 3.0  # a well is a hit when its signal exceeds the negative-control mean + 3 SD
ACTIVE_EFFECT_FRACTION = (0.3, 1.0)  # simulator: a true active moves the signal by 30-100 % of the control window
MAX_CANDIDATES = 100_000
MAX_SEPARATION = 1000.0
MAX_NOISE_SD = 500.0

EMPTY, NEGATIVE, POSITIVE, SAMPLE = 0, 1, 2, 3
ROLE_NAMES = {EMPTY: "empty", NEGATIVE: "negative control", POSITIVE: "positive control", SAMPLE: "candidate"}


def plate_formats() -> list[int]:
    """The plate formats the simulator knows (wells per plate), each a sourced standard format."""
    return [int(facts.value(PLATE_FORMAT_KEYS[n])) for n in PLATE_GEOMETRY]


def _check_format(n_wells: int) -> int:
    check_choice("n_wells", n_wells, tuple(PLATE_GEOMETRY))
    return int(n_wells)


def control_wells_per_plate(n_wells: int) -> int:
    """How many wells of one plate hold controls (both edges, negative and positive)."""
    rows, _, control_cols = PLATE_GEOMETRY[_check_format(n_wells)]
    return 2 * rows * control_cols


def sample_wells_per_plate(n_wells: int) -> int:
    """How many wells of one plate are left for candidates after the control columns."""
    return _check_format(n_wells) - control_wells_per_plate(n_wells)


def plates_needed(n_candidates: int, n_wells: int) -> int:
    """Plates a campaign needs to test every candidate once (one well each), controls on every plate."""
    n = check_range("n_candidates", n_candidates, 1, MAX_CANDIDATES, "candidates")
    return math.ceil(n / sample_wells_per_plate(n_wells))


def z_prime(mean_positive: float, sd_positive: float, mean_negative: float, sd_negative: float) -> float:
    """Z'-factor of an assay from its controls: 1 - 3(sd+ + sd-) / |mean+ - mean-| (Zhang et al. 1999)."""
    check_range("sd_positive", sd_positive, 0, math.inf)
    check_range("sd_negative", sd_negative, 0, math.inf)
    gap = abs(float(mean_positive) - float(mean_negative))
    if not gap > 0 or math.isnan(gap):
        raise ValueError("mean_positive and mean_negative must differ: the Z'-factor needs a gap between the "
                         f"control means; got {mean_positive!r} and {mean_negative!r}")
    return 1.0 - 3.0 * (sd_positive + sd_negative) / gap


def z_prime_category(z: float) -> str:
    """Zhang et al. (1999) reading of a Z'-factor: ideal, excellent, marginal, yes/no assay, or impossible."""
    z = float(z)
    if math.isnan(z) or z > 1:
        raise ValueError(f"z = {z!r} is not a Z'-factor: the allowed range is any number up to 1")
    if z == 1:
        return "ideal"
    if z >= facts.value("disc_zprime_excellent_min"):
        return "excellent"
    if z > 0:
        return "marginal"
    if z == 0:
        return "a yes/no assay"
    return "screening essentially impossible"


def expected_z_prime(separation: float, noise_sd: float) -> float:
    """Z'-factor the settings should give when both controls have the same noise: 1 - 6 sd / separation."""
    separation = check_range("control_separation", separation, 1e-9, MAX_SEPARATION, "signal units")
    noise_sd = check_range("noise_sd", noise_sd, 0, MAX_NOISE_SD, "signal units")
    return z_prime(NEGATIVE_CONTROL_MEAN + separation, noise_sd, NEGATIVE_CONTROL_MEAN, noise_sd)


def _normal_sf(x: float) -> float:
    """P(Z > x) for a standard normal variable."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def detection_probability(separation: float, noise_sd: float) -> float:
    """Chance that a truly active candidate (effect uniform over ACTIVE_EFFECT_FRACTION of the window) is called."""
    separation = check_range("control_separation", separation, 1e-9, MAX_SEPARATION, "signal units")
    noise_sd = check_range("noise_sd", noise_sd, 0, MAX_NOISE_SD, "signal units")
    effects = np.linspace(*ACTIVE_EFFECT_FRACTION, 201) * separation
    if noise_sd == 0:
        return 1.0
    return float(np.mean([_normal_sf(HIT_SD_MULTIPLIER - e / noise_sd) for e in effects]))


@dataclass(frozen=True)
class PlateResult:
    """One simulated screening plate and what it tells you."""

    n_wells: int
    signal: np.ndarray  # rows x columns, NaN where a well is empty
    role: np.ndarray  # EMPTY, NEGATIVE, POSITIVE or SAMPLE per well
    active: np.ndarray  # truly active candidate (known only to the simulator)
    hit: np.ndarray  # called a hit (signal above the threshold)
    threshold: float
    z_prime_measured: float
    z_prime_expected: float
    separation: float   # the settings it was simulated with: control separation and noise (signal units)
    noise_sd: float

    @property
    def control_means(self) -> tuple[float, float]:
        """The expected signal of the negative and of the positive controls (what the assay is set up to give)."""
        return NEGATIVE_CONTROL_MEAN, NEGATIVE_CONTROL_MEAN + self.separation

    @property
    def n_samples(self) -> int:
        return int((self.role == SAMPLE).sum())

    @property
    def n_hits(self) -> int:
        return int(self.hit.sum())

    @property
    def n_true_hits(self) -> int:
        return int((self.hit & self.active).sum())


def simulate_plate(n_wells: int = 384, n_candidates: int = 10_000, separation: float = 100.0,
                   noise_sd: float = 6.0, hit_rate_fraction: float | None = None, seed: int = 4) -> PlateResult:
    """Simulate the first plate of a screen: controls in the edge columns, candidates in the rest (seeded)."""
    n_wells = _check_format(n_wells)
    n_candidates = int(check_range("n_candidates", n_candidates, 1, MAX_CANDIDATES, "candidates"))
    separation = check_range("control_separation", separation, 1e-9, MAX_SEPARATION, "signal units")
    noise_sd = check_range("noise_sd", noise_sd, 0, MAX_NOISE_SD, "signal units")
    if hit_rate_fraction is None:
        hit_rate_fraction = facts.value("disc_hts_primary_hit_rate_fraction")
    hit_rate_fraction = check_range("hit_rate_fraction", hit_rate_fraction, 0, 1)
    rows, cols, ncc = PLATE_GEOMETRY[n_wells]
    rng = np.random.default_rng(seed)

    role = np.full((rows, cols), SAMPLE, dtype=np.int8)
    role[:, :ncc] = NEGATIVE
    role[:, cols - ncc:] = POSITIVE
    sample_index = np.flatnonzero((role == SAMPLE).ravel(order="F"))  # fill candidates column by column
    n_on_plate = min(n_candidates, sample_index.size)
    flat_role = role.ravel(order="F")
    flat_role[sample_index[n_on_plate:]] = EMPTY
    role = flat_role.reshape((rows, cols), order="F")  # type: ignore[assignment]  # numpy: shape type lost

    noise = rng.normal(0.0, noise_sd, size=(rows, cols))
    active = (role == SAMPLE) & (rng.random((rows, cols)) < hit_rate_fraction)
    effect = rng.uniform(*ACTIVE_EFFECT_FRACTION, size=(rows, cols)) * separation
    signal = NEGATIVE_CONTROL_MEAN + noise + np.where(active, effect, 0.0) + np.where(role == POSITIVE,
                                                                                      separation, 0.0)
    signal = np.where(role == EMPTY, np.nan, signal)

    neg, pos = signal[role == NEGATIVE], signal[role == POSITIVE]
    sd_neg, sd_pos = float(neg.std(ddof=1)), float(pos.std(ddof=1))
    threshold = float(neg.mean()) + HIT_SD_MULTIPLIER * sd_neg
    hit = (role == SAMPLE) & (np.nan_to_num(signal, nan=-np.inf) > threshold)
    measured = z_prime(float(pos.mean()), sd_pos, float(neg.mean()), sd_neg)
    return PlateResult(n_wells, signal, role, active, hit, threshold, measured,
                       expected_z_prime(separation, noise_sd), separation, noise_sd)


@dataclass(frozen=True)
class Campaign:
    """What a whole screening campaign needs and can expect to find."""

    plates: int
    control_wells: int
    sample_wells_per_plate: int
    expected_actives: float
    expected_true_hits: float
    expected_false_hits: float


def campaign(n_candidates: int, n_wells: int, separation: float, noise_sd: float,
             hit_rate_fraction: float | None = None) -> Campaign:
    """Plates, control wells and expected hits (true and false) for screening every candidate once."""
    if hit_rate_fraction is None:
        hit_rate_fraction = facts.value("disc_hts_primary_hit_rate_fraction")
    hit_rate_fraction = check_range("hit_rate_fraction", hit_rate_fraction, 0, 1)
    plates = plates_needed(n_candidates, n_wells)
    actives = n_candidates * hit_rate_fraction
    p_detect = detection_probability(separation, noise_sd)
    p_false = _normal_sf(HIT_SD_MULTIPLIER) if noise_sd > 0 else 0.0
    return Campaign(plates, plates * control_wells_per_plate(n_wells), sample_wells_per_plate(n_wells),
                    actives, actives * p_detect, (n_candidates - actives) * p_false)


# --------------------------------------------------------------------------------------------------------------
# Dose-response: the Hill (4-parameter logistic) equation
# --------------------------------------------------------------------------------------------------------------
MIN_CONC_NM, MAX_CONC_NM = 1e-4, 1e7
MIN_HILL, MAX_HILL = 0.2, 5.0
PLOT_MIN_NM, PLOT_MAX_NM = 1e-2, 1e6  # one fixed axis for every candidate, so curves can be compared


def hill_response(concentration_nm, bottom_pct: float, top_pct: float, ec50_nm: float, hill_slope: float):
    """Y = Bottom + (Top - Bottom) / (1 + (EC50 / X)^HillSlope), the 4-parameter logistic (GraphPad)."""
    bottom_pct = check_range("bottom_pct", bottom_pct, 0, 100, "%")
    top_pct = check_range("top_pct", top_pct, 0, 100, "%")
    ec50_nm = check_range("ec50_nm", ec50_nm, MIN_CONC_NM, MAX_CONC_NM, "nM")
    hill_slope = check_range("hill_slope", hill_slope, MIN_HILL, MAX_HILL)
    x = np.asarray(concentration_nm, dtype=float)
    if np.any(~(x >= 0)):
        raise ValueError("concentration_nm must be 0 or more (nM)")
    with np.errstate(divide="ignore"):
        y = bottom_pct + (top_pct - bottom_pct) / (1.0 + (ec50_nm / x) ** hill_slope)
    return float(y) if y.ndim == 0 else y


def concentration_for_fraction(fraction: float, ec50_nm: float, hill_slope: float) -> float:
    """Concentration (nM) that gives this fraction of the curve's full span: EC50 * (f / (1 - f))^(1 / slope)."""
    f = check_range("fraction", fraction, 1e-6, 1 - 1e-6)
    ec50_nm = check_range("ec50_nm", ec50_nm, MIN_CONC_NM, MAX_CONC_NM, "nM")
    hill_slope = check_range("hill_slope", hill_slope, MIN_HILL, MAX_HILL)
    return ec50_nm * (f / (1 - f)) ** (1 / hill_slope)


@dataclass(frozen=True)
class SafetyWindow:
    """Effect on disease-model cells against harm to healthy cells."""

    ec50_nm: float
    tc50_nm: float
    ec90_nm: float  # 90 % of the full effect on disease-model cells
    tc10_nm: float  # 10 % loss of healthy cells
    ratio_tc50_ec50: float  # toxic over effective concentration ("in vitro therapeutic index")
    window_fold: float  # tc10 / ec90; > 1 means a range with near-full effect and little harm

    @property
    def has_window(self) -> bool:
        return self.window_fold > 1


def safety_window(ec50_nm: float, tc50_nm: float, hill_slope: float) -> SafetyWindow:
    """The window between effect (EC90 on disease cells) and toxicity (TC10 on healthy cells), same Hill slope."""
    ec50_nm = check_range("ec50_nm", ec50_nm, MIN_CONC_NM, MAX_CONC_NM, "nM")
    tc50_nm = check_range("tc50_nm", tc50_nm, MIN_CONC_NM, MAX_CONC_NM, "nM")
    ec90 = concentration_for_fraction(0.9, ec50_nm, hill_slope)
    tc10 = concentration_for_fraction(0.1, tc50_nm, hill_slope)
    return SafetyWindow(ec50_nm, tc50_nm, ec90, tc10, tc50_nm / ec50_nm, tc10 / ec90)


@dataclass(frozen=True)
class DoseResponse:
    """Curves of one candidate: effect on disease-model cells and viability of healthy cells."""

    concentration_nm: np.ndarray
    effect_pct: np.ndarray
    viability_pct: np.ndarray
    window: SafetyWindow
    bottom_pct: float
    top_pct: float
    hill_slope: float


def dose_response(ec50_nm: float = 10.0, tc50_nm: float = 1000.0, hill_slope: float = 1.0,
                  top_pct: float = 100.0, bottom_pct: float = 0.0, n_points: int = 161,
                  min_nm: float = PLOT_MIN_NM, max_nm: float = PLOT_MAX_NM) -> DoseResponse:
    """Hill curves of a candidate: rescue of the disease phenotype, and healthy-cell viability (100 % -> 0 %)."""
    top_pct = check_range("top_pct", top_pct, 0, 100, "%")
    bottom_pct = check_range("bottom_pct", bottom_pct, 0, 100, "%")
    if not top_pct > bottom_pct:
        raise ValueError(f"top_pct = {top_pct:g} % must be greater than bottom_pct = {bottom_pct:g} %: "
                         "the top is the most rescue the candidate can give")
    window = safety_window(ec50_nm, tc50_nm, hill_slope)
    min_nm = check_range("min_nm", min_nm, MIN_CONC_NM, MAX_CONC_NM, "nM")
    max_nm = check_range("max_nm", max_nm, min_nm * 10, MAX_CONC_NM, "nM")
    x = np.logspace(math.log10(min_nm), math.log10(max_nm), int(check_range("n_points", n_points, 10, 2000)))
    effect = hill_response(x, bottom_pct, top_pct, ec50_nm, hill_slope)
    viability = 100.0 - hill_response(x, 0.0, 100.0, tc50_nm, hill_slope)
    return DoseResponse(x, effect, viability, window, bottom_pct, top_pct, hill_slope)


# --------------------------------------------------------------------------------------------------------------
# Differentiation signals: protein biologics or small molecules?
# --------------------------------------------------------------------------------------------------------------
SIGNALS_CSV = DATA_DIR / "04_stem_cells_in_drug_discovery" / "discovery_signals.csv"
SIGNAL_COLUMNS = ("name", "molecular_class", "heart_recipe", "what_it_does", "source")
CLASSES = {"protein": "protein (a biologic)", "small_molecule": "small molecule (a chemical)"}


@dataclass(frozen=True)
class Signal:
    """A molecule used to steer stem-cell differentiation."""

    name: str
    molecular_class: str  # "protein" or "small_molecule"
    heart_recipe: bool  # used in a published protocol that turns pluripotent stem cells into heart muscle
    what_it_does: str
    source: str


def differentiation_signals() -> list[Signal]:
    """The signals of the recipe explorer, from coursekit/data (each with its class, role and source)."""
    rows = read_table(SIGNALS_CSV, SIGNAL_COLUMNS, unique="name")
    return [Signal(row["name"], row.choice("molecular_class", CLASSES), row.yes_no("heart_recipe"),
                   row["what_it_does"], row["source"]) for row in rows]


@dataclass(frozen=True)
class SignalVerdict:
    """Feedback on one signal: was it rightly picked (or left out), and rightly classified?"""

    signal: Signal
    picked: bool
    guessed_class: str | None
    pick_right: bool
    class_right: bool | None  # None when the learner did not classify it


def grade_recipe(picked: set[str], guessed_classes: dict[str, str | None]) -> list[SignalVerdict]:
    """Grade a learner's heart-muscle recipe: each signal's inclusion, and each class the learner gave."""
    signals = differentiation_signals()
    names = {s.name for s in signals}
    unknown = (set(picked) | {k for k, v in guessed_classes.items() if v}) - names
    if unknown:
        raise ValueError(f"picked = {sorted(unknown)} are not signals of this exercise; allowed: {sorted(names)}")
    verdicts = []
    for s in signals:
        guess = guessed_classes.get(s.name)
        if guess is not None and guess not in CLASSES:
            raise ValueError(f"guessed class {guess!r} for {s.name} is not one of {list(CLASSES)}")
        is_picked = s.name in picked
        verdicts.append(SignalVerdict(s, is_picked, guess, is_picked == s.heart_recipe,
                                      None if guess is None else guess == s.molecular_class))
    return verdicts
