// Colours. Variants get the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies,
// and in greyscale print by lightness); the three ways a page is handled get their own fixed colours so the
// pass charts read alike across variants.

const VARIANT_COLORS = [
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#000000", // black
  "#999999", // grey
] as const;

/** The colour of the variant at `index` in the run (cycling past eight variants). */
export function variantColor(index: number): string {
  return VARIANT_COLORS[index % VARIANT_COLORS.length]!;
}

/** How many distinct variant colours there are (the stylesheet defines a class per colour). */
export const VARIANT_COLOR_COUNT = VARIANT_COLORS.length;

/** Pages sent whole, sent as zero-page markers, and skipped because the guest hinted them free. */
export const PAGE_KIND_COLORS = {
  normal: "#3B6EA8",
  zero: "#A9B4C2",
  skippedFree: "#5BAA6A",
} as const;

/** The stylesheet class carrying the colour of the variant at `index`. */
export function variantClass(index: number): string {
  return `v${index % VARIANT_COLORS.length}`;
}
