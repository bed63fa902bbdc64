"""The manufacturing divide in numbers: a CHO fed-batch bioreactor and a cell-therapy dose calculator.

Fed-batch model (fact sheet section 3, "model note"): logistic growth of the viable cell density X(t) from the
seeding density X0 towards the peak density Xmax at specific growth rate mu, solved analytically:

    X(t) = Xmax / (1 + (Xmax/X0 - 1) exp(-mu t))
    IVCD(t) = integral of X dt = (Xmax/mu) ln((Xmax/X0 - 1 + exp(mu t)) / (Xmax/X0))
    titer(t) = qP x IVCD(t)

The real culture also has a stationary and a declining phase (viability falls late in the run); the logistic
curve keeps the plateau, so the model is a teaching approximation. Cell-therapy arithmetic (section 8): dose =
cells/kg x weight; cells to manufacture = dose / viability; fold = cells to manufacture / starting cells;
doublings = log2(fold); days in culture = doublings x doubling time (lag not included).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import facts, numbers
from .validation import check_choice, check_range

HOURS_PER_DAY = 24.0
ML_PER_L = 1000.0
G_PER_PG = 1e-12
MG_PER_G = 1000.0
DAYS_PER_YEAR = 365.0

# Allowed input domains of the models (wider than the sourced typical values, which are the defaults).
SEEDING_RANGE = (0.1e6, 5e6)          # cells/mL
GROWTH_RATE_RANGE = (0.005, 0.1)      # 1/h
PEAK_RANGE = (1e6, 35e6)              # cells/mL; upper end = highest reported fed-batch (facts)
QP_RANGE = (1.0, 50.0)                # pg/cell/day; upper end = best lines (facts)
RUN_LENGTH_RANGE = (1.0, 28.0)        # days
VOLUME_RANGE = (1.0, 20000.0)         # L; upper end = largest stainless-steel bioreactor (facts)
DOSE_MG_RANGE = (1.0, 1000.0)         # mg per patient dose
TITER_RANGE = (0.1, 10.0)             # g/L; upper end = top of the reported range (facts)
RECOVERY_RANGE = (0.05, 1.0)          # fraction


# ---- fed-batch bioreactor ----------------------------------------------------------------------------------
def whole_doses(total_mg: float, dose_mg: float) -> int:
    """Complete doses in an amount of drug; robust to float round-off (2.57 g/L x 2,000 L x 70 % is 89,950 doses)."""
    return int(math.floor(total_mg / dose_mg + 1e-9))


def _mu_per_day(growth_rate_per_h: float) -> float:
    return growth_rate_per_h * HOURS_PER_DAY


def viable_cell_density(t_days, seeding_vcd_cells_per_ml: float, peak_vcd_cells_per_ml: float,
                        growth_rate_per_h: float) -> np.ndarray:
    """Logistic viable cell density X(t) in cells/mL at the times t (days)."""
    x0, xmax, mu = seeding_vcd_cells_per_ml, peak_vcd_cells_per_ml, _mu_per_day(growth_rate_per_h)
    t = np.asarray(t_days, dtype=float)
    return xmax / (1.0 + (xmax / x0 - 1.0) * np.exp(-mu * t))


def integral_viable_cell_density(t_days, seeding_vcd_cells_per_ml: float, peak_vcd_cells_per_ml: float,
                                 growth_rate_per_h: float) -> np.ndarray:
    """IVCD: the integral of X dt from day 0 to t, in cell-days per mL (analytic logistic integral)."""
    x0, xmax, mu = seeding_vcd_cells_per_ml, peak_vcd_cells_per_ml, _mu_per_day(growth_rate_per_h)
    t = np.asarray(t_days, dtype=float)
    a = xmax / x0 - 1.0
    # ln(a + e^(mu t)) computed without overflow
    return (xmax / mu) * (np.logaddexp(math.log(a), mu * t) - math.log(a + 1.0))


def titer_from_ivcd_g_per_l(qp_pg_per_cell_day, ivcd_cell_days_per_ml):
    """Product concentration in g/L: titer = qP x IVCD (pg/cell/day x cell-days/mL -> g/L)."""
    return np.asarray(qp_pg_per_cell_day) * G_PER_PG * np.asarray(ivcd_cell_days_per_ml) * ML_PER_L


@dataclass
class FedBatchResult:
    """One simulated fed-batch run: curves over time and what it yields at harvest."""

    days: np.ndarray
    vcd_cells_per_ml: np.ndarray
    titer_curve_g_per_l: np.ndarray
    ivcd_cell_days_per_ml: float
    titer_g_per_l: float
    volume_l: float
    harvest_g: float                 # antibody in the bioreactor at harvest
    recovery_fraction: float
    purified_g: float                # after downstream purification
    dose_mg: float
    doses: int                       # whole patient doses from the purified antibody
    dose_interval_days: float
    patient_years: float             # patients treated for a year at one dose per interval
    host_cells_discarded: float      # viable cells in the bioreactor at harvest, all thrown away
    inputs: dict = field(default_factory=dict)


def simulate_fed_batch(seeding_vcd_cells_per_ml: float | None = None,
                       growth_rate_per_h: float | None = None,
                       peak_vcd_cells_per_ml: float | None = None,
                       qp_pg_per_cell_day: float | None = None,
                       run_length_days: float | None = None,
                       volume_l: float | None = None,
                       dose_mg: float | None = None,
                       recovery_fraction: float | None = None,
                       points_per_day: int = 10) -> FedBatchResult:
    """Simulate a CHO fed-batch antibody run; every argument left as None takes its sourced default."""
    seeding = check_range("seeding_vcd_cells_per_ml",
                          facts.value("mfg_seeding_vcd_cells_per_ml") if seeding_vcd_cells_per_ml is None
                          else seeding_vcd_cells_per_ml, *SEEDING_RANGE, "cells/mL")
    mu = check_range("growth_rate_per_h", facts.value("mfg_cho_growth_rate_per_h") if growth_rate_per_h is None
                     else growth_rate_per_h, *GROWTH_RATE_RANGE, "per hour")
    peak = check_range("peak_vcd_cells_per_ml", facts.value("mfg_peak_vcd_cells_per_ml")
                       if peak_vcd_cells_per_ml is None else peak_vcd_cells_per_ml, *PEAK_RANGE, "cells/mL")
    if peak <= seeding:
        raise ValueError(f"peak_vcd_cells_per_ml = {peak:g} cells/mL must be greater than the seeding density "
                         f"({seeding:g} cells/mL): cells cannot grow to a lower density than they started at")
    qp = check_range("qp_pg_per_cell_day", facts.value("mfg_qp_pg_per_cell_day") if qp_pg_per_cell_day is None
                     else qp_pg_per_cell_day, *QP_RANGE, "pg/cell/day")
    days_total = check_range("run_length_days", facts.value("mfg_run_length_days") if run_length_days is None
                             else run_length_days, *RUN_LENGTH_RANGE, "days")
    volume = check_range("volume_l", facts.value("mfg_single_use_bioreactor_l") if volume_l is None
                         else volume_l, *VOLUME_RANGE, "L")
    dose = check_range("dose_mg", facts.value("mfg_adalimumab_dose_mg") if dose_mg is None else dose_mg,
                       *DOSE_MG_RANGE, "mg")
    recovery = check_range("recovery_fraction", facts.value("mfg_downstream_recovery_fraction")
                           if recovery_fraction is None else recovery_fraction, *RECOVERY_RANGE)
    n = max(2, int(math.ceil(days_total * points_per_day)) + 1)
    days = np.linspace(0.0, days_total, n)
    vcd = viable_cell_density(days, seeding, peak, mu)
    ivcd = integral_viable_cell_density(days, seeding, peak, mu)
    titer = titer_from_ivcd_g_per_l(qp, ivcd)
    final_titer = float(titer[-1])
    harvest_g = final_titer * volume
    purified_g = harvest_g * recovery
    doses = whole_doses(purified_g * MG_PER_G, dose)
    interval = facts.value("mfg_adalimumab_interval_days")
    return FedBatchResult(
        days=days, vcd_cells_per_ml=vcd, titer_curve_g_per_l=titer, ivcd_cell_days_per_ml=float(ivcd[-1]),
        titer_g_per_l=final_titer, volume_l=volume, harvest_g=harvest_g, recovery_fraction=recovery,
        purified_g=purified_g, dose_mg=dose, doses=doses, dose_interval_days=interval,
        patient_years=doses * interval / DAYS_PER_YEAR,
        host_cells_discarded=float(vcd[-1]) * volume * ML_PER_L,
        inputs=dict(seeding=seeding, mu=mu, peak=peak, qp=qp, days=days_total))


# ---- one-to-many versus one-to-one -------------------------------------------------------------------------
@dataclass
class BatchComparison:
    """Patients treated per manufacturing batch: one bioreactor run versus one autologous cell batch."""

    volume_l: float
    titer_g_per_l: float
    doses_per_run: int
    patients_per_run: float          # patients treated for a whole year by one run
    patients: int
    bioreactor_runs_needed: int
    autologous_batches_needed: int


def compare_batches(volume_l: float, titer_g_per_l: float, patients: int,
                    dose_mg: float | None = None) -> BatchComparison:
    """How many manufacturing batches a year of treatment for `patients` people needs, each way."""
    volume = check_range("volume_l", volume_l, *VOLUME_RANGE, "L")
    titer = check_range("titer_g_per_l", titer_g_per_l, *TITER_RANGE, "g/L")
    n_patients = int(check_range("patients", patients, 1, 1e7, "patients"))
    dose = check_range("dose_mg", facts.value("mfg_adalimumab_dose_mg") if dose_mg is None else dose_mg,
                       *DOSE_MG_RANGE, "mg")
    recovery = facts.value("mfg_downstream_recovery_fraction")
    doses = whole_doses(titer * volume * recovery * MG_PER_G, dose)
    doses_per_patient_year = DAYS_PER_YEAR / facts.value("mfg_adalimumab_interval_days")
    patients_per_run = doses / doses_per_patient_year
    runs = math.ceil(n_patients / patients_per_run) if patients_per_run > 0 else 0
    return BatchComparison(volume, titer, doses, patients_per_run, n_patients, runs, n_patients)


# ---- cell-therapy dose calculator --------------------------------------------------------------------------
@dataclass(frozen=True)
class CellProduct:
    """A kind of cell therapy with its published dose limits (fact keys)."""

    label: str
    cell_name: str
    min_key: str | None = None
    target_key: str | None = None
    max_key: str | None = None       # a per-kg maximum, if the label has one
    range_key: str | None = None     # a fact whose low/high give the labelled dose range
    weight_limit_key: str | None = None

    def minimum_per_kg(self) -> float | None:
        if self.min_key:
            return facts.value(self.min_key)
        if self.range_key:
            return facts.get(self.range_key).low
        return None

    def maximum_per_kg(self) -> float | None:
        return facts.get(self.range_key).high if self.range_key else None


PRODUCTS = {
    "cd34": CellProduct("Blood stem cells (CD34+)", "CD34+ stem cells",
                        min_key="mfg_cd34_dose_min_per_kg", target_key="mfg_cd34_dose_optimal_per_kg"),
    "cord": CellProduct("Cord blood (nucleated cells)", "nucleated cells",
                        min_key="mfg_cord_tnc_min_per_kg"),
    "cart": CellProduct("CAR-T cells (Kymriah)", "CAR-positive viable T cells",
                        range_key="mfg_kymriah_dose_per_kg", weight_limit_key="mfg_kymriah_weight_limit_kg"),
}

WEIGHT_RANGE = (1.0, 200.0)               # kg
DOSE_PER_KG_RANGE = (1e4, 1e9)            # cells/kg
VIABILITY_RANGE = (0.01, 1.0)             # fraction
STARTING_CELLS_RANGE = (1e3, 1e12)        # cells
DOUBLING_TIME_RANGE = (0.1, 30.0)         # days


@dataclass
class CellDoseResult:
    """What one patient's cell-therapy batch has to deliver, and how long growing it takes."""

    product: str
    weight_kg: float
    dose_per_kg: float
    viability_fraction: float
    starting_cells: float
    doubling_time_days: float
    dose_cells: float                 # viable cells the patient must receive
    cells_to_manufacture: float       # total cells to make, dead ones included
    fold_expansion: float
    doublings: float                  # 0 when the starting cells already suffice
    days_in_culture: float
    flags: tuple[str, ...]


