// The one decoded working image every image check reads, and the small pixel operations they share.

/** An image decoded once at working size: 8-bit sRGB, 3 channels, transparency already laid on white. */
export interface WorkingImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** A single-channel float plane (grey levels 0..255, gradients…). */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Turns sharp's raw output (1–4 channels, 8-bit) into a WorkingImage. Transparent pixels are laid on white,
 * the paper most drawings with a transparent background are meant for, so a checks see the picture as shown.
 */
export function workingImageFromRaw(data: Uint8Array, width: number, height: number, channels: number): WorkingImage {
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  if (channels === 3) {
    rgb.set(data.subarray(0, n * 3));
    return { width, height, rgb };
  }
  for (let i = 0; i < n; i++) {
    let r: number;
    let g: number;
    let b: number;
    let a = 255;
    if (channels === 1 || channels === 2) {
      r = g = b = data[i * channels] ?? 0;
      if (channels === 2) a = data[i * 2 + 1] ?? 255;
    } else {
      r = data[i * channels] ?? 0;
      g = data[i * channels + 1] ?? 0;
      b = data[i * channels + 2] ?? 0;
      a = data[i * channels + 3] ?? 255;
    }
    const inv = 255 - a;
    rgb[i * 3] = (r * a + 255 * inv + 127) / 255;
    rgb[i * 3 + 1] = (g * a + 255 * inv + 127) / 255;
    rgb[i * 3 + 2] = (b * a + 255 * inv + 127) / 255;
  }
  return { width, height, rgb };
}

/** Luma (ITU-R BT.601 weights, as in JPEG's Y) on 0..255. */
export function greyPlane(image: WorkingImage): Plane {
  const n = image.width * image.height;
  const data = new Float32Array(n);
  const rgb = image.rgb;
  for (let i = 0, j = 0; i < n; i++, j += 3) data[i] = 0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!;
  return { width: image.width, height: image.height, data };
}

/**
 * Resamples a plane to width × height: area averaging when shrinking (every source pixel counts, so fine
 * detail is not aliased), bilinear when enlarging.
 */
export function resamplePlane(src: Plane, width: number, height: number): Plane {
  if (src.width === width && src.height === height) return src;
  const out = new Float32Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  if (sx >= 1 && sy >= 1) {
    for (let y = 0; y < height; y++) {
      const y0 = y * sy;
      const y1 = y0 + sy;
      for (let x = 0; x < width; x++) {
        const x0 = x * sx;
        const x1 = x0 + sx;
        let sum = 0;
        for (let yy = Math.floor(y0); yy < Math.ceil(y1) && yy < src.height; yy++) {
          const wy = Math.min(yy + 1, y1) - Math.max(yy, y0);
          const row = yy * src.width;
          for (let xx = Math.floor(x0); xx < Math.ceil(x1) && xx < src.width; xx++) {
            const wx = Math.min(xx + 1, x1) - Math.max(xx, x0);
            sum += src.data[row + xx]! * wx * wy;
          }
        }
        out[y * width + x] = sum / (sx * sy);
      }
    }
    return { width, height, data: out };
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const tx = fx - x0;
      const top = src.data[y0 * src.width + x0]! * (1 - tx) + src.data[y0 * src.width + x1]! * tx;
      const bottom = src.data[y1 * src.width + x0]! * (1 - tx) + src.data[y1 * src.width + x1]! * tx;
      out[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return { width, height, data: out };
}

/** Mean over the (2·radius+1)² box around each pixel (clipped at the borders), in two separable running-sum passes. */
/**
 * An RGB image resampled to width × height, channel by channel through resamplePlane (area average down,
 * bilinear up), rounded to bytes; the image itself when it already has that size.
 */
export function resizeRgb(image: WorkingImage, width: number, height: number): WorkingImage {
  if (image.width === width && image.height === height) return image;
  const rgb = new Uint8Array(width * height * 3);
  const plane = new Float32Array(image.width * image.height);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = image.rgb[i * 3 + c]!;
    const r = resamplePlane({ width: image.width, height: image.height, data: plane }, width, height).data;
    for (let i = 0; i < r.length; i++) rgb[i * 3 + c] = Math.round(r[i]!);
  }
  return { width, height, rgb };
}

export function boxMean(plane: Plane, radius: number): Float32Array {
  const { width: w, height: h, data } = plane;
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let x = 0; x < Math.min(radius, w); x++) sum += data[row + x]!;
    for (let x = 0; x < w; x++) {
      if (x + radius < w) sum += data[row + x + radius]!;
      if (x - radius - 1 >= 0) sum -= data[row + x - radius - 1]!;
      rows[row + x] = sum / (Math.min(w - 1, x + radius) - Math.max(0, x - radius) + 1);
    }
  }
  const out = new Float32Array(w * h);
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let y = 0; y < Math.min(radius, h); y++) sum += rows[y * w + x]!;
    for (let y = 0; y < h; y++) {
      if (y + radius < h) sum += rows[(y + radius) * w + x]!;
      if (y - radius - 1 >= 0) sum -= rows[(y - radius - 1) * w + x]!;
      out[y * w + x] = sum / (Math.min(h - 1, y + radius) - Math.max(0, y - radius) + 1);
    }
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Distance (chamfer 1/√2) of every pixel from the nearest marked pixel, up to `cap`. */
export function chamferDistance(marked: Uint8Array, width: number, height: number, cap: number): Float32Array {
  const d = new Float32Array(width * height).fill(cap);
  for (let i = 0; i < d.length; i++) if (marked[i]) d[i] = 0;
  const diagonal = Math.SQRT2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let v = d[i]!;
      if (x > 0) v = Math.min(v, d[i - 1]! + 1);
      if (y > 0) {
        v = Math.min(v, d[i - width]! + 1);
        if (x > 0) v = Math.min(v, d[i - width - 1]! + diagonal);
        if (x < width - 1) v = Math.min(v, d[i - width + 1]! + diagonal);
      }
      d[i] = v;
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let v = d[i]!;
      if (x < width - 1) v = Math.min(v, d[i + 1]! + 1);
      if (y < height - 1) {
        v = Math.min(v, d[i + width]! + 1);
        if (x < width - 1) v = Math.min(v, d[i + width + 1]! + diagonal);
        if (x > 0) v = Math.min(v, d[i + width - 1]! + diagonal);
      }
      d[i] = v;
    }
  }
  return d;
}
