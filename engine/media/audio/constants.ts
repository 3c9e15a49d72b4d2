// Every number the audio checks hold a recording against, with where it comes from.

/** PRODUCT.md creator item 3: "audio — minimum 10 s". */
export const MIN_DURATION_S = 10;
/** PRODUCT.md creator item 3: "voice-over minimum 30 s (60 s ideal)". */
export const VOICE_OVER_MIN_S = 30;
export const VOICE_OVER_IDEAL_S = 60;

/**
 * Longest recording imported. Every sample is held in memory as 32-bit float during analysis: 30 min of
 * 48 kHz stereo is 690 MB, about what one worker can afford on an 8 GB machine; training needs minutes, not hours.
 */
export const MAX_DURATION_S = 30 * 60;
/** Largest audio file read: 30 min of 96 kHz 24-bit stereo WAV is 1.04 GB; beyond that the duration cap refuses it anyway. */
export const MAX_AUDIO_BYTES = 1100 * 1024 * 1024;

/** Sample rates outside this range are not audio a recorder makes: telephone 8 kHz up to DXD 384 kHz. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 384_000;
/** 7.1 surround is the widest layout a creator's recording is likely to have; more channels means a broken header. */
export const MAX_CHANNELS = 8;

/**
 * Sample-rate checks. Below 22.05 kHz the top of the voice spectrum (sibilants at 5–10 kHz) is cut off, so a
 * model learns a muffled voice; below 16 kHz (wide-band speech, ITU-T G.722) even speech intelligibility suffers.
 */
export const SAMPLE_RATE_WARN_HZ = 22_050;
export const SAMPLE_RATE_ERROR_HZ = 16_000;

/** A sample at or above this fraction of full scale counts towards clipping… */
export const CLIP_LEVEL = 0.999;
/** …when it is part of a run of at least this many (a single full-scale sample is a peak, not a clip). */
export const CLIP_MIN_RUN = 3;
/** Warn above 0.1 % clipped samples: audible as distortion on speech (common mastering/QC practice). */
export const CLIP_WARN_RATIO = 0.001;

/** EBU R128 (broadcast) programme loudness; voice-over deliveries are commonly asked for at −23 LUFS (EBU) to −16 LUFS (podcasts, AES TD1004). */
export const SPEECH_TARGET_LUFS = -19;
/** Streaming services normalise music to about −14 LUFS (AES TD1008 recommendations, Spotify/YouTube reference). */
export const MUSIC_TARGET_LUFS = -14;
/** How far from the target a recording may sit before we say so: beyond ±6 LU it will be turned up or down a lot. */
export const LOUDNESS_TOLERANCE_LU = 6;
/** Very quiet recordings (below −35 LUFS) lose detail under the noise once normalised: an error-level hint. */
export const LOUDNESS_TOO_QUIET_LUFS = -35;
/** EBU R128 / ITU-R BS.1770 delivery ceiling: −1 dBTP leaves headroom for lossy encoding. */
export const TRUE_PEAK_MAX_DBTP = -1;

/** SNR below 20 dB: background noise is clearly audible under speech, and a voice model learns the hiss too (ITU-T P.800-style listening practice). */
export const SNR_WARN_DB = 20;

/** Frame level (dBFS) under which the start or end counts as silence (−50 dBFS: below room tone of a quiet studio). */
export const SILENCE_THRESHOLD_DBFS = -50;
/** Leading or trailing silence longer than this is offered a one-click trim. */
export const SILENCE_TRIM_MS = 500;

/** A recording "has voice" / "has music" for set checks when at least this share of its frames is judged so. */
export const VOICE_PRESENT_RATIO = 0.2;
export const MUSIC_PRESENT_RATIO = 0.2;
/** Suggested tags ("speech", "music") need more certainty than set checks. */
export const TAG_CONFIDENT_RATIO = 0.4;

/** Levels below this are reported as this (dBFS/LUFS/dBTP): numbers stay finite for JSON. */
export const DB_FLOOR = -120;
/** BS.1770-4 absolute gate; an integrated loudness below it cannot be measured and is reported as the gate. */
export const ABSOLUTE_GATE_LUFS = -70;

/** Robust z-score at which a recording's descriptor is called unlike the rest of the set (≈ 3 σ; Iglewicz & Hoaglin use 3.5). */
export const GENRE_OUTLIER_Z = 3;
/**
 * …and only when it also lies, on average, at least 2 robust σ from the set's median in each descriptor dimension
 * (RMS of per-dimension robust z): a consistent set has RMS ≈ 1, so this keeps tiny spreads from being called outliers.
 */
export const GENRE_MIN_DISTANCE = 2;
/** Outliers need enough neighbours for a median/MAD to mean anything. */
export const GENRE_MIN_SET = 5;