def cell_dose(weight_kg: float, dose_per_kg: float, viability_fraction: float, starting_cells: float,
              doubling_time_days: float, product: str = "cd34") -> CellDoseResult:
    """Cells to manufacture for one patient, the expansion that needs, and warnings against published limits."""
    check_choice("product", product, list(PRODUCTS))
    weight = check_range("weight_kg", weight_kg, *WEIGHT_RANGE, "kg")
    per_kg = check_range("dose_per_kg", dose_per_kg, *DOSE_PER_KG_RANGE, "cells/kg")
    viability = check_range("viability_fraction", viability_fraction, *VIABILITY_RANGE)
    start = check_range("starting_cells", starting_cells, *STARTING_CELLS_RANGE, "cells")
    t_d = check_range("doubling_time_days", doubling_time_days, *DOUBLING_TIME_RANGE, "days")
    dose = per_kg * weight
    to_make = dose / viability
    fold = to_make / start
    doublings = max(0.0, math.log2(fold))
    return CellDoseResult(product, weight, per_kg, viability, start, t_d, dose, to_make, fold, doublings,
                          doublings * t_d, dose_flags(product, per_kg, viability, weight))


def dose_flags(product: str, dose_per_kg: float, viability_fraction: float, weight_kg: float) -> tuple[str, ...]:
    """Warnings when a dose or viability falls outside the published limits for this kind of product."""
    p = PRODUCTS[product]
    flags = []
    minimum, maximum = p.minimum_per_kg(), p.maximum_per_kg()
    if minimum is not None and dose_per_kg < minimum:
        flags.append(f"Dose below the published minimum: {numbers.number(dose_per_kg)} {p.cell_name}/kg "
                     f"is less than {numbers.number(minimum)}/kg for this kind of product.")
    if maximum is not None and dose_per_kg > maximum:
        flags.append(f"Dose above the labelled range: {numbers.number(dose_per_kg)}/kg is more than "
                     f"{numbers.number(maximum)}/kg.")
    if p.weight_limit_key and weight_kg > facts.value(p.weight_limit_key):
        flags.append(f"Per-kg dosing applies only up to {facts.value(p.weight_limit_key):g} kg; heavier patients "
                     "receive a fixed total dose instead.")
    release = facts.value("mfg_viability_release_min_fraction")
    if viability_fraction < release:
        flags.append(f"Viability below the release limit: {viability_fraction:.0%} viable is less than the "
                     f"{release:.0%} generally required, so this batch could not be released.")
    return tuple(flags)
