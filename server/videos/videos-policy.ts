/** Who may manage films and when a film may be shown to learners. */
import { hasPermission, type CurrentUser } from '../auth/types';
import type { Variant } from '../courses/types';
import type { PublishProblem, Video } from './types';

/** HMC educators and administrators manage the video library and may watch every film. */
export function managesVideos(user: CurrentUser | undefined): boolean {
  return hasPermission(user, 'educator') || hasPermission(user, 'admin');
}

/** A film restricted to an organisation is for that organisation's people only. */
export function inAudience(user: CurrentUser, video: Pick<Video, 'audienceOrganisationId'>): boolean {
  return video.audienceOrganisationId === null || video.audienceOrganisationId === user.organisationId;
}

/**
 * What keeps a film from learners (DOS-lagen, WCAG 2.1 AA): it must be transcoded, have Swedish captions,
 * and state how visual information reaches the ear (WCAG 1.2.5), with a described version ready when
 * that is the answer.
 */
export function publishProblems(
  video: Video,
  captionVariants: Set<Variant>,
  described: { video: Video; captionVariants: Set<Variant> } | null,
): PublishProblem[] {
  const problems: PublishProblem[] = [];
  if (video.state !== 'ready') problems.push('notReady');
  if (!captionVariants.has('standard')) problems.push('noStandardCaptions');
  if (!video.audioDescription) problems.push('noAudioDescriptionStatement');
  if (
    video.audioDescription === 'described_version' &&
    (!described || described.video.state !== 'ready' || !described.captionVariants.has('standard'))
  ) {
    problems.push('describedVersionNotReady');
  }
  return problems;
}
