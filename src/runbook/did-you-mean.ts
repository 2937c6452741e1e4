import { editDistance as distance } from '../util/edit-distance';

/** The closest candidate to a misspelt name, if it is close enough to be a likely typo. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const score = distance(lower, candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return bestScore <= limit || best.toLowerCase().startsWith(lower) || lower.startsWith(best.toLowerCase()) ? best : undefined;
}

export function didYouMeanHint(name: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(name, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}
