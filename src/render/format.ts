/** Number formatting shared by the markdown and text reports. */

const MINUS = "\u2212";

/** A score with one decimal ("78.4"); "n/a" for anything that is not a finite number. */
export function formatScore(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(1) : "n/a";
}

/**
 * A signed change: "+6.1", "−0.4" (true minus sign), "±0.0". Shown with one
 * decimal, or two when one decimal would round a real change to zero.
 */
export function formatSigned(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "n/a";
  let fixed = Math.abs(value).toFixed(digits);
  if (Number(fixed) === 0 && Math.abs(value) >= 0.005) fixed = Math.abs(value).toFixed(2);
  if (Number(fixed) === 0) return `±${fixed}`;
  return (value > 0 ? "+" : MINUS) + fixed;
}

/** A suggestion's gain: "+3.70"; "+<0.01" for a real gain too small for two decimals. */
export function formatGain(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "n/a";
  const fixed = value.toFixed(digits);
  if (Number(fixed) === 0 && value > 0) return `+<${(10 ** -digits).toFixed(digits)}`;
  return `+${fixed}`;
}

/** Colour-neutral arrow for a change: ▲ up, ▼ down, = no change (at display precision). */
export function arrowFor(value: number): string {
  const shown = formatSigned(value);
  if (shown.startsWith("+")) return "▲";
  if (shown.startsWith(MINUS)) return "▼";
  return "=";
}

/** Pass rate 0..1 as a percentage ("83%"); "–" when the rule applies to nothing. */
export function formatRate(rate: number | null | undefined): string {
  return typeof rate === "number" && Number.isFinite(rate) ? `${Math.round(rate * 100)}%` : "–";
}

/** Plain ASCII signed number for terminal output: "+6.1", "-0.4", "0.0". */
export function formatSignedAscii(value: number): string {
  return formatSigned(value).replace(MINUS, "-").replace("±", "");
}
