// The report shapes the audio engine produces: engine/report.ts's shapes narrowed to the audio checks.
import type { AssetTag, AudioMetrics, Finding, FindingCheck, QualityReport } from '../../report';

export type { AudioMetrics, Severity, Waveform } from '../../report';

/** The audio and set checks this engine emits. */
export type AudioFindingCheck = Extract<
  FindingCheck,
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
  | 'genre-consistency'
>;

export type AudioFinding = Finding & { check: AudioFindingCheck; fix?: 'trim-silence' };

export type SuggestedTag = AssetTag;

export type AudioQualityReport = QualityReport & {
  kind: 'audio';
  findings: AudioFinding[];
  audio: AudioMetrics;
};
