/**
 * What the transport plays, as gains: which tracks are heard (Listen, Solo, Mute agree:
 * soloed lanes are what is heard, and choosing a lane to listen to clears the solos), each
 * raised or lowered to one common loudness when matching is on, and a take's dry/wet blend
 * with its content. Pure, so "A/B at the same loudness" is a tested property.
 */
import type { AppState, LaneFlags } from './app-state';
import { laneOrder } from './actions';
import { dbToGain as toGain, gainToDb as toDb } from '../../common/units';

/** Peak every matched track stays under, dBFS: matching never makes a track clip. */
export const MATCH_CEILING_DB = -1;

const FLAGS: LaneFlags = { muted: false, solo: false, selected: false };

/** Whether each lane's track is heard: the soloed ones if any, else the Listen source; muted never. */
export function audibleTracks(s: AppState): Record<string, boolean> {
  const ids = laneOrder(s);
  const anySolo = ids.some((id) => s.flags[id]?.solo);
  const out: Record<string, boolean> = {};
  for (const id of ids) {
    const f = s.flags[id] ?? FLAGS;
    out[id] = !f.muted && (anySolo ? f.solo : id === s.transport.source);
  }
  return out;
}

/**
 * Gain in dB that brings each track to one common integrated loudness: the loudest level
 * every track can reach with its peak at or under −1 dBFS. Tracks with no measured loudness
 * (silence) get 0 dB.
 */
export function matchGainsDb(tracks: { id: string; lufs: number | null; peak: number }[]): Record<string, number> {
  const measured = tracks.filter((t) => t.lufs !== null && t.peak > 0);
  const reach = (t: { lufs: number | null; peak: number }) => (t.lufs as number) + (MATCH_CEILING_DB - toDb(t.peak));
  const target = Math.min(...measured.map(reach));
  return Object.fromEntries(tracks.map((t) => [t.id, t.lufs !== null && t.peak > 0 && Number.isFinite(target) ? target - t.lufs : 0]));
}

/** The dB each lane's track is raised or lowered by for the A/B (all 0 when matching is off). */
export function loudnessOffsetsDb(s: AppState): Record<string, number> {
  const ids = laneOrder(s);
  if (!s.mix.matchLoudness) return Object.fromEntries(ids.map((id) => [id, 0]));
  return matchGainsDb(ids.map((id) => ({ id, lufs: s.tracks[id]?.info.loudness?.lufs ?? null, peak: s.tracks[id]?.info.loudness?.peak ?? 0 })));
}

/** A take's dry/wet (1 = the take alone), and whether its content is the one loaded (so it can be blended). */
export function takeWet(s: AppState, id: string): { wet: number; blendable: boolean } {
  const t = s.tracks[id];
  const blendable = !!t?.take && t.take.contentId === s.contentId;
  return { wet: blendable ? (s.mix.wet[id] ?? 1) : 1, blendable };
}

/**
 * Linear gain of every lane's track: heard or not, times its loudness match and its own gain
 * control; a heard take with its dry/wet below 1 gives that share to its content.
 */
export function trackGains(s: AppState): Record<string, number> {
  const heard = audibleTracks(s);
  const match = loudnessOffsetsDb(s);
  const offsets = Object.fromEntries(Object.entries(match).map(([id, db]) => [id, db + (s.mix.gainDb[id] ?? 0)]));
  const gains: Record<string, number> = {};
  for (const id of laneOrder(s)) gains[id] = heard[id] ? toGain(offsets[id]) : 0;
  for (const id of s.takeIds) {
    const { wet } = takeWet(s, id);
    if (!heard[id] || wet >= 1 || !s.contentId || s.flags[s.contentId]?.muted) continue;
    gains[id] *= wet;
    gains[s.contentId] += (1 - wet) * toGain(offsets[s.contentId]);
  }
  return gains;
}

/** The content's gain relative to a take's in its blend (what loudness matching applies), linear. */
export function dryGain(s: AppState, takeId: string): number {
  if (!s.contentId) return 1;
  const o = loudnessOffsetsDb(s);
  return toGain((o[s.contentId] ?? 0) - (o[takeId] ?? 0));
}
