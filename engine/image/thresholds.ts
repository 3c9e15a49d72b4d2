// Every number the image checks hold an asset or a set against, with where it comes from.

/**
 * Long side (px) of the working image every per-asset metric is computed on: the file is decoded once, shrunk on
 * load to this size. 256 = THUMBNAIL_SIZE, so the decode is exactly the bare thumbnail pass's (libjpeg's 1/8 scale
 * for a 3000-px JPEG) and the thumbnail is a plain encode of the working pixels. Measured per 6 MP JPEG (CPU ms,
 * busy 2-core machine): decode to 512 px 22.8 vs 256 px 17.6; the whole ingest at 320 px cost 1.80× a bare
 * thumbnail pass, at 256 px 1.55× — the bench allows 1.5× for import with reports, so 256 it is.
 */
export const WORKING_SIZE = 256;

/** PRODUCT.md creator 3: "1024×1024 recommended; warn below 1024, refuse below 256" (short side, px). */
export const RECOMMENDED_SHORT_SIDE = 1024;
export const MINIMUM_SHORT_SIDE = 256;

/**
 * Variance of the Laplacian below which an image reads as blurred (grey levels², on the working image).
 * Calibrated on the fixtures at WORKING_SIZE 256 (seeds 1–6): drawings measure 3000–3900, line art 10700–11800,
 * flat-colour paintings 89–164 and the smooth synthetic photos 37–39; the same drawings blurred with a Gaussian of
 * σ = 1% of the long side measure 7–12 (σ = 0.5%: 110–185, which this check does not catch). 20 sits between the
 * blurred drawings and the softest sharp fixture. The variance depends on content as well as focus (a flat
 * painting measures far lower than line art), so the line is set low: it catches clearly soft images only.
 */
export const BLUR_MAX_SHARPNESS = 20;

/**
 * Overlay likelihood (0..1) at which a text/watermark finding is raised: one evenly spaced row of 4+ letter-like
 * marks (engine/image/overlay.ts). On the fixtures no drawing, line art, photo or painting (seeds 1–6) has such a row.
 */
export const OVERLAY_WARN_SCORE = 0.5;

/**
 * Colourfulness below which an image counts as monochrome. Hasler & Süsstrunk (2003) put "not colourful" at
 * 0 and "slightly colourful" at 15; ink on tinted paper measures < 8 on the fixtures, a colour drawing > 20.
 */
export const MONOCHROME_MAX_COLOURFULNESS = 10;

/** Colourfulness above which a colour image is tagged "vivid" (H&S "highly colourful" 82 minus a margin) and below which "muted". */
export const VIVID_MIN_COLOURFULNESS = 70;
export const MUTED_MAX_COLOURFULNESS = 25;

/** Non-square images: cropping away more than 40% (wider than 5:3) is a warning, less is information. */
export const NON_SQUARE_WARN_DISCARD = 0.4;

/** Edge pixel: Sobel magnitude ≥ 40 of 255 (a clear stroke edge; photo gradients and JPEG noise stay below). */
export const EDGE_MAGNITUDE = 40;

/**
 * Line art: a plain background covering ≥ 50% of the picture, edges on ≥ 2% of it, and ≤ 6% of it filled
 * with colour away from any edge (strokes, not painted areas). Measured on the line-art and colour-drawing fixtures.
 */
export const LINE_ART_MIN_BACKGROUND = 0.5;
export const LINE_ART_MIN_EDGES = 0.02;
export const LINE_ART_MAX_FILL = 0.06;

/**
 * "high contrast": the 1st and 99th grey percentiles are at least 200 of 255 levels apart. The 1st, not the 5th:
 * in line art the ink is often under 5% of the pixels and still makes the picture.
 */
export const HIGH_CONTRAST_SPREAD = 200;

/** PRODUCT.md creator 3: "Recommended set size 10–50 images". */
export const SET_SIZE_MIN = 10;
export const SET_SIZE_MAX = 50;

/** A colour/monochrome mix is flagged when the smaller side is ≥ 20% of the set (brief I3-IMG). */
export const COLOUR_MIX_MIN_SHARE = 0.2;

/**
 * Style outliers: robust z-score (median/MAD) of the distance to the set's centre; 3 is the usual
 * "far outside the spread" line (≈ 0.1% of a normal sample on one side). Needs 5+ images: with fewer, the
 * median and MAD of the distances are too unstable to call anything an outlier.
 */
export const OUTLIER_MIN_Z = 3;
export const OUTLIER_MIN_SET = 5;
