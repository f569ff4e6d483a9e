/** The video library: films, their transcoding state, captions (cues) and the audio-description statement. */
import type { Variant } from '../courses/types';

export const VIDEO_STATES = ['queued', 'processing', 'ready', 'failed'] as const;
export type VideoState = (typeof VIDEO_STATES)[number];

/** WCAG 1.2.5: either the ordinary sound carries all visual information, or a described version exists. */
export const AUDIO_DESCRIPTIONS = ['in_soundtrack', 'described_version'] as const;
export type AudioDescription = (typeof AUDIO_DESCRIPTIONS)[number];

export interface Video {
  id: number;
  slug: string;
  title: string;
  audienceOrganisationId: number | null;
  placeholder: boolean;
  originalName: string;
  originalBytes: number;
  originalFormat: string;
  state: VideoState;
  progress: number;
  jobId: string | null;
  runToken: string | null;
  runs: number;
  heartbeatAt: Date | null;
  errorKey: string | null;
  errorDetail: string | null;
  outputKey: string | null;
  durationMs: number | null;
  width: number | null;
  height: number | null;
  webBytes: number | null;
  transcodedAt: Date | null;
  audioDescription: AudioDescription | null;
  describedVideoId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One caption line: shown from startMs to endMs. Text may hold WebVTT tags such as <i> or <v Name>. */
export interface Cue {
  id: number;
  startMs: number;
  endMs: number;
  text: string;
}

export interface CaptionTrack {
  variant: Variant;
  sourceFormat: 'vtt' | 'srt';
  updatedAt: Date;
  cueCount: number;
}

/** What stops a film from being shown to learners, as translation keys (empty: publishable). */
export type PublishProblem =
  'notReady' | 'noStandardCaptions' | 'noAudioDescriptionStatement' | 'describedVersionNotReady';

/** The data of one transcoding job in the queue. */
export interface TranscodeJobData {
  videoId: number;
}
