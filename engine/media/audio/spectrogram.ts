// Renders a recording's spectrogram as a PNG: STFT magnitude in dB on a log-frequency axis, in a perceptual colour map.
import sharp from 'sharp';
import { Fft, hannWindow } from './fft';

export const SPECTROGRAM_WIDTH = 1024;
export const SPECTROGRAM_HEIGHT = 256;
/** Lowest frequency shown: below 30 Hz is rumble no creator needs to see. */
const LOW_HZ = 30;
/** Highest frequency shown: the top of hearing, or Nyquist when lower. */
const HIGH_HZ = 20_000;
/** Shown dynamic range below the loudest cell: 80 dB covers 16-bit audio's useful range. */
const RANGE_DB = 80;
/** Up to this many transforms are averaged per column when a column spans several windows, so long files are not sampled at one instant. */
const MAX_FRAMES_PER_COLUMN = 4;

/**
 * Colour stops from black through indigo, magenta and orange to pale yellow: lightness rises monotonically,
 * so loudness reads the same in greyscale and for colour-blind viewers (the idea behind matplotlib's "magma").
 */
const COLOUR_STOPS: Array<[number, number, number, number]> = [
  [0, 0, 0, 4],
  [0.2, 40, 11, 84],
  [0.4, 101, 21, 110],
  [0.6, 184, 55, 84],
  [0.8, 240, 120, 35],
  [0.92, 250, 190, 60],
  [1, 252, 253, 191],
];

function colour(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  for (let i = 1; i < COLOUR_STOPS.length; i++) {
    const hi = COLOUR_STOPS[i] as [number, number, number, number];
    const lo = COLOUR_STOPS[i - 1] as [number, number, number, number];
    if (v <= hi[0]) {
      const u = (v - lo[0]) / (hi[0] - lo[0]);
      return [lo[1] + u * (hi[1] - lo[1]), lo[2] + u * (hi[2] - lo[2]), lo[3] + u * (hi[3] - lo[3])];
    }
  }
  return [252, 253, 191];
}

/** FFT size: about 85 ms at 48 kHz (12 Hz bins), enough to separate low notes; smaller at low rates. */
function fftSizeFor(sampleRate: number): number {
  return sampleRate >= 32_000 ? 4096 : 2048;
}

/** PNG bytes (a fresh buffer of its own, so a worker may transfer it). */
export async function renderSpectrogram(mono: Float32Array, sampleRate: number): Promise<Uint8Array> {
  const size = fftSizeFor(sampleRate);
  const fft = new Fft(size);
  const window = hannWindow(size);
  const bins = size / 2 + 1;
  const binHz = sampleRate / size;
  const high = Math.min(HIGH_HZ, sampleRate / 2);
  // Row r covers [edge r, edge r+1) on a log axis; row 0 is drawn at the bottom.
  const edges = Array.from({ length: SPECTROGRAM_HEIGHT + 1 }, (_, r) => LOW_HZ * (high / LOW_HZ) ** (r / SPECTROGRAM_HEIGHT));
  const cells = new Float64Array(SPECTROGRAM_WIDTH * SPECTROGRAM_HEIGHT);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const power = new Float64Array(bins);
  const span = mono.length / SPECTROGRAM_WIDTH;
  // Short files: neighbouring columns' windows already overlap, one transform each is enough.
  const perColumn = Math.max(1, Math.min(MAX_FRAMES_PER_COLUMN, Math.round(span / size)));
  let loudest = 0;
  for (let x = 0; x < SPECTROGRAM_WIDTH; x++) {
    power.fill(0);
    for (let j = 0; j < perColumn; j++) {
      const centre = Math.floor((x + (j + 0.5) / perColumn) * span);
      const start = centre - size / 2;
      for (let i = 0; i < size; i++) {
        re[i] = (mono[start + i] ?? 0) * (window[i] ?? 0);
        im[i] = 0;
      }
      fft.transform(re, im);
      for (let k = 0; k < bins; k++) power[k] = (power[k] ?? 0) + ((re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2) / perColumn;
    }
    for (let r = 0; r < SPECTROGRAM_HEIGHT; r++) {
      // The strongest bin in the row's band; narrow low rows interpolate between the two nearest bins.
      const lo = (edges[r] ?? 0) / binHz;
      const hi = (edges[r + 1] ?? 0) / binHz;
      let p = 0;
      if (Math.floor(hi) > Math.ceil(lo)) {
        for (let k = Math.ceil(lo); k <= Math.floor(hi) && k < bins; k++) p = Math.max(p, power[k] ?? 0);
      } else {
        const at = (lo + hi) / 2;
        const k = Math.floor(at);
        const u = at - k;
        p = (power[k] ?? 0) * (1 - u) + (power[k + 1] ?? 0) * u;
      }
      cells[r * SPECTROGRAM_WIDTH + x] = p;
      if (p > loudest) loudest = p;
    }
  }
  const pixels = Buffer.alloc(SPECTROGRAM_WIDTH * SPECTROGRAM_HEIGHT * 3);
  const top = loudest > 0 ? 10 * Math.log10(loudest) : 0;
  for (let r = 0; r < SPECTROGRAM_HEIGHT; r++) {
    const y = SPECTROGRAM_HEIGHT - 1 - r;
    for (let x = 0; x < SPECTROGRAM_WIDTH; x++) {
      const p = cells[r * SPECTROGRAM_WIDTH + x] ?? 0;
      const db = p > 0 ? 10 * Math.log10(p) - top : -RANGE_DB;
      const [red, green, blue] = colour(1 + db / RANGE_DB);
      const at = (y * SPECTROGRAM_WIDTH + x) * 3;
      pixels[at] = Math.round(red);
      pixels[at + 1] = Math.round(green);
      pixels[at + 2] = Math.round(blue);
    }
  }
  const png = await sharp(pixels, { raw: { width: SPECTROGRAM_WIDTH, height: SPECTROGRAM_HEIGHT, channels: 3 } }).png({ palette: true, colours: 128, effort: 4 }).toBuffer();
  return new Uint8Array(png);
}
