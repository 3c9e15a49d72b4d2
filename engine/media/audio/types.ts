// The report shapes the audio engine produces, mirroring preload/contract.ts (engine/ may not import preload/);
// structurally identical to the contract's Finding, AudioMetrics, QualityReport and Waveform, so they flow through unchanged.

export type Severity = 'info' | 'warning' | 'error';

/** The audio and set checks of the contract's FINDING_CHECKS that this engine emits. */
export type AudioFindingCheck =
  | 'duration'
  | 'sample-rate'
  | 'channels'
  | 'clipping'
  | 'loudness'
  | 'true-peak'
  | 'noise'
  | 'voice-presence'
  | 'multiple-voices'
  | 'silence'
  | 'set-size'
  | 'jingle-mix'
  | 'genre-consistency';

export interface AudioFinding {
  check: AudioFindingCheck;
  severity: Severity;
  metric: number;
  unit: string;
  threshold: string;
  reason: string;
  fix?: 'trim-silence';
  relatedAssetIds?: string[];
}

export interface SuggestedTag {
  kind: 'style' | 'content' | 'detail' | 'free';
  value: string;
}

export interface AudioMetrics {
  durationMs: number;
  sampleRate: number;
  channels: number;
  bitDepth: number | null;
  codec: string;
  clippingRatio: number;
  integratedLufs: number;
  truePeakDbtp: number;
  noiseFloorDbfs: number;
  snrDb: number;
  voiceRatio: number;
  musicRatio: number;
  voiceCount: number;
  voiceCountBasis: string;
  leadingSilenceMs: number;
  trailingSilenceMs: number;
  tempoBpm: number | null;
}

export interface AudioQualityReport {
  kind: 'audio';
  findings: AudioFinding[];
  audio: AudioMetrics;
  suggestedTags: SuggestedTag[];
}

export interface Waveform {
  durationMs: number;
  sampleRate: number;
  peaks: number[][];
}
