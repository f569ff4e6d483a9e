/** Caption tracks (standard and easy Swedish) of films, one row per cue. */
import type { Knex } from 'knex';
import type { Variant } from '../courses/types';
import { overlappingCue, type ParsedCue } from './captions-format';
import type { CaptionTrack, Cue } from './types';

interface CueRow {
  id: number;
  start_ms: number;
  end_ms: number;
  text: string;
}

const toCue = (r: CueRow): Cue => ({ id: r.id, startMs: r.start_ms, endMs: r.end_ms, text: r.text });

export function captionsRepository(db: Knex) {
  return {
    /** Replaces a track's cues in one transaction; a second upload at the same moment waits for the first. */
    async replace(
      videoId: number,
      variant: Variant,
      format: 'vtt' | 'srt',
      cues: ParsedCue[],
      userId: number | null,
    ): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('video_captions')
          .insert({ video_id: videoId, variant, source_format: format, uploaded_by: userId })
          .onConflict(['video_id', 'variant'])
          .merge({ source_format: format, uploaded_by: userId, updated_at: trx.fn.now() });
        await trx('video_captions').where({ video_id: videoId, variant }).forUpdate().first('video_id');
        await trx('video_cues').where({ video_id: videoId, variant }).delete();
        for (let i = 0; i < cues.length; i += 500) {
          await trx('video_cues').insert(
            cues.slice(i, i + 500).map((c) => ({
              video_id: videoId,
              variant,
              start_ms: c.startMs,
              end_ms: c.endMs,
              text: c.text,
            })),
          );
        }
      });
    },

    async tracks(videoId: number): Promise<CaptionTrack[]> {
      const rows = await db('video_captions as c')
        .where('c.video_id', videoId)
        .select(
          'c.variant',
          'c.source_format',
          'c.updated_at',
          db.raw(
            '(select count(*) from video_cues q where q.video_id = c.video_id and q.variant = c.variant)::int as cue_count',
          ),
        )
        .orderBy('c.variant', 'desc');
      return (
        rows as { variant: Variant; source_format: 'vtt' | 'srt'; updated_at: Date; cue_count: number }[]
      ).map((r) => ({
        variant: r.variant,
        sourceFormat: r.source_format,
        updatedAt: r.updated_at,
        cueCount: r.cue_count,
      }));
    },

    /** Caption tracks of many films at once (for the library list): videoId → variants with cues. */
    async variantsByVideo(): Promise<Map<number, Set<Variant>>> {
      const rows: { video_id: number; variant: Variant }[] = await db('video_cues').distinct(
        'video_id',
        'variant',
      );
      const map = new Map<number, Set<Variant>>();
      for (const r of rows) {
        const variants = map.get(r.video_id) ?? new Set<Variant>();
        variants.add(r.variant);
        map.set(r.video_id, variants);
      }
      return map;
    },

    async cues(videoId: number, variant: Variant): Promise<Cue[]> {
      const rows = await db('video_cues')
        .where({ video_id: videoId, variant })
        .orderBy('start_ms')
        .orderBy('id')
        .select<CueRow[]>('id', 'start_ms', 'end_ms', 'text');
      return rows.map(toCue);
    },

    async cue(videoId: number, variant: Variant, cueId: number): Promise<Cue | null> {
      const r = await db('video_cues')
        .where({ id: cueId, video_id: videoId, variant })
        .first<CueRow | undefined>('id', 'start_ms', 'end_ms', 'text');
      return r ? toCue(r) : null;
    },

    /** Changes one cue (only when it belongs to this film and track) and stamps the track as changed. */
    async updateCue(videoId: number, variant: Variant, cueId: number, c: Omit<Cue, 'id'>): Promise<boolean> {
      return db.transaction(async (trx) => {
        const n = await trx('video_cues')
          .where({ id: cueId, video_id: videoId, variant })
          .update({ start_ms: c.startMs, end_ms: c.endMs, text: c.text });
        if (n)
          await trx('video_captions')
            .where({ video_id: videoId, variant })
            .update({ updated_at: trx.fn.now() });
        return n === 1;
      });
    },

    /**
     * Adds one cue to a track (creating the track if it has none), unless it shares time with another cue:
     * the track is locked so two additions at once cannot overlap each other.
     */
    async addCue(
      videoId: number,
      variant: Variant,
      c: Omit<Cue, 'id'>,
      userId: number | null,
    ): Promise<{ ok: true; id: number } | { ok: false; overlaps: Cue; position: number }> {
      return db.transaction(async (trx) => {
        await trx('video_captions')
          .insert({ video_id: videoId, variant, source_format: 'vtt', uploaded_by: userId })
          .onConflict(['video_id', 'variant'])
          .ignore();
        await trx('video_captions').where({ video_id: videoId, variant }).forUpdate().first('video_id');
        const rows = await trx('video_cues')
          .where({ video_id: videoId, variant })
          .orderBy('start_ms')
          .orderBy('id')
          .select<CueRow[]>('id', 'start_ms', 'end_ms', 'text');
        const existing = rows.map(toCue);
        const overlaps = overlappingCue(existing, c.startMs, c.endMs);
        if (overlaps) return { ok: false as const, overlaps, position: existing.indexOf(overlaps) + 1 };
        const [row] = await trx('video_cues')
          .insert({ video_id: videoId, variant, start_ms: c.startMs, end_ms: c.endMs, text: c.text })
          .returning<{ id: number }[]>('id');
        await trx('video_captions')
          .where({ video_id: videoId, variant })
          .update({ updated_at: trx.fn.now() });
        return { ok: true as const, id: row.id };
      });
    },

    /** Deletes one cue (only when it belongs to this film and track) and stamps the track as changed. */
    async deleteCue(videoId: number, variant: Variant, cueId: number): Promise<boolean> {
      return db.transaction(async (trx) => {
        const n = await trx('video_cues').where({ id: cueId, video_id: videoId, variant }).delete();
        if (n)
          await trx('video_captions')
            .where({ video_id: videoId, variant })
            .update({ updated_at: trx.fn.now() });
        return n === 1;
      });
    },

    async updatedAt(videoId: number, variant: Variant): Promise<Date | null> {
      const r = await db('video_captions')
        .where({ video_id: videoId, variant })
        .first<{ updated_at: Date } | undefined>('updated_at');
      return r ? r.updated_at : null;
    },
  };
}

export type CaptionsRepository = ReturnType<typeof captionsRepository>;
