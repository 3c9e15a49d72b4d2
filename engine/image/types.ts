// The quality-report shapes the image engine produces, mirroring preload/contract.ts (engine/ may not import preload/).
// They are structurally identical to (or narrower than) the contract's Finding, ImageMetrics, AssetTag and CropRect,
// so values flow into the contract's types without conversion.

export type Severity = 'info' | 'warning' | 'error';

/** The image and set checks of contract FINDING_CHECKS this engine emits. */
export type ImageFindingCheck = 'resolution' | 'blur' | 'near-duplicate' | 'overlay' | 'colour' | 'non-square' | 'style-outlier' | 'set-size' | 'colour-mix';

export type ImageFixKind = 'apply-suggested-crops' | 'drop-duplicates';

export interface ImageFinding {
  check: ImageFindingCheck;
  severity: Severity;
  metric: number;
  unit: string;
  threshold: string;
  reason: string;
  fix?: ImageFixKind;
  relatedAssetIds?: string[];
}

export interface CropSquare {
  x: number;
  y: number;
  size: number;
}

export interface ImageMetrics {
  width: number;
  height: number;
  sharpness: number;
  phash: string;
  overlayScore: number;
  colourfulness: number;
  monochrome: boolean;
  palette: string[];
  suggestedCrop: CropSquare | null;
}

export interface SuggestedTag {
  kind: 'style' | 'content' | 'detail' | 'free';
  value: string;
}

export interface ImageQualityReport {
  kind: 'image';
  findings: ImageFinding[];
  image: ImageMetrics;
  suggestedTags: SuggestedTag[];
}
