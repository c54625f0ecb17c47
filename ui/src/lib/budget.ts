// Error-budget arithmetic for the SLO editor, so the figures follow the
// objective as the user types. The same formulas as the Rust side
// (models/src/slo/budget.rs); the browser tests check the same worked
// examples the Rust tests do (99.9 % over 30 days = 43.2 minutes...).

export type Severity = "page" | "ticket";

export interface AlertFigures {
  severity: Severity;
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  errorRatioThreshold: number;
  budgetConsumedPercent: number;
  hoursToExhaustion: number;
}

export interface BudgetFigures {
  fraction: number;
  windowMinutes: number;
  budgetMinutes: number;
  budgetEvents: number | null;
  alerts: AlertFigures[];
}

const UNIT_MINUTES: Record<string, number> = {
  m: 1, h: 60, d: 1_440, w: 10_080, M: 30 * 1_440, Q: 90 * 1_440, Y: 365 * 1_440,
};

/** Minutes in an OpenSLO duration (`30d`, `4w`, `1M`); null when malformed. */
export function windowMinutes(text: string): number | null {
  const m = /^(\d+)([mhdwMQY])$/.exec(text.trim());
  if (!m) return null;
  const count = Number(m[1]);
  const unit = UNIT_MINUTES[m[2] ?? ""];
  return count > 0 && unit !== undefined ? count * unit : null;
}

/** The program's windows: SRE workbook multiwindow, multi-burn-rate. */
export const BURN_RATE_WINDOWS: [Severity, number, string, string][] = [
  ["page", 14.4, "1h", "5m"],
  ["page", 6, "6h", "30m"],
  ["ticket", 3, "1d", "2h"],
  ["ticket", 1, "3d", "6h"],
];

const round9 = (v: number) => Math.round(v * 1e9) / 1e9;

/** 1 − objective, rounded so 99.9 gives exactly 0.001. */
export function budgetFraction(objectivePercent: number): number {
  return Math.max(0, Math.round((100 - objectivePercent) * 1e9) / 1e11);
}

/** Null when the objective or window cannot make a budget. */
export function budget(objectivePercent: number, window: string, expectedEvents: number | null): BudgetFigures | null {
  const minutes = windowMinutes(window);
  if (minutes === null || !(objectivePercent > 0 && objectivePercent < 100)) return null;
  const fraction = budgetFraction(objectivePercent);
  return {
    fraction,
    windowMinutes: minutes,
    budgetMinutes: round9(minutes * fraction),
    budgetEvents: expectedEvents === null ? null : round9(expectedEvents * fraction),
    alerts: BURN_RATE_WINDOWS.map(([severity, burnRate, longWindow, shortWindow]) => ({
      severity,
      burnRate,
      longWindow,
      shortWindow,
      errorRatioThreshold: round9(burnRate * fraction),
      budgetConsumedPercent: round9((burnRate * (windowMinutes(longWindow) ?? 0)) / minutes * 100),
      hoursToExhaustion: round9(minutes / 60 / burnRate),
    })),
  };
}
