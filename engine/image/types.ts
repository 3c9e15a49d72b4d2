// The report shapes the image engine produces: engine/report.ts's shapes narrowed to the image checks.
import type { AssetTag, CropRect, Finding, FindingCheck, ImageMetrics, QualityReport } from '../report';

export type { ImageMetrics, Severity } from '../report';

/** The image and set checks this engine emits. */
export type ImageFindingCheck = Extract<
  FindingCheck,
  'resolution' | 'blur' | 'near-duplicate' | 'overlay' | 'colour' | 'non-square' | 'style-outlier' | 'set-size' | 'colour-mix'
>;

export type ImageFixKind = 'apply-suggested-crops' | 'drop-duplicates';

export type ImageFinding = Finding & { check: ImageFindingCheck; fix?: ImageFixKind };

export type CropSquare = CropRect;
export type SuggestedTag = AssetTag;

export type ImageQualityReport = QualityReport & {
  kind: 'image';
  findings: ImageFinding[];
  image: ImageMetrics;
};
