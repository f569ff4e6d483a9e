/**
 * Lesson Markdown → HTML as learners see it: raw HTML is escaped (never rendered), links only to
 * http(s)/mailto/tel or the site, and `images/x.svg` resolved to the version's stored image.
 */
import MarkdownIt from 'markdown-it';
import { paths } from '../http/paths';
import { BoundedCache } from '../db/bounded-cache';
import { PLACEHOLDER_PATTERN } from './region';
import type { AssetRef } from './types';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// markdown-it has no link_open rule of its own (its types say it has): render the token as it would.
const defaultLink =
  (md.renderer.rules.link_open as typeof md.renderer.rules.link_open | undefined) ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet('href') ?? '');
  if (/^https?:/i.test(href)) {
    tokens[idx].attrSet('rel', 'noopener noreferrer');
  }
  return defaultLink(tokens, idx, options, env, self);
};
md.validateLink = (url) => /^(https?:|mailto:|tel:|\/(?!\/)|#|images\/)/i.test(url.trim());

md.renderer.rules.image = (tokens, idx, _options, env) => {
  const token = tokens[idx];
  const src = String(token.attrGet('src') ?? '');
  const asset = (env as { images?: Record<string, AssetRef> } | undefined)?.images?.[src];
  const alt = md.utils.escapeHtml(token.content);
  if (!asset) return `<span class="missing-image">${alt}</span>`;
  return `<img src="${paths.courseImage(asset.sha256)}" alt="${alt}" loading="lazy">`;
};

// A regional fact HMC has not filled in yet is shown marked, so nobody takes the example for the real thing.
// The text is escaped first; the mark is added around the escaped text, so nothing in it becomes HTML.
md.renderer.rules.text = (tokens, idx) =>
  md.utils
    .escapeHtml(tokens[idx].content)
    .replace(PLACEHOLDER_PATTERN, (whole) => `<mark class="region-placeholder">${whole}</mark>`);

/** Renders lesson Markdown with the course version's images. */
export function renderLesson(markdown: string, images: Record<string, AssetRef>): string {
  return md.render(markdown, { images });
}

// A lesson of a published version never changes: each variant is rendered once (bounded by what is in use).
const rendered = new BoundedCache<string, string>(512);

/** renderLesson for a lesson of a published version, rendered once per version, lesson and variant. */
export function renderPublishedLesson(
  key: { versionId: number; lessonId: string; variant: string },
  markdown: string,
  images: Record<string, AssetRef>,
): string {
  return rendered.getOrMake(`${key.versionId}\u0000${key.lessonId}\u0000${key.variant}`, () =>
    renderLesson(markdown, images),
  );
}
